/**
 * Which charity register the classifier reads: the Charity Commission's extract that `vcse-spend fetch --registers`
 * left in its folder, or, when there is none, the names embedded in the project. The folder holds the fetched ZIP,
 * its lock file, the unpacked charity table (named for its content) and current.json, which names that table and is
 * replaced last, atomically: readers trust only current.json, so they never see a half-written table.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";

/** The raw cache `fetch` fills by default; the registers have a folder of their own inside it. */
export const RAW_CACHE = join("cache", "raw");
export const registersDirIn = (cacheDir: string): string => join(cacheDir, "registers");
export const DEFAULT_REGISTERS_DIR = registersDirIn(RAW_CACHE);
export const CURRENT_FILE = "current.json";
export const EXTRACT_ZIP = "publicextract.charity.zip";
/** The Commission's daily extract of its register, the charity table (https://register-of-charities.charitycommission.gov.uk/register/full-register-download). */
export const CCEW_EXTRACT_URL = "https://ccewuksprdoneregsadata1.blob.core.windows.net/data/txt/publicextract.charity.zip";

/** What a site says of the register its figures rest on. */
export interface RegisterUse {
  register: "ccew_extract" | "embedded";
  title: string;
  /** The register's date: YYYY-MM-DD for an extract (or "unknown"), a year for the embedded names. */
  date: string;
  /** Where the date comes from: the extract's own date_of_extract column, the server's Last-Modified, the fetch time. */
  date_source: "date_of_extract" | "last_modified" | "fetched_at" | "embedded" | "none";
  url: string | null;
  /** sha256 of the table read; empty for the embedded names. */
  sha256: string;
}

/** current.json: the register in use and the table that holds it. */
export interface CurrentExtract extends RegisterUse {
  /** File name of the unpacked table, in the same folder. */
  table: string;
  rows: number;
  fetched_at: string;
  zip_sha256: string;
}

export const CCEW_TITLE = "Charity Commission register of charities (public extract)";
export const EMBEDDED_REGISTER: RegisterUse = {
  register: "embedded",
  title: "registered charity names embedded in the project",
  date: "2016",
  date_source: "embedded",
  url: null,
  sha256: ""
};

/** The extract a registers folder holds, or null when it holds none; a current.json that is unreadable or names a missing table throws. */
export function readCurrentExtract(dir: string): CurrentExtract | null {
  const path = join(dir, CURRENT_FILE);
  if (!existsSync(path)) return null;
  let current: CurrentExtract;
  try {
    current = JSON.parse(readFileSync(path, "utf8")) as CurrentExtract;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message}); run vcse-spend fetch --registers again`);
  }
  if (typeof current.table !== "string" || !current.table || current.table.includes("/") || typeof current.date !== "string") {
    throw new Error(`${path}: no table and date; run vcse-spend fetch --registers again`);
  }
  if (!existsSync(join(dir, current.table))) throw new Error(`${path}: names ${current.table}, which is missing; run vcse-spend fetch --registers again`);
  return current;
}

/**
 * The register a classifier reads from a registers folder (default DEFAULT_REGISTERS_DIR; null for the embedded
 * names only) and the path of its table, if any.
 */
export function registerInUse(dir: string | null = DEFAULT_REGISTERS_DIR): {use: RegisterUse; table: string | null} {
  const current = dir === null ? null : readCurrentExtract(dir);
  if (!current) return {use: EMBEDDED_REGISTER, table: null};
  const {register, title, date, date_source, url, sha256} = current;
  return {use: {register, title, date, date_source, url, sha256}, table: join(dir!, current.table)};
}

/** A register's description for a log line: "Charity Commission register of charities (public extract) dated 2026-12-02". */
export function describeRegister(use: RegisterUse): string {
  return use.register === "embedded" ? `${use.title} (${use.date})` : `${use.title} dated ${use.date}`;
}
