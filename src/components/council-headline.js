/**
 * The headline of a council page, worked out from its data (CouncilDetail in pipeline/compact/council.ts):
 * the year it reports, the change on the year before, and the words that go with them. Pure functions.
 */

/** "2019-20" -> "2018-19" */
export function previousFY(fy) {
  const start = Number(fy.slice(0, 4)) - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

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
  const before = year.full ? byYear.get(previousFY(year.financial_year)) : undefined;
  const previous = before?.full ? before : null;
  const ratio = (a, b) => (a !== null && b !== null && b > 0 ? a / b - 1 : null);
  return {
    year,
    previous,
    change: previous ? ratio(year.vcse, previous.vcse) : null,
    real_change: previous ? ratio(year.vcse_real, previous.vcse_real) : null
  };
}

/** "12 months of data (April 2019 to March 2020)" or "1 month of data (April 2019)" */
export function monthsText(year, formatMonth) {
  if (!year || year.months === 0) return "no month of data";
  const span = year.first_month === year.last_month ? formatMonth(year.first_month) : `${formatMonth(year.first_month)} to ${formatMonth(year.last_month)}`;
  return `${year.months} ${year.months === 1 ? "month" : "months"} of data (${span})`;
}
