import {unwrapExcelText} from "./excel-text.ts";
import type {DatePrecision} from "../types.ts";

export type DateOrder = "dmy" | "mdy";
export type DateResult =
  | {ok: true; date: string; precision: DatePrecision}
  | {ok: false; reason: "missing_date" | "bad_date"; detail: string};

/** Month names and their short forms, as dates and periods write them. */
export const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12
};
const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`);
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME.replace("[T ]", "\\s+")}$`);
const NAMED = new RegExp(String.raw`^(\d{1,2})(?:st|nd|rd|th)?[\s/-]+([a-z]{3,9})\.?[\s/,-]+(\d{4}|\d{2})${TIME.replace("[T ]", "\\s+")}$`, "i");
/** Month first, as American-style long dates write it: "April 1, 2019", "Apr 1st 2019". */
const NAMED_MONTH_FIRST = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
/** A weekday before the date, as long date formats write it: "Monday, 1 April 2019", "Mon 01/04/2019". */
const WEEKDAY = /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^(\d{5})(?:\.\d+)?$/;
const NO_DATE = /^(?:0{1,2}:00(?::00)?|0000-00-00|00\/00\/0{2,4})$/;

/** Parses one published date to ISO yyyy-mm-dd. UK day-first order unless the column is known to be month-first. */
export function parseDate(text: string, order: DateOrder = "dmy"): DateResult {
  const s = unwrapExcelText(text).trim().replace(WEEKDAY, "");
  if (s === "" || NO_DATE.test(s)) return {ok: false, reason: "missing_date", detail: s === "" ? "empty date" : `no date, only ${JSON.stringify(s)}`};
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(s))) return ymd(+m[1]!, +m[2]!, +m[3]!, text);
  if ((m = NUMERIC.exec(s))) {
    const [a, b] = order === "dmy" ? [+m[1]!, +m[2]!] : [+m[2]!, +m[1]!];
    return ymd(fullYear(m[3]!), b, a, text);
  }
  if ((m = NAMED.exec(s))) {
    const month = monthNamed(m[2]!);
    if (month) return ymd(fullYear(m[3]!), month, +m[1]!, text);
  }
  if ((m = NAMED_MONTH_FIRST.exec(s))) {
    const month = monthNamed(m[1]!);
    if (month) return ymd(+m[3]!, month, +m[2]!, text);
  }
  if ((m = COMPACT.exec(s))) return ymd(+m[1]!, +m[2]!, +m[3]!, text);
  if ((m = SERIAL.exec(s))) return excelSerial(+m[1]!, text);
  return bad(text);
}

/** "April", "Apr", "Sept" -> 4, 4, 9; undefined for a word that is no month. */
export function monthNamed(word: string): number | undefined {
  const w = word.toLowerCase();
  return MONTHS[w.slice(0, w.startsWith("sept") ? 4 : 3)];
}

/** Which order a column of numeric dates uses: month-first only if some value cannot be day-first. */
export function detectDateOrder(values: Iterable<string>): DateOrder {
  for (const v of values) {
    const m = NUMERIC.exec(v.trim());
    if (m && +m[2]! > 12 && +m[1]! <= 12) return "mdy";
  }
  return "dmy";
}

export function fullYear(y: string): number {
  const n = +y;
  return y.length === 4 ? n : n < 70 ? 2000 + n : 1900 + n;
}

function ymd(year: number, month: number, day: number, text: string): DateResult {
  if (month < 1 || month > 12 || day < 1 || day > 31) return bad(text);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCFullYear() !== year) return bad(text);
  return {ok: true, date: iso(year, month, day), precision: "day"};
}

function excelSerial(n: number, text: string): DateResult {
  // Excel's day 0 is 1899-12-30 once its fictitious 29 Feb 1900 is allowed for; 25569 is 1970-01-01.
  if (n < 25569 || n > 73051) return bad(text);
  const d = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
  return {ok: true, date: iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), precision: "day"};
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function bad(text: string): DateResult {
  return {ok: false, reason: "bad_date", detail: `not a date: ${JSON.stringify(text)}`};
}
