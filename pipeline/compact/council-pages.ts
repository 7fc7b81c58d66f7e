/**
 * The council pages' data, prepared in one pass. councilsData runs its queries once over every council; the result
 * is written as two files per council (<code>.json, a council page's data; <code>-recipients.json, every VCSE
 * recipient, for the page's download) and summary.json (the Councils page's
 * list) into a folder named for everything it depends on: the store's state, the manifests, the reference data
 * and the code that computes it. A changed store gets a new folder, so nothing is ever read stale; the folders
 * of this store's earlier states are removed.
 *
 * Framework serves the files from one archive (src/data/council.zip.ts, councilPagesArchive), which it unpacks
 * in its own process: no process is started and no query is run per council.
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {zipSync, type Zippable} from "fflate";
import {councilsData, manifestFor} from "./council.ts";
import type {CouncilDetail, CouncilsSummary, Recipient} from "./council-types.ts";
import {CACHE_DIR} from "../cache-dir.ts";
import {fingerprint} from "../fingerprint.ts";
import {DEFAULT_REFERENCE_DIR, DEFLATOR_FILE} from "../reference/deflators.ts";
import {POPULATION_FILE} from "../reference/population.ts";

const REFERENCE_TABLES = ["local-authorities", "deflators", "population"];
/** The reference files `fetch --reference` puts in use over the embedded ones. */
const FETCHED_REFERENCE = [DEFLATOR_FILE, POPULATION_FILE].map((f) => join(DEFAULT_REFERENCE_DIR, f));
const SUMMARY = "summary.json";
const PREFIX = "council-pages-";

/** The folder holding every council page's data for this store and data folder, made when it is missing. */
export async function councilPagesDir(storeDir = "store", dataDir = "data"): Promise<string> {
  const key = fingerprint([import.meta.filename], [join(storeDir, "state.json"), join(dataDir, "sources"), ...REFERENCE_TABLES.map((f) => join(dataDir, "reference", f)), ...FETCHED_REFERENCE], process.cwd());
  // One namespace per store, so that a test's temporary store never removes the site's folder.
  const store = createHash("sha256").update(resolve(storeDir)).digest("hex").slice(0, 12);
  const dir = join(CACHE_DIR, `${PREFIX}${store}-${key}`);
  if (existsSync(dir)) return dir;

  const data = await councilsData(storeDir, dataDir);
  const temp = `${dir}.${process.pid}.tmp`;
  rmSync(temp, {recursive: true, force: true});
  mkdirSync(temp, {recursive: true});
  writeFileSync(join(temp, SUMMARY), JSON.stringify(data.summary));
  for (const [code, detail] of Object.entries(data.details)) writeFileSync(join(temp, `${code}.json`), JSON.stringify(detail));
  for (const [code, recipients] of Object.entries(data.recipients)) writeFileSync(join(temp, recipientsFile(code)), JSON.stringify(recipients));
  try {
    // The folder appears whole or not at all; a process that finished first has made the same one.
    renameSync(temp, dir);
  } catch (e) {
    rmSync(temp, {recursive: true, force: true});
    if (!existsSync(dir)) throw e;
  }
  const earlier = new RegExp(`^${PREFIX}${store}-[0-9a-f]{16}$`);
  for (const name of readdirSync(CACHE_DIR)) {
    if (earlier.test(name) && join(CACHE_DIR, name) !== dir) rmSync(join(CACHE_DIR, name), {recursive: true, force: true});
  }
  return dir;
}

/** The file of a council's every VCSE recipient, beside its page's data. */
export const recipientsFile = (code: string) => `${code}-recipients.json`;

/** Every VCSE recipient of a council, with its evidence and amount per year, largest in the headline year first. */
export async function councilRecipients(code: string, storeDir = "store", dataDir = "data"): Promise<Recipient[]> {
  manifestFor(code, dataDir);
  return JSON.parse(readFileSync(join(await councilPagesDir(storeDir, dataDir), recipientsFile(code)), "utf8")) as Recipient[];
}

/** One council's page: years, coverage by month, its largest recipients, services, source files and data quality. */
export async function councilDetail(code: string, storeDir = "store", dataDir = "data"): Promise<CouncilDetail> {
  manifestFor(code, dataDir);
  const file = join(await councilPagesDir(storeDir, dataDir), `${code}.json`);
  if (!existsSync(file)) throw new Error(`council ${code} is in ${join(dataDir, "sources")} but not in the compacted data (${file})`);
  return JSON.parse(readFileSync(file, "utf8")) as CouncilDetail;
}

/** Every council in data/sources with its years and its rank among councils of its type. */
export async function councilsSummary(storeDir = "store", dataDir = "data"): Promise<CouncilsSummary> {
  return JSON.parse(readFileSync(join(await councilPagesDir(storeDir, dataDir), SUMMARY), "utf8")) as CouncilsSummary;
}

/**
 * Every file of councilPagesDir in one ZIP archive, in name order, with a fixed date so that the same data
 * makes the same bytes. Framework serves council/<code>.json, council/<code>-recipients.json and
 * council/summary.json from it.
 */
export async function councilPagesArchive(storeDir = "store", dataDir = "data"): Promise<Uint8Array> {
  const dir = await councilPagesDir(storeDir, dataDir);
  const files: Zippable = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) files[name] = readFileSync(join(dir, name));
  return zipSync(files, {level: 6, mtime: new Date("2000-01-01T00:00:00Z")});
}
