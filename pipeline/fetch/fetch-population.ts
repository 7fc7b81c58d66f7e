/**
 * Downloads ONS's mid-year population estimates for every year (a table per local authority, codes in rows and a
 * "Mid-YYYY" column per year, XLSX or CSV) into the reference folder of the raw cache, through the fetch machinery.
 * The table is read before it is put in use: a download that is not such a table, or that ends at an earlier year
 * than the estimates in use, never replaces them. The embedded workbook stays the default (readPopulation).
 */
import {copyFileSync, readFileSync, renameSync} from "node:fs";
import {join} from "node:path";
import {parsePopulationTable} from "../reference/population-table.ts";
import {POPULATION_FILE, readPopulation, type Population} from "../reference/population.ts";
import {fetchSources, type FetchOptions} from "./fetch-source.ts";

/** ONS's "Estimates of the population for England and Wales" tables (mid-2011 to mid-2023 in one sheet); a later release moves it. */
export const ONS_POPULATION_URL =
  "https://www.ons.gov.uk/file?uri=/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/estimatesofthepopulationforenglandandwales/mid2023/mye23tablesew.xlsx";

export interface PopulationFetch {
  /** fetched: a table with more or later years is in use; not_modified: the same table; failed: nothing usable came. */
  status: "fetched" | "not_modified" | "failed";
  url: string;
  in_use: Omit<Population, "councils">;
  error?: string;
}

const INCOMING = `incoming-${POPULATION_FILE}`;

export async function fetchPopulation(dir: string, dataDir: string, url: string, options: Omit<FetchOptions, "cacheDir" | "lockPath">): Promise<PopulationFetch> {
  const inUse = (): PopulationFetch["in_use"] => {
    const {councils: _, ...rest} = readPopulation(dataDir, dir);
    return rest;
  };
  const before = inUse();
  const kind = /\.xlsx\b/i.test(url) ? "xlsx" : "csv";
  const [entry] = await fetchSources([{council: "reference", url, path: INCOMING, kind}], {...options, cacheDir: dir, lockPath: join(dir, "lock.json")});
  if (!entry || entry.status === "failed" || entry.status === "kept_last_good") return {status: "failed", url, in_use: before, error: entry?.error ?? `${url}: not fetched`};
  const bytes = readFileSync(join(dir, INCOMING));
  let latest: number;
  try {
    latest = parsePopulationTable(new Uint8Array(bytes), url).years.at(-1)!;
  } catch (e) {
    return {status: "failed", url, in_use: before, error: `${url}: not a table of ONS mid-year estimates: ${(e as Error).message}`};
  }
  const inUseLatest = before.years.at(-1)!;
  if (latest < inUseLatest) return {status: "failed", url, in_use: before, error: `${url}: ends at mid-${latest}, before the estimates in use (to mid-${inUseLatest})`};
  if (before.source === "fetched" && readFileSync(join(dir, POPULATION_FILE)).equals(bytes)) return {status: "not_modified", url, in_use: before};
  // Copied then renamed: the table in use is the old or the new one, never half of either.
  copyFileSync(join(dir, INCOMING), join(dir, `${POPULATION_FILE}.part`));
  renameSync(join(dir, `${POPULATION_FILE}.part`), join(dir, POPULATION_FILE));
  return {status: "fetched", url, in_use: inUse()};
}
