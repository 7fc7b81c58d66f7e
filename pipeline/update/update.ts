import {basename, join} from "node:path";
import {walkCouncils, type WalkOptions} from "../discover/walk-councils.ts";
import type {CouncilDiscovery} from "../discover/discover-all.ts";
import {fetchSources, readLock, type FetchOptions, type FetchTarget, type LockEntry} from "../fetch/fetch-source.ts";
import {appendAudit, auditEntry} from "./audit-log.ts";
import {ingest, type IngestReport} from "../ingest/ingest.ts";
import {loadClassifier, type Classifier} from "../classify/classify.ts";
import {fetchTargets, readManifest, type Manifest} from "../sources/manifest.ts";
import {readState} from "../store/store.ts";
import {describeFaults, verifyStore, type VerifyReport} from "../store/verify.ts";
import {buildSite} from "../site/build-site.ts";

export interface UpdateOptions extends WalkOptions {
  cacheDir: string;
  outDir: string;
  /** Passed to fetch (retries, timeouts); downloads go one at a time per host. */
  fetch?: Omit<FetchOptions, "cacheDir" | "lockPath" | "log">;
  /** After the update, when the store passes verify: build the site and publish it as `out` (see buildSite). */
  site?: {out: string; command: string[]; wait?: boolean};
}

/** What update did for one council, stage by stage; `reason` names what went wrong. */
export interface CouncilUpdate {
  council: string;
  name: string;
  /** updated: files read into the store; failed: a stage failed for all of the council's files; skipped: nothing to fetch. */
  status: "updated" | "failed" | "skipped";
  discover: CouncilDiscovery["status"];
  files: number;
  fetch?: {fetched: number; not_modified: number; failed: number};
  ingest?: {files: number; failed_files: number; rows_in: number; kept: number; amount_kept: string; changed: RunChanges};
  reason?: string;
}

/** What this run changed in the store for a council: files new to it, files published again, files whose columns changed. */
export interface RunChanges {
  new_files: number;
  republished: number;
  layout_changed: number;
}

export interface UpdateReport {
  councils: CouncilUpdate[];
  updated: number;
  failed: {council: string; name: string; reason: string}[];
  /** The store checked after ingest (and after rebuilding what was damaged): what the site would be built from. */
  verify: VerifyReport & {rebuilt: string[]};
  /** With a site to build: the build published (its folder's name, which is its version), or why none was. */
  site?: {published: string | null; reason?: string};
}

const HAS_MANIFEST = new Set(["found", "reviewed", "fresh"]);

/**
 * Discover (drafts that are missing, unreviewed or stale), fetch and ingest, council by council as far as faults go:
 * a council whose page, files or ingest fail is named with the reason, and the others go on.
 */
