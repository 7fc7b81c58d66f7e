import type {DatePrecision} from "../types.ts";

export interface Period {
  /** First day, ISO. */
  start: string;
  /** Number of months covered. */
  months: number;
  precision: DatePrecision;
}

export type PeriodFormat = "month" | "fiscal_period";

/**
 * A period as a manifest or a period column gives it: "2019-04" or "201904" (a month), "2019-04..2019-06" (a range),
 * or, with format "fiscal_period", "201901" (financial year 2019-20, period 1 = April 2019).
 */
export function parsePeriod(text: string, format: PeriodFormat = "month"): Period | null {
  const s = text.trim();
  if (format === "fiscal_period") {
    const m = /^(\d{4})(\d{2})$/.exec(s);
    if (!m || +m[2]! < 1 || +m[2]! > 12) return null;
    const month0 = 3 + +m[2]! - 1;
    return monthPeriod(+m[1]! + Math.floor(month0 / 12), (month0 % 12) + 1, 1);
  }
  const compact = /^(\d{4})(\d{2})$/.exec(s);
  if (compact) return +compact[2]! >= 1 && +compact[2]! <= 12 ? monthPeriod(+compact[1]!, +compact[2]!, 1) : null;
  const m = /^(\d{4})-(\d{2})(?:\.\.(\d{4})-(\d{2}))?$/.exec(s);
  if (!m || +m[2]! < 1 || +m[2]! > 12) return null;
  const months = m[3] ? (+m[3] - +m[1]!) * 12 + (+m[4]! - +m[2]!) + 1 : 1;
  if (months < 1) return null;
  return monthPeriod(+m[1]!, +m[2]!, months);
}

function monthPeriod(year: number, month: number, months: number): Period {
  const start = `${year}-${String(month).padStart(2, "0")}-01`;
  return {start, months, precision: months === 1 ? "month" : months <= 3 ? "quarter" : "year"};
}

/** Whether an ISO date falls within a period, allowing `slackMonths` either side. */
export function inPeriod(date: string, period: Period, slackMonths = 0): boolean {
  const index = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
  const d = index(date);
  const s = index(period.start);
  return d >= s - slackMonths && d < s + period.months + slackMonths;
}

/**
 * Whether a period column counts calendar months ("201904") or financial-year periods ("201901" = April
 * 2019): the reading that puts more of the values inside the file's own period wins; calendar by default.
 */
export function guessPeriodFormat(values: string[], filePeriod: Period | null | undefined): PeriodFormat {
  if (!filePeriod) return "month";
  const inside = (format: PeriodFormat) =>
    values.filter((v) => {
      const p = parsePeriod(v, format);
      return p !== null && inPeriod(p.start, filePeriod);
    }).length;
  return inside("fiscal_period") > inside("month") ? "fiscal_period" : "month";
}
