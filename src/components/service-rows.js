// Shapes the services outputs (pipeline/compact/services.ts) for the Services page.

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
  return new Map([...shares].map(([group, list]) => {
    const s = list.sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return [group, {median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, councils: s.length}];
  }));
}

/** Long rows for a stacked chart: one per group x year x sector with pounds (negative nets left as they are). */
export function sectorLong(rows) {
  return rows.flatMap((r) => SECTORS.map(([sector, label]) => ({group_label: r.group_label, financial_year: r.financial_year, sector: label, amount: r[sector]})))
    .filter((d) => d.amount !== 0);
}
