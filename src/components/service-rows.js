// Shapes the services outputs (pipeline/compact/services.ts) for the Services page and each council page.
import {formatPounds, formatShare} from "./format.js";
import {median} from "./median.js";

export const SECTORS = [
  ["vcse", "VCSE"],
  ["private", "Private"],
  ["public", "Public"],
  ["housing_association", "Housing association"],
  ["individual", "Individual"],
  ["unknown", "Unknown"]
];
export const SECTOR_LABEL = Object.fromEntries(SECTORS);

export const GROUPS = [
  ["adult_social_care", "Adult social care"],
  ["childrens_social_care", "Children's social care"],
  ["education", "Education"],
  ["public_health", "Public health"],
  ["housing", "Housing"],
  ["culture_leisure", "Culture and leisure"],
  ["environment", "Environment"],
  ["highways_transport", "Highways and transport"],
  ["planning_development", "Planning and development"],
  ["central_services", "Central services"],
  ["unmapped", "Unmapped"]
];
export const GROUP_LABEL = Object.fromEntries(GROUPS);

export const PAYMENT_TYPE_LABEL = {grant: "Grants", services: "Payments for services", unknown: "Unknown"};
export const BASIS_LABEL = {council_flag: "Council's flag", expense_wording: "Expense wording", unknown: "Nothing to go on"};

const sum = (rows) => rows.reduce((s, d) => s + d.amount, 0);

/**
 * One row per service group x financial year for one council: pounds by sector, and the VCSE pounds as
 * grants, payments for services and unknown. total is every sector's pounds, so the columns add up.
 */
export function groupYearRows(services, code) {
  const mine = services.filter((d) => d.council_code === code);
  const rows = [];
  for (const [group, label] of GROUPS) {
    const inGroup = mine.filter((d) => d.service_group === group);
    for (const fy of [...new Set(inGroup.map((d) => d.financial_year))].sort()) {
      const cell = inGroup.filter((d) => d.financial_year === fy);
      const row = {group, group_label: label, financial_year: fy, total: sum(cell)};
      for (const [sector] of SECTORS) row[sector] = sum(cell.filter((d) => d.sector === sector));
      const vcse = cell.filter((d) => d.sector === "vcse");
      for (const type of Object.keys(PAYMENT_TYPE_LABEL)) row[`vcse_${type}`] = sum(vcse.filter((d) => d.payment_type === type));
      row.vcse_share = row.total - row.public > 0 ? row.vcse / (row.total - row.public) : null;
      rows.push(row);
    }
  }
  return rows;
}

/** The median of the councils' VCSE shares (of non-public pounds) in each group, over all years, for the councils given. */
export function medianShares(services, codes) {
  const wanted = new Set(codes);
  const shares = new Map();
  for (const code of wanted) {
    const rows = services.filter((d) => d.council_code === code);
    for (const [group] of GROUPS) {
      const inGroup = rows.filter((d) => d.service_group === group && d.sector !== "public");
      const all = sum(inGroup);
      if (all <= 0) continue;
      const list = shares.get(group) ?? [];
      list.push(sum(inGroup.filter((d) => d.sector === "vcse")) / all);
      shares.set(group, list);
    }
  }
  return new Map([...shares].map(([group, list]) => [group, {median: median(list), councils: list.length}]));
}

/** Long rows for a stacked chart: one per group x year x sector with pounds (negative nets left as they are). */
export function sectorLong(rows) {
  return rows.flatMap((r) => SECTORS.map(([sector, label]) => ({group_label: r.group_label, financial_year: r.financial_year, sector: label, amount: r[sector]})))
    .filter((d) => d.amount !== 0);
}

/**
 * One row per financial year of a council's VCSE pounds (payment-types.parquet rows for that council): as grants,
 * payments for services and unknown, with the share of pounds each basis rests on. Years netting to 0 are left out.
 */
export function paymentTypeRows(types) {
  const years = [...new Set(types.map((d) => d.financial_year))].sort();
  return years.map((fy) => {
    const cell = types.filter((d) => d.financial_year === fy);
    const total = sum(cell);
    const by = (f) => sum(cell.filter(f));
    return {
      financial_year: fy,
      total,
      grant: by((d) => d.payment_type === "grant"),
      services: by((d) => d.payment_type === "services"),
      unknown: by((d) => d.payment_type === "unknown"),
      council_flag: total ? by((d) => d.basis === "council_flag") / total : null,
      expense_wording: total ? by((d) => d.basis === "expense_wording") / total : null,
      basis_unknown: total ? by((d) => d.basis === "unknown") / total : null
    };
  }).filter((d) => d.total !== 0);
}

