/**
 * The headline of a council page, worked out from its data (CouncilDetail in pipeline/compact/council.ts):
 * the year it reports, the change on the year before, and the words that go with them. Pure functions.
 */
import {previousYear} from "./format.js";

/** 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd" */
export function ordinal(n) {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${suffix}`;
}

/**
 * The year the headline reports (detail.headline_year): the latest with 12 months of data, or failing that
 * the one with the most months.
 * previous: the year before it, when that too has 12 months (else null); change and real_change are
 * fractions (0.05 = +5%), null when they cannot be worked out.
 */
export function councilHeadline(detail) {
  const byYear = new Map(detail.years.map((y) => [y.financial_year, y]));
  const year = byYear.get(detail.headline_year) ?? null;
  if (!year) return {year: null, previous: null, change: null, real_change: null};
  const before = year.full ? byYear.get(previousYear(year.financial_year)) : undefined;
  const previous = before?.full ? before : null;
  const ratio = (a, b) => (a !== null && b !== null && b > 0 ? a / b - 1 : null);
  return {
    year,
    previous,
    change: previous ? ratio(year.vcse, previous.vcse) : null,
    real_change: previous ? ratio(year.vcse_real, previous.vcse_real) : null
  };
}

/** Months from "2011-04" to "2012-03", inclusive. */
function monthRange(first, last) {
  const out = [];
  let [y, m] = first.split("-").map(Number);
  for (let guard = 0; guard < 240; guard++) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    out.push(month);
    if (month >= last) break;
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/**
 * "12 months of data (April 2019 to March 2020)" or "1 month of data (April 2019)". With covered (the months
 * that have data, "2011-09"), a span with gaps names them: "11 months of data (April 2011 to March 2012, none for
 * September 2011)", so that the span never reads as complete.
 */
export function monthsText(year, formatMonth, covered) {
  if (!year || year.months === 0) return "no month of data";
  const span = year.first_month === year.last_month ? formatMonth(year.first_month) : `${formatMonth(year.first_month)} to ${formatMonth(year.last_month)}`;
  const have = covered ? new Set(covered.map((m) => String(m).slice(0, 7))) : null;
  const gaps = have ? monthRange(year.first_month.slice(0, 7), year.last_month.slice(0, 7)).filter((m) => !have.has(m)) : [];
  const gapText = gaps.length ? `, no data for ${gaps.length > 3 ? `${gaps.length} of those months` : gaps.map(formatMonth).join(", ")}` : "";
  return `${year.months} ${year.months === 1 ? "month" : "months"} of data (${span}${gapText})`;
}

/**
 * Whether a council's figures are old: its latest full year (or, with none, its latest year with data) ended
 * more than two years before `today`. years: whole years since that year ended, rounded down.
 */
export function dataAge(detail, today = new Date()) {
  const fy = detail.latest_full ?? detail.latest;
  if (!fy) return {old: false, year: null, ended: null, years: 0};
  const ended = new Date(Date.UTC(Number(fy.slice(0, 4)) + 1, 2, 31));
  const twoYearsAfter = new Date(Date.UTC(ended.getUTCFullYear() + 2, 2, 31));
  let years = today.getUTCFullYear() - ended.getUTCFullYear();
  if (today < new Date(Date.UTC(today.getUTCFullYear(), 2, 31))) years--;
  return {old: today > twoYearsAfter, year: fy, ended: ended.toISOString().slice(0, 10), years: Math.max(0, years)};
}
