import {periodFromName} from "../sources/period-from-name.ts";
import type {Period} from "../conform/parse-period.ts";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)";

/** Words that say where a file is, for its period: its own text first, then its name, its row, its headings. */
export interface PeriodClues {
  text: string;
  fileName: string;
  context: string;
  /** Outermost first. */
  headings: string[];
}

/**
 * Months written "2019.04", "201904" or "04-2019" as "2019-04"; "2023/24", "2023 to 2024" and "2023-2024" as the
 * name rules write a financial year ("2023-24"); "Apr to Jun" as "Apr-Jun".
 */
function normalise(s: string): string {
  return s
    .replace(/(?<!\d)(20\d\d)[._ ]?(0[1-9]|1[0-2])(?![\d-])/g, "$1-$2")
    .replace(/(?<![\d/])(0[1-9]|1[0-2])[-_. ](20\d\d)(?!\d)/g, "$2-$1")
    .replace(/\b(20\d\d)\s*(?:\/|to|-|–)\s*(?:20)?(\d\d)\b/gi, (all, a: string, b: string) => (+b === (+a + 1) % 100 ? `${a}-${b}` : all))
    .replace(new RegExp(`\\b${MONTH}\\s*(?:to|-|–|and)\\s*${MONTH}\\b`, "gi"), (all) => all.replace(/\s*(?:to|–|and|-)\s*/i, "-"))
    .replace(/\s+/g, " ");
}

/** A manifest period: "2024-04" or "2024-04..2024-06". */
export function formatPeriod(p: Period): string {
  const month = p.start.slice(0, 7);
  if (p.months === 1) return month;
  const i = +month.slice(0, 4) * 12 + +month.slice(5, 7) - 1 + p.months - 1;
  return `${month}..${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

/** A financial year's first calendar year, or a calendar year, named anywhere in s. */
function yearIn(s: string): {year: number; financial: boolean} | undefined {
  const fy = /\b(20\d\d)-(\d\d)\b/.exec(s);
  if (fy && +fy[2]! === (+fy[1]! + 1) % 100) return {year: +fy[1]!, financial: true};
  const y = /\b(20\d\d)\b/.exec(s);
  return y ? {year: +y[1]!, financial: false} : undefined;
}

/** Councils have published spending since 2010; a period past next year is a number misread. */
function plausible(p: Period | null): Period | null {
  const year = +(p?.start.slice(0, 4) ?? 0);
  return p && year >= 2005 && year <= new Date().getUTCFullYear() + 1 ? p : null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A quarter ("Q1 2023-24", "Quarter 3"), as financial-year quarters (Q1 is April to June), with the year from the clues. */
function quarter(s: string, year: {year: number; financial: boolean} | undefined): string | undefined {
  const q = /\b(?:q|quarter\s*)([1-4])\b/i.exec(s);
  if (!q || !year) return undefined;
  const first = 4 + (+q[1]! - 1) * 3;
  const y = year.year + (first > 12 ? 1 : 0);
  const m = ((first - 1) % 12) + 1;
  return `${y}-${pad(m)}..${y}-${pad(m + 2)}`;
}

/** A month named with no year ("April", "CSV - March"), its number 1..12. */
function bareMonth(s: string): number | undefined {
  const m = new RegExp(`\\b${MONTH}\\b`, "i").exec(s);
  return m ? MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1 : undefined;
}

/**
 * The period a linked file covers, told by its link text, file name, row or the headings above it, nearest first.
 * A month with no year ("April" under a heading "2023/24") takes its year from the clues further out; a
 * financial year is the answer only when nothing names a month or quarter.
 */
export function linkPeriod(clues: PeriodClues): string | undefined {
  // An address with no extension ("/download/8812") is a document number, not a name that may say a period.
  const name = /\.[a-z0-9]{2,5}$/i.test(clues.fileName) ? clues.fileName.replace(/\.[a-z0-9]+$/i, "") : "";
  const own = [clues.text, name, clues.context].map(normalise);
  const headings = [...clues.headings].reverse().map(normalise);
  const years: Period[] = [];
  const named = (s: string) => {
    const p = plausible(periodFromName(s.replace(/ /g, "-")));
    if (p && p.months >= 12) years.push(p);
    return p && p.months < 12 ? formatPeriod(p) : undefined;
  };
  for (const s of own) {
    const p = named(s);
    if (p) return p;
  }
  const words = [...own, ...headings].map((s) => s.replace(/[_-]+/g, " ").replace(/\b(20\d\d) (\d\d)\b/g, "$1-$2"));
  const year = words.map(yearIn).find(Boolean);
  const q = words.slice(0, 3).map((s) => quarter(s, yearIn(s) ?? year)).find(Boolean);
  if (q) return q;
  const month = words.map(bareMonth).find(Boolean);
  if (month && year) return `${year.financial && month < 4 ? year.year + 1 : year.year}-${pad(month)}`;
  for (const s of headings) {
    const p = named(s);
    if (p) return p;
  }
  if (years[0]) return formatPeriod(years[0]);
  // A file named for a calendar year alone ("All payments 2015") covers that year.
  const calendar = words.slice(0, 3).map(yearIn).find((y) => y && !y.financial);
  return calendar ? `${calendar.year}-01..${calendar.year}-12` : undefined;
}
