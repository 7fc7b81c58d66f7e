import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {RAW_CACHE} from "../classify/current-register.ts";
import {parseCsv} from "../read/parse-csv.ts";

/** One financial year of HM Treasury's GDP deflator, rebased so that the base year is 100. */
export interface Deflator {
  /** "2019-20" */
  financial_year: string;
  /** Mean of the four quarterly YBGB values, Q2 (April to June) of the first year to Q1 of the next. */
  ybgb_mean: number;
  /** ybgb_mean rebased: base year = 100. */
  index: number;
}

export interface DeflatorSeries {
  /** The ONS series id, "YBGB". */
  cdid: string;
  title: string;
  /** As ONS prints it: "30-06-2025". */
  release_date: string;
  /** The latest financial year with all four quarters published: its index is 100. */
  base_year: string;
  /** Latest quarter in the file, "2025 Q1". */
  latest_quarter: string;
  years: Deflator[];
  /** embedded: the project's copy (data/reference/deflators); fetched: the newer series `fetch --reference` downloaded. */
  source: "embedded" | "fetched";
}

/** An ONS time-series download: "Title","…" metadata lines, then "1948","2.7" / "1955 Q1","4.3" / "1988 JAN","…" rows. */
export function parseOnsSeries(text: string): {meta: Record<string, string>; values: Map<string, number>} {
  const meta: Record<string, string> = {};
  const values = new Map<string, number>();
  for (const {cells} of parseCsv(text, ",")) {
    const [key = "", value = ""] = cells.map((c) => c.trim());
    if (/^\d{4}( Q[1-4]| [A-Z]{3})?$/.test(key)) {
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`ONS series: ${key} has no number (${JSON.stringify(value)})`);
      values.set(key, Number(value));
    } else if (key) meta[key] = value;
  }
  return {meta, values};
}

/**
 * HM Treasury's financial-year deflator from quarterly YBGB: the mean of Q2, Q3, Q4 of year y and Q1 of
 * y+1 for financial year y-(y+1), only where all four quarters are published, rebased so that the latest
 * such year is 100.
 */
export function financialYearDeflators(text: string): DeflatorSeries {
  const {meta, values} = parseOnsSeries(text);
  const quarters = [...values.keys()].filter((k) => k.includes(" Q")).sort();
  if (quarters.length === 0) throw new Error("ONS series: no quarterly values");
  const first = Number(quarters[0]!.slice(0, 4));
  const last = Number(quarters.at(-1)!.slice(0, 4));
  const means: {financial_year: string; ybgb_mean: number}[] = [];
  for (let y = first; y < last; y++) {
    const q = [`${y} Q2`, `${y} Q3`, `${y} Q4`, `${y + 1} Q1`].map((k) => values.get(k));
    if (q.some((v) => v === undefined)) continue;
    means.push({financial_year: financialYearLabel(y), ybgb_mean: (q as number[]).reduce((a, b) => a + b, 0) / 4});
  }
  const base = means.at(-1);
  if (!base) throw new Error("ONS series: no financial year has all four quarters");
  return {
    cdid: meta.CDID ?? "",
    title: meta.Title ?? "",
    release_date: meta["Release date"] ?? "",
    base_year: base.financial_year,
    latest_quarter: quarters.at(-1)!,
    years: means.map((m) => ({...m, index: (100 * m.ybgb_mean) / base.ybgb_mean})),
    source: "embedded"
  };
}

/** The file `fetch --reference` keeps the downloaded series in, in the reference folder of the raw cache. */
export const DEFLATOR_FILE = "gdp_deflators.csv";
export const referenceDirIn = (cacheDir: string): string => join(cacheDir, "reference");
export const DEFAULT_REFERENCE_DIR = referenceDirIn(RAW_CACHE);

/**
 * The deflator series in use: the one `fetch --reference` downloaded into referenceDir when it reaches a later quarter
 * than the embedded copy (data/reference/deflators), else the embedded copy, which is the offline default.
 */
export function readDeflators(dataDir = "data", referenceDir: string | null = DEFAULT_REFERENCE_DIR): DeflatorSeries {
  const embedded = financialYearDeflators(readFileSync(join(dataDir, "reference/deflators/gdp_deflators.csv"), "utf8"));
  const fetched = referenceDir === null ? null : join(referenceDir, DEFLATOR_FILE);
  if (!fetched || !existsSync(fetched)) return embedded;
  const series = financialYearDeflators(readFileSync(fetched, "utf8"));
  return series.latest_quarter > embedded.latest_quarter ? {...series, source: "fetched"} : embedded;
}

/** 2019 -> "2019-20" */
export function financialYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** Pounds in a financial year's prices expressed in base-year prices; null when the year has no deflator. */
export function realTerms(amount: number, financialYear: string, series: DeflatorSeries): number | null {
  const d = series.years.find((y) => y.financial_year === financialYear);
  return d ? (amount * 100) / d.index : null;
}
