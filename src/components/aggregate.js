/**
 * Figures derived from council-years rows, shared by the overview, Compare, the embeds and their tests,
 * so that every page computes "complete year", shares and changes the same way.
 */
import {formatMonth, previousYear} from "./format.js";

/** Arrow (parquet-wasm) table or array of rows -> plain objects, BigInt -> number, dates -> "yyyy-mm". */
export function plainRows(table) {
  const rows = Array.isArray(table) ? table : table.toArray();
  return rows.map((row) => {
    const o = typeof row.toJSON === "function" ? row.toJSON() : {...row};
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === "bigint") o[k] = Number(v);
      else if (v instanceof Date) o[k] = v.toISOString().slice(0, 7);
    }
    return o;
  });
}

/** Compact JSON {columns, rows: [[...], ...]} (pipeline/compact/council-years.ts) -> plain objects. */
export function columnRows({columns, rows}) {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

/**
 * council-years (one row per council x year x sector) -> one row per council x year:
 * vcse, vcse_real, vcse_per_resident, total, total_real, share, recipients, months, complete.
 */
export function councilYearTotals(rows) {
  const byKey = new Map();
  for (const r of rows) {
    const key = `${r.council_code}|${r.financial_year}`;
    let o = byKey.get(key);
    if (!o) {
      o = {
        council_code: r.council_code,
        council_name: r.council_name,
        short_name: r.short_name ?? r.council_name,
        council_type: r.council_type,
        council_type_name: r.council_type_name,
        region: r.region,
        financial_year: r.financial_year,
        total: r.council_total ?? 0,
        total_real: r.deflator ? ((r.council_total ?? 0) * 100) / r.deflator : null,
        deflator: r.deflator ?? null,
        population: r.population ?? null,
        months: r.months,
        first_month: r.first_month,
        last_month: r.last_month,
        vcse: 0,
        vcse_real: r.deflator ? 0 : null,
        recipients: 0,
        vcse_payments: 0
      };
      byKey.set(key, o);
    }
    if (r.sector === "vcse") {
      o.vcse = r.amount;
      o.vcse_real = r.amount_real ?? null;
      o.recipients = r.suppliers;
      o.vcse_payments = r.payments;
    }
  }
  return [...byKey.values()]
    .map((o) => ({
      ...o,
      share: o.total > 0 ? o.vcse / o.total : null,
      vcse_per_resident: o.population ? o.vcse / o.population : null,
      complete: o.months === 12
    }))
    .sort((a, b) => a.short_name.localeCompare(b.short_name) || a.financial_year.localeCompare(b.financial_year));
}

/**
 * Totals per financial year over council-years with all 12 months: what the overview charts show.
 * Council-years with fewer months are counted in `partial` but not in the sums.
 */
export function yearTotals(councilYears) {
  const years = [...new Set(councilYears.map((d) => d.financial_year))].sort();
  return years.map((fy) => {
    const all = councilYears.filter((d) => d.financial_year === fy);
    const full = all.filter((d) => d.complete);
    const sum = (f) => full.reduce((s, d) => s + f(d), 0);
    const vcse = sum((d) => d.vcse);
    const total = sum((d) => d.total);
    return {
      financial_year: fy,
      councils: full.length,
      council_names: full.map((d) => d.short_name),
      partial: all.length - full.length,
      vcse,
      vcse_real: full.length && full.every((d) => d.vcse_real !== null) ? sum((d) => d.vcse_real) : null,
      total,
      share: total > 0 ? vcse / total : null,
      recipients: sum((d) => d.recipients)
    };
  });
}

/** The latest financial year in which at least one council has all 12 months, or null. */
export function headlineYear(councilYears) {
  const years = councilYears.filter((d) => d.complete).map((d) => d.financial_year).sort();
  return years.at(-1) ?? null;
}

/**
 * The matched set of a financial year: the councils with all 12 months in both that year and the year before,
 * so that a total and its change compare the same councils. Per year with such councils: the councils, their
 * VCSE and total spending in both years, and the cash and real-terms change (null when a deflator is missing).
 */
export function matchedYears(councilYears) {
  const byKey = new Map(councilYears.map((d) => [`${d.council_code}|${d.financial_year}`, d]));
  const years = [...new Set(councilYears.map((d) => d.financial_year))].sort();
  const out = [];
  for (const fy of years) {
    const pairs = councilYears
      .filter((d) => d.financial_year === fy && d.complete)
      .map((d) => [d, byKey.get(`${d.council_code}|${previousYear(fy)}`)])
      .filter(([, p]) => p?.complete);
    if (!pairs.length) continue;
    const sum = (f) => pairs.reduce((s, pair) => s + f(pair), 0);
    const real = pairs.every(([d, p]) => d.vcse_real !== null && p.vcse_real !== null);
    const vcse = sum(([d]) => d.vcse);
    const vcse_previous = sum(([, p]) => p.vcse);
    const vcse_real = real ? sum(([d]) => d.vcse_real) : null;
    const vcse_real_previous = real ? sum(([, p]) => p.vcse_real) : null;
    out.push({
      financial_year: fy,
      previous_year: previousYear(fy),
      councils: pairs.length,
      council_codes: pairs.map(([d]) => d.council_code),
      council_names: pairs.map(([d]) => d.short_name),
      rows: pairs.map(([d]) => d),
      vcse,
      vcse_previous,
      total: sum(([d]) => d.total),
      total_previous: sum(([, p]) => p.total),
      recipients: sum(([d]) => d.recipients),
      change: vcse_previous > 0 ? vcse / vcse_previous - 1 : null,
      real_change: vcse_real !== null && vcse_real_previous > 0 ? vcse_real / vcse_real_previous - 1 : null
    });
  }
  return out;
}

/**
 * The year the overview's headline reports: the one whose matched set (matchedYears) is largest, the latest
 * on a tie, so that the headline rests on as many councils as the data can compare like with like. Null
 * when no council has two consecutive full years.
 */
export function matchedHeadline(councilYears) {
  return matchedYears(councilYears).reduce((best, m) => (!best || m.councils >= best.councils ? m : best), null);
}

/** "2023-24" -> its first and last month, "2023-04" and "2024-03". */
function yearMonths(fy) {
  const y = Number(fy.slice(0, 4));
  return [`${y}-04`, `${y + 1}-03`];
}

/** The manifest break that makes a council's totals incomparable between two financial years, or undefined. */
export function breakBetween(breaks, code, previous, current) {
  const [start] = yearMonths(previous);
  const [, end] = yearMonths(current);
  return breaks.find((b) => b.council_code === code && b.from > start && b.from <= end);
}

/**
 * The 2011-13 guidance test, per council and year: the change in VCSE spending against the change in the
 * council's spending outside the public sector (council_total), only where the council has 12 months of data
 * in both years. cut_harder: VCSE spending fell, and by a larger percentage than that spending; null, with
 * not_comparable saying why, where a manifest's comparability break falls between the two years.
 */
export function guidanceTests(councilYears, breaks = []) {
  const byKey = new Map(councilYears.map((d) => [`${d.council_code}|${d.financial_year}`, d]));
  const out = [];
  for (const d of councilYears) {
    const prev = byKey.get(`${d.council_code}|${previousYear(d.financial_year)}`);
    if (!prev || !d.complete || !prev.complete) continue;
    const vcse_change = prev.vcse > 0 ? d.vcse / prev.vcse - 1 : null;
    const total_change = prev.total > 0 ? d.total / prev.total - 1 : null;
    const broken = breakBetween(breaks, d.council_code, prev.financial_year, d.financial_year);
    out.push({
      council_code: d.council_code,
      short_name: d.short_name,
      financial_year: d.financial_year,
      previous_year: prev.financial_year,
      vcse: d.vcse,
      vcse_previous: prev.vcse,
      total: d.total,
      total_previous: prev.total,
      vcse_change,
      total_change,
      not_comparable: broken ? `${broken.reason} (from ${formatMonth(broken.from)})` : null,
      cut_harder: broken ? null : vcse_change !== null && total_change !== null ? vcse_change < 0 && vcse_change < total_change : null
    });
  }
  return out;
}

/** Label for a guidance-test result. */
export function guidanceLabel(t) {
  if (!t) return "No full year before";
  if (t.not_comparable) return "No verdict: totals not comparable";
  if (t.cut_harder === null) return "Not comparable";
  if (t.cut_harder) return "Yes: cut harder";
  if (t.vcse_change < 0) return "No: cut less than total";
  return "No: not cut";
}
