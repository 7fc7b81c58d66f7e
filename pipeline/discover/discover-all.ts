import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {readManifest, type Manifest} from "../sources/manifest.ts";
import {discover, type DiscoverOptions, type DiscoverReport} from "./discover.ts";
import type {PoliteClient} from "./polite-client.ts";
import type {SpendingPage} from "./spending-pages.ts";

export const DATA_GOV_UK_API = "https://data.gov.uk/api";

/** What discovery did for one council. */
export interface CouncilDiscovery {
  council: string;
  name: string;
  /**
   * found: a draft was written; no_files: read, but no spending file found; failed: the page or API could not be read;
   * no_source: no page or dataset known; reviewed: a reviewed manifest is kept as it is; fresh: a recent draft is kept.
   */
  status: "found" | "no_files" | "failed" | "no_source" | "reviewed" | "fresh";
  from?: "page" | "ckan";
  url?: string;
  files: number;
  left_out: number;
  reason?: string;
  manifest?: string;
}

export interface DiscoverAllOptions {
  councils: {code: string; name: string; source?: SpendingPage}[];
  sourcesDir: string;
  /** The data folder, whose schema drafts are checked against (default "data"). */
  dataDir?: string;
  client: PoliteClient;
  ckanApi?: string;
  /** A draft discovered less than this many days ago is kept (default 0: every draft is discovered again). */
  staleDays?: number;
  /** Councils discovered at once; each host still gets one request at a time (default 4). */
  concurrency?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/** Writes a draft manifest atomically as SOURCES/CODE.json, once it passes the schema in dataDir; returns its path. */
export function writeDraft(sourcesDir: string, manifest: Manifest, dataDir = "data"): string {
  mkdirSync(sourcesDir, {recursive: true});
  const path = join(sourcesDir, `${manifest.council.code}.json`);
  const part = `${path}.part`;
  writeFileSync(part, `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    readManifest(part, dataDir, sourcesDir);
  } catch (e) {
    rmSync(part, {force: true});
    throw e;
  }
  renameSync(part, path);
  return path;
}

/** The manifest already in the folder for a council, if any, as far as discovery needs to know it. */
function existing(sourcesDir: string, code: string): Pick<Manifest, "reviewed" | "discovered"> | undefined {
  const path = join(sourcesDir, `${code}.json`);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {reviewed: false};
  }
}

type From = DiscoverOptions["from"];

async function one(council: DiscoverAllOptions["councils"][number], o: DiscoverAllOptions): Promise<CouncilDiscovery> {
  const base = {council: council.code, name: council.name, files: 0, left_out: 0};
  const had = existing(o.sourcesDir, council.code);
  if (had && had.reviewed !== false) return {...base, status: "reviewed"};
  const now = (o.now ?? (() => new Date()))();
  const age = had?.discovered ? (now.getTime() - Date.parse(had.discovered.at)) / 86_400_000 : Infinity;
  if (had && age < (o.staleDays ?? 0)) return {...base, status: "fresh", url: had.discovered?.url};
  const tries: From[] = [];
  if (council.source?.page) tries.push({page: council.source.page});
  if (council.source?.dataset) tries.push({ckan: o.ckanApi ?? DATA_GOV_UK_API, dataset: council.source.dataset});
  if (!tries.length) return {...base, status: "no_source", reason: "no spending page or data.gov.uk dataset known"};
  const reasons: string[] = [];
  let last: CouncilDiscovery | undefined;
  for (const from of tries) {
    let got: {manifest: Manifest | null; report: DiscoverReport};
    try {
      got = await discover({council: {code: council.code, name: council.name}, from, client: o.client, now: o.now});
    } catch (e) {
      reasons.push((e as Error).message);
      last = {...base, status: "failed", from: "page" in from ? "page" : "ckan", url: "page" in from ? from.page : from.ckan};
      continue;
    }
    const {manifest, report} = got;
    const summary = {...base, from: report.from, url: report.url, files: report.files.length, left_out: report.left_out.length};
    if (manifest) return {...summary, status: "found", manifest: writeDraft(o.sourcesDir, manifest, o.dataDir), ...(reasons.length ? {reason: reasons.join("; ")} : {})};
    reasons.push(`${report.url}: ${report.pages.length} page(s) read, no spending file found (${report.left_out.length} other file link(s))`);
    last = {...summary, status: "no_files"};
  }
  return {...last!, reason: reasons.join("; ")};
}

/**
 * Discovers every council given, a few at once: its page first, then its data.gov.uk dataset when the page fails
 * or lists no spending file. One council's failure is its own line in the result; the others go on.
 */
export async function discoverAll(o: DiscoverAllOptions): Promise<CouncilDiscovery[]> {
  const results: CouncilDiscovery[] = new Array(o.councils.length);
  let next = 0;
  const worker = async () => {
    while (next < o.councils.length) {
      const i = next++;
      const council = o.councils[i]!;
      try {
        results[i] = await one(council, o);
      } catch (e) {
        results[i] = {council: council.code, name: council.name, status: "failed", files: 0, left_out: 0, reason: (e as Error).message};
      }
      o.log?.(`[${results.filter(Boolean).length}/${o.councils.length}] ${council.code} ${council.name}: ${results[i]!.status}${results[i]!.files ? ` (${results[i]!.files} files)` : ""}`);
    }
  };
  await Promise.all(Array.from({length: Math.min(o.concurrency ?? 4, o.councils.length)}, worker));
  return results;
}
