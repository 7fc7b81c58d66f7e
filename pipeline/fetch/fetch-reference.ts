/**
 * Downloads ONS's reference data: the mid-year population estimates of every year (fetch-population.ts) and the
 * latest GDP deflator series (YBGB, the quarterly CSV ONS publishes) into the reference folder of the
 * raw cache, through the fetch machinery councils' files use (conditional request, retries, content checks, lock
 * file). The series is read before it is put in use: a download that is not a series in ONS's layout, or that ends
 * earlier than the one in use, never replaces it. The embedded copy stays the default (readDeflators).
 */
import {copyFileSync, renameSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {join} from "node:path";
import {DEFLATOR_FILE, financialYearDeflators, readDeflators, referenceDirIn, type DeflatorSeries} from "../reference/deflators.ts";
import {fetchPopulation, ONS_POPULATION_URL, type PopulationFetch} from "./fetch-population.ts";
import {fetchSources, type FetchOptions} from "./fetch-source.ts";

export const ONS_YBGB_URL = "https://www.ons.gov.uk/generator?format=csv&uri=/economy/grossdomesticproductgdp/timeseries/ybgb/qna";

export interface ReferenceFetch {
  /** fetched: a newer series is in use; not_modified: nothing newer; failed: nothing usable came (the series in use stays). */
  status: "fetched" | "not_modified" | "failed";
  url: string;
  /** The series in use after the run: its release date, latest quarter and base year, and whether it is the embedded copy. */
  in_use: Pick<DeflatorSeries, "release_date" | "latest_quarter" | "base_year" | "source">;
  error?: string;
  /** The population estimates, fetched the same way. */
  population: PopulationFetch;
}

export type ReferenceOptions = Omit<FetchOptions, "cacheDir" | "lockPath"> & {cacheDir: string; dataDir?: string; deflatorUrl?: string; populationUrl?: string};

const INCOMING = `incoming-${DEFLATOR_FILE}`;

export async function fetchReference(o: ReferenceOptions): Promise<ReferenceFetch> {
  const {cacheDir, dataDir = "data", populationUrl = ONS_POPULATION_URL, deflatorUrl: _, ...rest} = o;
  const dir = referenceDirIn(cacheDir);
  const population = await fetchPopulation(dir, dataDir, populationUrl, rest);
  return {...(await fetchDeflator(o)), population};
}

async function fetchDeflator(o: ReferenceOptions): Promise<Omit<ReferenceFetch, "population">> {
  const {cacheDir, dataDir = "data", deflatorUrl: url = ONS_YBGB_URL, populationUrl: _, ...rest} = o;
  const dir = referenceDirIn(cacheDir);
  const inUse = () => {
    const s = readDeflators(dataDir, dir);
    return {release_date: s.release_date, latest_quarter: s.latest_quarter, base_year: s.base_year, source: s.source};
  };
  const before = readDeflators(dataDir, dir);
  const [entry] = await fetchSources([{council: "reference", url, path: INCOMING, kind: "csv"}], {...rest, cacheDir: dir, lockPath: join(dir, "lock.json")});
  if (!entry || entry.status === "failed" || entry.status === "kept_last_good") return {status: "failed", url, in_use: inUse(), error: entry?.error ?? `${url}: not fetched`};
  let series: DeflatorSeries;
  try {
    series = financialYearDeflators(await readFile(join(dir, INCOMING), "utf8"));
  } catch (e) {
    return {status: "failed", url, in_use: inUse(), error: `${url}: not an ONS time series: ${(e as Error).message}`};
  }
  if (series.latest_quarter < before.latest_quarter) {
    return {status: "failed", url, in_use: inUse(), error: `${url}: ends at ${series.latest_quarter}, before the series in use (${before.latest_quarter})`};
  }
  if (series.latest_quarter === before.latest_quarter && series.release_date === before.release_date) return {status: "not_modified", url, in_use: inUse()};
  // Copied then renamed: the series in use is the old or the new one, never half of either.
  copyFileSync(join(dir, INCOMING), join(dir, `${DEFLATOR_FILE}.part`));
  renameSync(join(dir, `${DEFLATOR_FILE}.part`), join(dir, DEFLATOR_FILE));
  return {status: "fetched", url, in_use: inUse()};
}
