/**
 * Downloads the Charity Commission's register extract into the registers folder of the raw cache, through the
 * fetch machinery councils' files use (conditional request, retries, content checks, lock file), then unpacks its
 * charity table for the classifier (unpack-extract.ts). A failure never replaces the table in use.
 */
import {unlink} from "node:fs/promises";
import {join} from "node:path";
import {CCEW_EXTRACT_URL, EXTRACT_ZIP, readCurrentExtract, registersDirIn, type CurrentExtract} from "../classify/current-register.ts";
import {fetchSources, type FetchOptions} from "./fetch-source.ts";
import {unpackExtract} from "./unpack-extract.ts";

export interface RegistersFetch {
  /** fetched: a new table is in use; not_modified: the server has nothing newer; failed: nothing usable came. */
  status: "fetched" | "not_modified" | "failed";
  url: string;
  /** The table in use after the run (the last good one when this run failed), or null. */
  current: CurrentExtract | null;
  /** Why the run failed, naming the URL. */
  error?: string;
}

export type RegistersOptions = Omit<FetchOptions, "cacheDir" | "lockPath"> & {
  /** The raw cache; the extract goes to its registers folder. */
  cacheDir: string;
  url?: string;
};

/** The extract is tens of megabytes: an attempt may take minutes where a council's file takes seconds. */
const EXTRACT_TIMEOUT_MS = 10 * 60_000;

export async function fetchRegisters(opts: RegistersOptions): Promise<RegistersFetch> {
  const {cacheDir, url = CCEW_EXTRACT_URL, ...rest} = opts;
  const dir = registersDirIn(cacheDir);
  const log = opts.log ?? ((msg: string) => void process.stderr.write(msg + "\n"));
  const [entry] = await fetchSources([{council: "registers", url, path: EXTRACT_ZIP, kind: "zip"}], {timeoutMs: EXTRACT_TIMEOUT_MS, ...rest, cacheDir: dir, lockPath: join(dir, "lock.json")});
  const current = lastGood(dir, log);
  if (!entry || entry.status === "failed" || entry.status === "kept_last_good") {
    return {status: "failed", url, current, error: entry?.error ?? `${url}: not fetched`};
  }
  // A ZIP that came before and could not be unpacked was removed, so a 304 always means the table in use is its.
  if (entry.status === "not_modified" && current?.zip_sha256 === entry.sha256) return {status: "not_modified", url, current};
  try {
    const next = await unpackExtract(dir, entry);
    log(`charity register extract ${next.date} (${next.date_source}): ${next.rows} rows in ${join(dir, next.table)}`);
    return {status: "fetched", url, current: next};
  } catch (err) {
    // Without the ZIP the next run asks unconditionally instead of being told "not modified" about a bad copy.
    await unlink(join(dir, EXTRACT_ZIP)).catch(() => undefined);
    return {status: "failed", url, current, error: `${url}: ${(err as Error).message}`};
  }
}

function lastGood(dir: string, log: (msg: string) => void): CurrentExtract | null {
  try {
    return readCurrentExtract(dir);
  } catch (err) {
    log(`warning: ${(err as Error).message}`);
    return null;
  }
}