export async function update(o: UpdateOptions): Promise<UpdateReport> {
  const start = new Date();
  const log = o.log ?? (() => {});
  log("discover: walking councils");
  const found = await walkCouncils(o);
  const rows: CouncilUpdate[] = [];
  const manifests = new Map<string, Manifest>();
  for (const d of found) {
    const row: CouncilUpdate = {council: d.council, name: d.name, status: "skipped", discover: d.status, files: 0, ...(d.reason ? {reason: d.reason} : {})};
    rows.push(row);
    if (d.status === "failed") row.status = "failed";
    if (!HAS_MANIFEST.has(d.status)) continue;
    try {
      const manifest = readManifest(join(o.sourcesDir, `${d.council}.json`), o.dataDir, o.cacheDir);
      manifests.set(d.council, manifest);
      row.files = manifest.files.length;
    } catch (e) {
      Object.assign(row, {status: "failed", reason: (e as Error).message});
    }
  }

  const listed: FetchTarget[] = [...manifests.values()].flatMap(fetchTargets);
  // Files robots.txt forbids are not asked for; they count as failed for their council.
  const refused: (LockEntry & {council: string})[] = [];
  const targets: FetchTarget[] = [];
  for (const t of listed) {
    const allowed = await o.client.mayAsk(t.url).catch((e: Error) => e.message);
    if (allowed === true) targets.push(t);
    else refused.push({council: t.council, url: t.url, path: t.path, sha256: "", bytes: 0, fetched_at: new Date().toISOString(), status: "failed", error: `${t.url}: ${allowed || "robots.txt disallows it"}`});
  }
  log(`fetch: ${targets.length} file(s) of ${manifests.size} council(s)`);
  const fetchOptions = {perHostConcurrency: 1, fetchImpl: o.client.fetchThrough, ...o.fetch, cacheDir: o.cacheDir, lockPath: join(o.cacheDir, "lock.json"), log};
  const cachedBefore = readLock(fetchOptions.lockPath);
  const fetched = targets.length ? await fetchSources(targets, fetchOptions) : [];
  // For the audit log: files fetched whose content differs from the copy cached before.
  const changed = new Map<string, number>();
  fetched.forEach((e, i) => {
    if (e.status === "fetched" && cachedBefore[e.path]?.sha256 !== e.sha256) changed.set(targets[i]!.council, (changed.get(targets[i]!.council) ?? 0) + 1);
  });
  const results = [...fetched.map((e, i) => ({...e, council: targets[i]!.council})), ...refused];
  for (const row of rows.filter((r) => manifests.has(r.council))) {
    const mine = results.filter((e) => e.council === row.council);
    const bad = mine.filter((e) => e.status === "failed");
    row.fetch = {fetched: mine.filter((e) => e.status === "fetched").length, not_modified: mine.filter((e) => e.status === "not_modified").length, failed: bad.length + mine.filter((e) => e.status === "kept_last_good").length};
    if (bad.length === mine.length && mine.length > 0) {
      Object.assign(row, {status: "failed", reason: `no file could be fetched: ${bad[0]!.error}`});
      manifests.delete(row.council);
    } else if (row.fetch.failed) {
      row.reason = `${row.fetch.failed} file(s) not fetched: ${mine.find((e) => e.error)!.error}`;
    }
  }

  // One classifier for every council's ingest (it takes seconds to load), loaded when the first is ingested.
  let classifier: Promise<Classifier> | undefined;
  const ingestCouncil = async (council: string): Promise<IngestReport> =>
    ingest({dataDir: o.dataDir, dirs: {sourcesDir: o.sourcesDir, filesDir: o.cacheDir}, outDir: o.outDir, councils: [council], log, classifier: await (classifier ??= loadClassifier())});
  log(`ingest: ${manifests.size} council(s)`);
  for (const row of rows.filter((r) => manifests.has(r.council))) {
    try {
      const before = new Map(Object.entries(readState(o.outDir).files).map(([source, f]) => [source, f.sha256]));
      const report = await ingestCouncil(row.council);
      const {files, failed_files, rows_in, kept, amount_kept} = report.total;
      const read = report.files.filter((f) => !f.error);
      const changed: RunChanges = {
        new_files: read.filter((f) => !before.has(f.file)).length,
        republished: read.filter((f) => before.has(f.file) && before.get(f.file) !== f.sha256).length,
        layout_changed: read.filter((f) => f.layout_changed && before.get(f.file) !== f.sha256).length
      };
      row.ingest = {files, failed_files, rows_in, kept, amount_kept, changed};
      const readable = files - failed_files;
      row.status = readable > 0 ? "updated" : "failed";
      const errors = report.files.filter((f) => f.error).map((f) => f.error);
      if (errors.length) row.reason = [row.reason, `${errors.length} file(s) unreadable: ${errors[0]}`].filter(Boolean).join("; ");
    } catch (e) {
      Object.assign(row, {status: "failed", reason: `ingest: ${(e as Error).message}`});
    }
    const c = row.ingest?.changed;
    log(`ingest: ${row.council} ${row.name}: ${row.status}${row.ingest ? ` (${row.ingest.kept} rows kept; ${c!.new_files} new, ${c!.republished} published again, ${c!.layout_changed} with new columns)` : ""}`);
  }
  const verify = await verifyAndRepair(o, log, ingestCouncil);
  const failed = rows.filter((r) => r.status === "failed").map((r) => ({council: r.council, name: r.name, reason: r.reason ?? "failed"}));
  const report: UpdateReport = {councils: rows, updated: rows.filter((r) => r.status === "updated").length, failed, verify};
  if (o.site) report.site = await publishSite(o, o.site, verify, log);
  appendAudit(o.outDir, auditEntry(start, new Date(), rows, changed, report.site));
  return report;
}

/** Builds and publishes the site from a store that passed verify; a store that failed, or a failed build, publishes nothing. */
async function publishSite(o: UpdateOptions, site: NonNullable<UpdateOptions["site"]>, verify: VerifyReport, log: (line: string) => void): Promise<NonNullable<UpdateReport["site"]>> {
  if (describeFaults(verify).length) return {published: null, reason: "the store failed verify, so the site was not built from it"};
  try {
    return {published: basename(await buildSite({out: site.out, command: site.command, store: o.outDir, verified: true, wait: site.wait, log}))};
  } catch (e) {
    log(`site: ${(e as Error).message}`);
    return {published: null, reason: (e as Error).message};
  }
}

/**
 * Verifies the store; the councils of damaged files (those this run did not ingest, or a file damaged since) are
 * ingested again, which writes each damaged file again from its source, and the store is verified once more.
 */
async function verifyAndRepair(
  o: UpdateOptions, log: (line: string) => void, ingestCouncil: (council: string) => Promise<IngestReport>
): Promise<UpdateReport["verify"]> {
  const first = await verifyStore(o.outDir);
  const faults = [...first.damaged, ...first.ledger];
  if (faults.length === 0) return {...first, rebuilt: []};
  for (const line of describeFaults(first)) log(`verify: ${line}`);
  const files = readState(o.outDir).files;
  const councils = [...new Set(faults.map((f) => files[f.source]?.report.council).filter((c): c is string => !!c))].sort();
  for (const council of councils) {
    log(`verify: ingesting ${council} again to rebuild its damaged files`);
    try {
      await ingestCouncil(council);
    } catch (e) {
      log(`verify: ${council}: ${(e as Error).message}`);
    }
  }
  const again = await verifyStore(o.outDir);
  const still = new Set([...again.damaged, ...again.ledger].map((f) => f.source));
  return {...again, rebuilt: [...new Set(faults.map((f) => f.source))].filter((s) => !still.has(s)).sort()};
}
