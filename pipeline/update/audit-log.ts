/**
 * The update's audit trail: each run appends one JSON line to STORE/updates.jsonl, saying when it ran, what it did for
 * each council and which site it published. A run killed before its end appends nothing; a line cut short (a crash
 * in the write) is skipped by readers.
 */
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync} from "node:fs";
import {join} from "node:path";

export const AUDIT_LOG = "updates.jsonl";

export interface AuditCouncil {
  council: string;
  name: string;
  status: "updated" | "failed" | "skipped";
  /** What discovery said of the council's page or dataset ("found", "no_files", "reviewed", ...). */
  discover: string;
  /** Files the council's manifest lists. */
  found: number;
  fetched: number;
  /** Fetched with content other than the copy cached before. */
  changed: number;
  /** Files in the store for the council after the run (read now or unchanged since). */
  ingested: number;
  /** Files not fetched or not readable. */
  failed: number;
  reason?: string;
}

export interface AuditEntry {
  start: string;
  end: string;
  councils: AuditCouncil[];
  totals: {councils: number; updated: number; failed: number; without_source: number; found: number; fetched: number; changed: number; ingested: number; failed_files: number};
  /** The site build published (its folder's name), null when the build was asked for and none was published, absent when not asked. */
  site?: string | null;
  site_reason?: string;
}

/** The run's line: councils with no page or dataset known are counted in the totals, not listed. */
export function auditEntry(
  start: Date,
  end: Date,
  councils: {council: string; name: string; status: AuditCouncil["status"]; discover: string; files: number; fetch?: {fetched: number; failed: number}; ingest?: {files: number; failed_files: number}; reason?: string}[],
  changed: Map<string, number>,
  site?: {published: string | null; reason?: string}
): AuditEntry {
  const listed = councils.filter((c) => c.discover !== "no_source");
  const rows: AuditCouncil[] = listed.map((c) => ({
    council: c.council,
    name: c.name,
    status: c.status,
    discover: c.discover,
    found: c.files,
    fetched: c.fetch?.fetched ?? 0,
    changed: changed.get(c.council) ?? 0,
    ingested: c.ingest ? c.ingest.files - c.ingest.failed_files : 0,
    failed: (c.fetch?.failed ?? 0) + (c.ingest?.failed_files ?? 0),
    ...(c.reason ? {reason: c.reason} : {})
  }));
  const sum = (key: "found" | "fetched" | "changed" | "ingested" | "failed") => rows.reduce((s, r) => s + r[key], 0);
  const totals = {
    councils: councils.length,
    updated: rows.filter((r) => r.status === "updated").length,
    failed: rows.filter((r) => r.status === "failed").length,
    without_source: councils.length - listed.length,
    found: sum("found"),
    fetched: sum("fetched"),
    changed: sum("changed"),
    ingested: sum("ingested"),
    failed_files: sum("failed")
  };
  return {start: start.toISOString(), end: end.toISOString(), councils: rows, totals, ...(site ? {site: site.published, ...(site.reason ? {site_reason: site.reason} : {})} : {})};
}

/** Appends the line and syncs it to disk. */
export function appendAudit(storeDir: string, entry: AuditEntry): void {
  mkdirSync(storeDir, {recursive: true});
  const fd = openSync(join(storeDir, AUDIT_LOG), "a");
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The last whole line of the log, or null when there is none. */
export function lastAudit(storeDir: string): AuditEntry | null {
  return readAudit(storeDir).at(-1) ?? null;
}

/** Every whole line of the log, oldest first. */
export function readAudit(storeDir: string): AuditEntry[] {
  const path = join(storeDir, AUDIT_LOG);
  if (!existsSync(path)) return [];
  const entries: AuditEntry[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    try {
      if (line.trim()) entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // A line cut short by a crash mid-write.
    }
  }
  return entries;
}