/** Long rows of paymentTypeRows for a stacked chart: one per year x payment type. */
export function paymentTypeLong(typeRows) {
  return typeRows.flatMap((r) => Object.entries(PAYMENT_TYPE_LABEL).map(([k, label]) => ({financial_year: r.financial_year, type: label, amount: r[k]})));
}

/**
 * Per service group, over all years: the council's VCSE share of non-public pounds against the median of its peers
 * (same council type) and of all councils (medianShares of each).
 */
export function serviceComparison(rows, peers, everyone) {
  return [...new Set(rows.map((d) => d.group))].map((group) => {
    const inGroup = rows.filter((d) => d.group === group);
    const nonPublic = inGroup.reduce((s, d) => s + d.total - d.public, 0);
    const vcse = inGroup.reduce((s, d) => s + d.vcse, 0);
    return {
      group: GROUP_LABEL[group],
      share: nonPublic > 0 ? vcse / nonPublic : null,
      peers: peers.get(group)?.median ?? null,
      peer_count: peers.get(group)?.councils ?? 0,
      all: everyone.get(group)?.median ?? null,
      all_count: everyone.get(group)?.councils ?? 0
    };
  });
}

/** "Far below": under half the median of at least three councils of the same type, where that median is 5% or more. */
export function farBelowPeers(comparison) {
  return comparison.filter((d) => d.group !== GROUP_LABEL.unmapped && d.share !== null && d.peer_count >= 3 && d.peers >= 0.05 && d.share < d.peers / 2);
}


/** Columns of paymentTypeRows, for its table and CSV. */
export const TYPE_COLUMNS = [
  {key: "financial_year", label: "Financial year"},
  {key: "total", label: "VCSE (£)", format: formatPounds},
  {key: "grant", label: "Grants (£)", format: formatPounds},
  {key: "services", label: "Payments for services (£)", format: formatPounds},
  {key: "unknown", label: "Unknown (£)", format: formatPounds},
  {key: "council_flag", label: `Share resting on: ${BASIS_LABEL.council_flag}`, format: (x) => formatShare(x)},
  {key: "expense_wording", label: `Share resting on: ${BASIS_LABEL.expense_wording}`, format: (x) => formatShare(x)},
  {key: "basis_unknown", label: `Share resting on: ${BASIS_LABEL.unknown}`, format: (x) => formatShare(x)}
];

/** Columns of groupYearRows. */
export const GROUP_COLUMNS = [
  {key: "group_label", label: "Service group"},
  {key: "financial_year", label: "Financial year"},
  {key: "total", label: "All suppliers (£)", format: formatPounds},
  ...SECTORS.map(([k, l]) => ({key: k, label: `${l} (£)`, format: formatPounds})),
  {key: "vcse_grant", label: "VCSE grants (£)", format: formatPounds},
  {key: "vcse_services", label: "VCSE payments for services (£)", format: formatPounds},
  {key: "vcse_unknown", label: "VCSE, type unknown (£)", format: formatPounds},
  {key: "vcse_share", label: "VCSE share of non-public (£)", format: (x) => formatShare(x)}
];

/** Columns of serviceComparison for a council ({name, type}). */
export function comparisonColumns(council) {
  return [
    {key: "group", label: "Service group"},
    {key: "share", label: `VCSE share, ${council.name}`, format: (x) => formatShare(x)},
    {key: "peers", label: `Median, same council type (${council.type ?? "?"})`, format: (x) => formatShare(x)},
    {key: "peer_count", label: "Councils of that type"},
    {key: "all", label: "Median, all councils", format: (x) => formatShare(x)},
    {key: "all_count", label: "Councils"}
  ];
}

/** The sentence naming the services where a council's VCSE share is far below its peers' (farBelowPeers). */
export function farBelowSentence(name, below) {
  return below.length
    ? `Services where ${name}'s VCSE share is under half the median of councils of its type: ${below.map((d) => `${d.group} (${formatShare(d.share)} against ${formatShare(d.peers)})`).join("; ")}.`
    : `In no service is ${name}'s VCSE share under half the median of councils of its type (where at least three such councils have data).`;
}
