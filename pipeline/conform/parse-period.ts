import type {DatePrecision} from "../types.ts";
import {fullYear, monthNamed, parseDate, type DateOrder, type DateResult} from "./parse-date.ts";

export interface Period {
  /** First day, ISO. */
  start: string;
  /** Number of months covered. */
  months: number;
  precision: DatePrecision;
  /** Last day, ISO, when the period is not whole months (a four-week period). */
  end?: string;
}

/** "fiscal_period": yyyypp, period pp of twelve months from April; "four_week": yyyypp, pp of thirteen four-week periods. */
export type PeriodFormat = "month" | "fiscal_period" | "four_week";

/**
 * A period as a manifest or a period column gives it: "2019-04" or "201904" (a month), "2019-04..2019-06" (a range),
 * or, with format "fiscal_period", "201901" (financial year 2019-20, period 1 = April 2019).
 */
export function parsePeriod(text: string, format: PeriodFormat = "month"): Period | null {
  const s = text.trim();
  const four = FOUR_WEEK.exec(s) ?? FOUR_WEEK_FY.exec(s);
  if (four) return fourWeekPeriod(+four.groups!.year!, +four.groups!.n!);
  if (format === "four_week") {
    const m = /^(\d{4})(\d{2})$/.exec(s);
    return m ? fourWeekPeriod(+m[1]!, +m[2]!) : null;
  }
  if (format === "fiscal_period") {
    const m = /^(\d{4})(\d{2})$/.exec(s);
    if (!m || +m[2]! < 1 || +m[2]! > 12) return null;
    const month0 = 3 + +m[2]! - 1;
    return monthPeriod(+m[1]! + Math.floor(month0 / 12), (month0 % 12) + 1, 1);
  }
  const month = calendarMonth(s);
  if (month) return month;
  const compact = /^(\d{4})(\d{2})$/.exec(s);
  if (compact) return +compact[2]! >= 1 && +compact[2]! <= 12 ? monthPeriod(+compact[1]!, +compact[2]!, 1) : null;
  const m = /^(\d{4})-(\d{2})(?:\.\.(\d{4})-(\d{2}))?$/.exec(s);
  if (!m || +m[2]! < 1 || +m[2]! > 12) return null;
  const months = m[3] ? (+m[3] - +m[1]!) * 12 + (+m[4]! - +m[2]!) + 1 : 1;
  if (months < 1) return null;
  return monthPeriod(+m[1]!, +m[2]!, months);
}

/** "2013-P01", "2013P1": period 1 of the financial year 2013-14. */
const FOUR_WEEK = /^(?<year>\d{4})[-_ ]?P(?<n>\d{1,2})$/i;
/** "P1 2013/14", "Period 01 2013-14": the same, the year written as a financial year. */
const FOUR_WEEK_FY = /^P(?:eriod)?[-_ ]?(?<n>\d{1,2})[-_ :]+(?<year>\d{4})[-/_](?:\d{2}|\d{4})$/i;
const DAY = 86_400_000;

/**
 * Period n (1 to 13) of a financial year kept in thirteen four-week periods of weeks beginning on Sunday:
 * period 13 starts on the first Sunday of March and ends on 31 March, periods 2 to 12 are the four weeks
 * before it in turn, and period 1 runs from 1 April to the day before period 2 (1 to 27 April in 2013-14).
 */
export function fourWeekPeriod(fyStart: number, n: number): Period | null {
  if (n < 1 || n > 13) return null;
  const march = Date.UTC(fyStart + 1, 2, 1);
  const p13 = march + ((7 - new Date(march).getUTCDay()) % 7) * DAY;
  const start = n === 1 ? Date.UTC(fyStart, 3, 1) : p13 - (13 - n) * 28 * DAY;
  const end = n === 13 ? Date.UTC(fyStart + 1, 2, 31) : p13 - (12 - n) * 28 * DAY - DAY;
  const [from, to] = [new Date(start), new Date(end)];
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
  return {start: from.toISOString().slice(0, 10), months, precision: "month", end: to.toISOString().slice(0, 10)};
}

/**
 * A date cell as a date column may hold it: a day (parseDate), or a month alone ("Apr-21": a date formatted
 * mmm-yy), read as the month's first day at month precision.
 */
export function parseDateOrMonth(text: string, order: DateOrder = "dmy"): DateResult {
  const month = calendarMonth(text.trim());
  return month ? {ok: true, date: month.start, precision: "month"} : parseDate(text, order);
}

/** A month written out: "April 2021", "Apr-21", "Sept 2014", "04/2021", "2021/04". */
function calendarMonth(s: string): Period | null {
  let m = /^([a-z]{3,9})\.?[\s/'-]*(\d{4}|\d{2})$/i.exec(s);
  if (m) {
    const month = monthNamed(m[1]!);
    return month ? monthPeriod(fullYear(m[2]!), month, 1) : null;
  }
  if ((m = /^(\d{1,2})[/.-](\d{4})$/.exec(s)) && +m[1]! >= 1 && +m[1]! <= 12) return monthPeriod(+m[2]!, +m[1]!, 1);
  if ((m = /^(\d{4})[/.](\d{1,2})$/.exec(s)) && +m[2]! >= 1 && +m[2]! <= 12) return monthPeriod(+m[1]!, +m[2]!, 1);
  return null;
}

/**
 * A period written as its number alone ("1", "P01", "13"), in the financial year of the period the file covers:
 * twelve months from April, or thirteen four-week periods when the format says so or the number is 13.
 */
export function periodOfYear(text: string, within: Period | null | undefined, format: PeriodFormat = "fiscal_period"): Period | null {
  const m = /^P?(\d{1,2})$/i.exec(text.trim());
  if (!m || !within) return null;
  const n = +m[1]!;
  const fy = +within.start.slice(0, 4) - (+within.start.slice(5, 7) < 4 ? 1 : 0);
  if (format === "four_week" || n === 13) return fourWeekPeriod(fy, n);
  if (n < 1 || n > 12) return null;
  return monthPeriod(fy + (n > 9 ? 1 : 0), ((n + 2) % 12) + 1, 1);
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
  const fiscal = inside("fiscal_period") > inside("month");
  // A thirteenth period means the year is kept in four-week periods, not months.
  if (values.some((v) => /^P?13$/i.test(v.trim()))) return "four_week";
  if (fiscal && values.some((v) => /^\d{4}13$/.test(v.trim()))) return "four_week";
  return fiscal ? "fiscal_period" : "month";
}
