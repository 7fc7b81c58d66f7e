import {existsSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {readSpendingPages, SPENDING_PAGES} from "../discover/spending-pages.ts";
import {englishCouncils} from "../sources/councils.ts";
import type {FileReport} from "../conform/ledger.ts";
import {storedReports} from "../store/store.ts";
import {lastAudit} from "../update/audit-log.ts";
import {councilCoverage} from "./sources.ts";

/** Where update writes discovered draft manifests by default, under the data folder. */
export const DISCOVERED = "discovered";

/**
 * in_data: the store holds payments of the council; not_ingested: a manifest, but nothing in the store;
 * no_files: its page or dataset was read and listed no spending file; failed: discovery, fetch or ingest failed;
 * not_tried: a page or dataset is known but has not been discovered; no_source: nothing is known of where it publishes.
 */
export type CouncilState = "in_data" | "not_ingested" | "no_files" | "failed" | "not_tried" | "no_source";

export interface CouncilStatus {
  code: string;
  name: string;
  type: string;
  region: string;
  status: CouncilState;
  /** Financial years with kept payments in the store, in order. */
  years: string[];
  first_month: string | null;
  last_month: string | null;
  /** Source files in the store, and their kept rows. */
  files: number;
  kept: number;
  /** reviewed: a manifest a person checked (data/sources, or a draft marked reviewed); draft: as discover wrote it. */
  manifest: "reviewed" | "draft" | null;
  manifest_files: number;
  /** The site has a page for the council (its manifest is in data/sources, which the site's council pages are made from). */
  council_page: boolean;
  /** The spending page known (the list of pages, else the manifest's), and the data.gov.uk dataset id. */
  page: string | null;
  dataset: string | null;
  /** What the last update did for the council, when it was in that run. */
  update: {status: string; reason?: string} | null;
  /** Why the council has no data, in words; null when it has. */
  why: string | null;
}

/** A stored file whose columns changed from the council's file before it, or that the council published again. */
export interface FileChange {
  council: string;
  name: string;
  file: string;
  kind: "layout_changed" | "republished";
  /** In words: the columns before and after, or the rows and pounds the new version adds or takes away. */
  detail: string;
}

export interface CouncilStatusDocument {
  generated: string;
  /** When the last update run in the store's log ended, if any. */
  last_update: string | null;
  councils: CouncilStatus[];
  changes: FileChange[];
}

const signed = (text: string | number) => (String(text).startsWith("-") ? String(text) : `+${text}`);
const columns = (layout: Record<string, string>) => Object.entries(layout).map(([column, field]) => `${column} (${field})`).join(", ");

/** The store's files marked by ingest as republished or with changed columns (pipeline/ingest/changes.ts, pipeline/store/republished.ts). */
function fileChanges(reports: FileReport[], names: Map<string, string>): FileChange[] {
  return reports.flatMap((r) => {
    const name = names.get(r.council) ?? r.council;
    const out: FileChange[] = [];
    if (r.layout_changed) out.push({council: r.council, name, file: r.file, kind: "layout_changed", detail: `columns were ${columns(r.layout_changed.before)}; now ${columns(r.layout_changed.after)}`});
    const p = r.republished;
    if (p) out.push({council: r.council, name, file: r.file, kind: "republished", detail: `${signed(p.rows_change)} rows, ${signed(p.amount_change)} pounds kept (${p.previous_kept} rows, £${p.previous_amount_kept} before; ${r.kept} rows, £${r.amount_kept} now)`});
    return out;
  });
}

interface ManifestFacts {
  reviewed: boolean;
  /** In data/sources: the project's own. */
  own: boolean;
  files: number;
  landing_page?: string;
  dataset?: string;
}

/** What each manifest in a folder says of itself (council, reviewed, files), read leniently: an unreadable one is passed over. */
function manifestFacts(dir: string, own: boolean): Map<string, ManifestFacts> {
  const out = new Map<string, ManifestFacts>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    let m;
    try {
      m = JSON.parse(readFileSync(join(dir, name), "utf8"));
    } catch {
      continue;
    }
    const code = m?.council?.code;
    if (typeof code !== "string") continue;
    const fromCkan = m.discovered?.from === "ckan" ? datasetId(m.discovered.url) : undefined;
    out.set(code, {
      // A manifest of the project's own is reviewed unless it says not; a draft only when a person marked it.
      reviewed: m.reviewed === undefined ? own : m.reviewed !== false,
      own,
      files: Array.isArray(m.files) ? m.files.length : 0,
      ...(typeof m.landing_page === "string" ? {landing_page: m.landing_page} : {}),
      ...(fromCkan ? {dataset: fromCkan} : {})
    });
  }
  return out;
}

