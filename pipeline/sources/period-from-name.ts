import {parsePeriod, type Period} from "../conform/parse-period.ts";

const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*";
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * The period a file covers, guessed from its published name: "2019-04.csv", "apr-jun-2014", "March-25-CSV",
 * "SpendOver250Feb24", "1701.csv" (yymm), "2024-25" (a financial year, when it cannot be a month), "2017-Q1" (financial-year quarter: Q1 is April to June),
 * "2013-P01" or "Period 1 2013-14" (a four-week period of the financial year).
 */
export function periodFromName(name: string): Period | null {
  const stem = name.replace(/\.[a-z]+$/i, "");
  let m: RegExpExecArray | null;
  // Four-week periods: "2013-P01", "Period-1-2013-14", "P13 2015-16".
  if ((m = /(?:^|[^a-z\d])(20\d{2})[-_ ]?P(\d{1,2})(?!\d)/i.exec(stem))) return parsePeriod(`${m[1]}-P${m[2]}`);
  if ((m = /(?:^|[^a-z])P(?:eriod)?[-_ ]?(\d{1,2})[-_ ]+(20\d{2})[-_](?:\d{2}|20\d{2})(?!\d)/i.exec(stem))) return parsePeriod(`${m[2]}-P${m[1]}`);
  if ((m = new RegExp(`${MONTH}[-_ ]${MONTH}[-_ ](\\d{4})`, "i").exec(stem))) {
    const [from, to] = [month(m[1]!), month(m[2]!)];
    return parsePeriod(`${m[3]}-${from}..${m[3]}-${to}`);
  }
  if ((m = /(\d{4})-Q([1-4])/i.exec(stem))) {
    const start = 4 + (+m[2]! - 1) * 3;
    const year = +m[1]! + (start > 12 ? 1 : 0);
    const first = ((start - 1) % 12) + 1;
    return parsePeriod(`${year}-${pad(first)}..${year}-${pad(first + 2)}`);
  }
  if ((m = /(?:^|\D)(20\d{2})-(\d{2})(?!\d)/.exec(stem)) && +m[2]! > 12 && +m[2]! === (+m[1]! + 1) % 100) {
    return parsePeriod(`${m[1]}-04..${+m[1]! + 1}-03`);
  }
  if ((m = /(?:^|\D)(20\d{2})-(0[1-9]|1[0-2])(?!\d)/.exec(stem))) return parsePeriod(`${m[1]}-${m[2]}`);
  if ((m = new RegExp(`${MONTH}[-_ ]?(\\d{4}|\\d{2})(?!\\d)`, "i").exec(stem))) {
    const year = m[2]!.length === 2 ? `20${m[2]}` : m[2]!;
    return parsePeriod(`${year}-${month(m[1]!)}`);
  }
  if ((m = /(?:^|_)(\d{2})(0[1-9]|1[0-2])$/.exec(stem))) return parsePeriod(`20${m[1]}-${m[2]}`);
  return null;
}

function month(name: string): string {
  return pad(MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
