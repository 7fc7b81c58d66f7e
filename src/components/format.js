/** Number and label formats shared by every page: British English, £ with m/bn, financial years as "2019-20". */

/** £2.3m, £1.25bn, £12,345; negative with a true minus sign. */
export function formatPounds(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const sign = x < 0 ? "−" : "";
  const a = Math.abs(x);
  if (a >= 1e9) return `${sign}£${(a / 1e9).toFixed(2)}bn`;
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(1)}m`;
  if (a >= 1e4) return `${sign}£${(a / 1e3).toFixed(0)}k`;
  return `${sign}£${Math.round(a).toLocaleString("en-GB")}`;
}

/** £12.34 per resident. */
export function formatPerHead(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return `${x < 0 ? "−" : ""}£${Math.abs(x).toFixed(2)}`;
}

/** 0.1234 -> "12.3%". */
export function formatShare(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return `${(100 * x).toFixed(digits)}%`;
}

/** 0.052 -> "+5.2%", -0.1 -> "−10.0%". */
export function formatChange(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const s = (100 * x).toFixed(digits);
  return x > 0 ? `+${s}%` : x < 0 ? `−${s.slice(1)}%` : `${s}%`;
}

/** Percentage-point change: 0.012 -> "+1.2 pts". */
export function formatPoints(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const s = Math.abs(100 * x).toFixed(digits);
  return `${x > 0 ? "+" : x < 0 ? "−" : ""}${s} pts`;
}

export function formatCount(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toLocaleString("en-GB");
}

/** "2019-20" stays as is; 2019 -> "2019-20". */
export function formatFY(y) {
  if (typeof y === "number") return `${y}-${String((y + 1) % 100).padStart(2, "0")}`;
  return String(y);
}

/** The financial year before "2019-20": "2018-19". */
export function previousYear(fy) {
  return formatFY(Number(String(fy).slice(0, 4)) - 1);
}

/** An ISO date ("2023-04-01", or the start of a timestamp) -> "1 April 2023", the day as written (UTC). */
export function formatDay(iso) {
  return new Date(`${String(iso).slice(0, 10)}T00:00:00Z`).toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});
}

/** "2019-04" or a Date -> "April 2019". */
export function formatMonth(m) {
  const d = m instanceof Date ? m : new Date(`${String(m).slice(0, 7)}-01T00:00:00Z`);
  return d.toLocaleDateString("en-GB", {month: "long", year: "numeric", timeZone: "UTC"});
}

/** 1 -> "council", 2 -> "councils". */
export function plural(n, one, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