/** The dataset id of a CKAN package_show call a draft came from, if its address names one. */
function datasetId(url: unknown): string | undefined {
  try {
    return new URL(String(url)).searchParams.get("id") ?? undefined;
  } catch {
    return undefined;
  }
}

const NO_SOURCE = "No spending page or data.gov.uk dataset known";

/**
 * Every English council of the reference list with what the project knows of it: whether the store holds its data
 * and which years, its manifest (reviewed or a draft), its known page and dataset, and what the last update did.
 */
export async function councilStatus(storeDir = "store", dataDir = "data", discoveredDir = join(dataDir, DISCOVERED)): Promise<CouncilStatusDocument> {
  const known = new Map(readSpendingPages(join(dataDir, SPENDING_PAGES)).map((p) => [p.code, p]));
  // A manifest of data/sources is the project's own; a draft of the discovered folder counts when there is none.
  const manifests = new Map([...manifestFacts(discoveredDir, false), ...manifestFacts(join(dataDir, "sources"), true)]);
  const stored = new Map<string, {files: number; kept: number; years: Set<string>}>();
  const reports = storedReports(storeDir);
  for (const r of reports) {
    const s = stored.get(r.council) ?? {files: 0, kept: 0, years: new Set<string>()};
    s.files++;
    s.kept += r.kept;
    if (r.kept > 0) for (const y of r.financial_years) s.years.add(y);
    stored.set(r.council, s);
  }
  const coverage = stored.size ? await councilCoverage(storeDir, dataDir) : new Map();
  const run = lastAudit(storeDir);
  const updates = new Map((run?.councils ?? []).map((c) => [c.council, c]));
  const councils = englishCouncils(dataDir)
    .map((c): CouncilStatus => {
      const s = stored.get(c.code);
      const m = manifests.get(c.code);
      const list = known.get(c.code);
      const u = updates.get(c.code);
      const cov = coverage.get(c.code);
      const page = list?.page ?? m?.landing_page ?? null;
      const dataset = list?.dataset ?? m?.dataset ?? null;
      const [status, why] = state({kept: s?.kept ?? 0, manifest: m, update: u, source: !!(page || dataset)});
      return {
        code: c.code,
        name: c.name,
        type: c.type,
        region: c.region,
        status,
        years: [...(s?.years ?? [])].sort(),
        first_month: cov?.first_month ?? null,
        last_month: cov?.last_month ?? null,
        files: s?.files ?? 0,
        kept: s?.kept ?? 0,
        manifest: m ? (m.reviewed ? "reviewed" : "draft") : null,
        manifest_files: m?.files ?? 0,
        council_page: m?.own ?? false,
        page,
        dataset,
        update: u ? {status: u.status === "skipped" ? u.discover : u.status, ...(u.reason ? {reason: u.reason} : {})} : null,
        why
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const names = new Map(councils.map((c) => [c.code, c.name]));
  const changes = fileChanges(reports, names).sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  return {generated: new Date().toISOString(), last_update: run?.end ?? null, councils, changes};
}

/** The council's state and, when it has no data, why, from what is stored, its manifest and the last update. */
function state(o: {kept: number; manifest?: ManifestFacts; update?: {status: string; discover: string; reason?: string}; source: boolean}): [CouncilState, string | null] {
  if (o.kept > 0) return ["in_data", null];
  const reason = o.update?.reason ? `: ${o.update.reason}` : "";
  if (o.update?.status === "failed") return ["failed", `Last update failed${reason}`];
  if (o.manifest) return ["not_ingested", `A ${o.manifest.reviewed ? "reviewed" : "draft"} manifest of ${o.manifest.files} file(s), not in the store yet${reason}`];
  if (o.update?.discover === "no_files") return ["no_files", `Page read, no spending file found${reason}`];
  if (o.update?.discover === "no_source" || !o.source) return ["no_source", NO_SOURCE];
  return ["not_tried", "A page or dataset is known; not discovered yet"];
}
