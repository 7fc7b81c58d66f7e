import {existsSync, statSync} from "node:fs";
import {join} from "node:path";
import {readManifests} from "../sources/manifest.ts";
import {councils} from "../sources/councils.ts";
import {storedReports} from "../store/store.ts";
import {queryRows} from "./query.ts";

export interface SourceFileEntry {
  council_code: string;
  council_name: string;
  /** "2019-04" or "2019-04..2019-06", as in the manifest. */
  period: string;
  path: string;
  url: string | null;
  licence: string;
  publisher: string;
  /** Null when the file has not been ingested. */
  sha256: string | null;
  rows: number | null;
  kept: number | null;
  rejected: number | null;
  amount_kept: string | null;
  error: string | null;
}

export interface CouncilSourceEntry {
  council_code: string;
  council_name: string;
  short_name: string;
  council_type: string | null;
  region: string | null;
  /** ISO date the council was abolished (the council list's end date), or null. */
  end_date: string | null;
  publisher: string;
  licence: string;
  landing_page: string | null;
  notes: string[];
  files: number;
  /** Latest month with coverage ("2026-05"), or null. */
  last_month: string | null;
  first_month: string | null;
  months_covered: number;
}

export interface SourcesDocument {
  /** ISO time this file was made. */
  generated: string;
  /** ISO time the store last changed (store/state.json). */
  store_updated: string | null;
  councils: CouncilSourceEntry[];
  files: SourceFileEntry[];
}

/**
 * Per council in the store: its first and latest month with payments and how many months it covers, counting a
 * payment only in the months of its file's period (a stray date outside the period names no month); a file no manifest
 * of the data folder lists (a discovered draft's) counts every month it has payments in.
 */
export async function councilCoverage(storeDir = "store", dataDir = "data"): Promise<Map<string, {first_month: string; last_month: string; months_covered: number}>> {
  const rows = await queryRows(
    (counted) => `
      SELECT m.council_code, strftime(min(month), '%Y-%m') AS first_month, strftime(max(month), '%Y-%m') AS last_month,
        count(*)::INTEGER AS months_covered
      FROM (
        SELECT DISTINCT p.council_code, date_trunc('month', p.payment_date + to_months(k.k))::DATE AS month, p.source_file
        FROM (SELECT DISTINCT council_code, source_file, payment_date,
                CASE date_precision WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END AS span FROM ${counted}) p,
             LATERAL (SELECT unnest(range(p.span)) AS k) k
      ) m LEFT JOIN source_files f ON f.council_code = m.council_code AND f.source_file = m.source_file
      WHERE f.source_file IS NULL OR m.month BETWEEN f.period_start AND f.period_end
      GROUP BY m.council_code`,
    storeDir,
    dataDir
  );
  return new Map(rows.map((r) => [r.council_code as string, {first_month: r.first_month as string, last_month: r.last_month as string, months_covered: r.months_covered as number}]));
}

/** Every source file in the manifests with its licence, link and reconciliation, and each council's coverage. */
export async function sources(storeDir = "store", dataDir = "data"): Promise<SourcesDocument> {
  const reports = new Map(storedReports(storeDir).map((r) => [r.file, r]));
  const reference = councils(dataDir);
  const coverage = await councilCoverage(storeDir, dataDir);
  const files: SourceFileEntry[] = [];
  const councilEntries: CouncilSourceEntry[] = [];
  for (const m of readManifests(dataDir)) {
    const ref = reference.get(m.council.code);
    const cov = coverage.get(m.council.code);
    councilEntries.push({
      council_code: m.council.code,
      council_name: m.council.name,
      short_name: ref?.name ?? m.council.name,
      council_type: ref?.type ?? null,
      region: ref?.region ?? null,
      end_date: ref?.end ?? null,
      publisher: m.publisher,
      licence: m.licence,
      landing_page: m.landing_page ?? null,
      notes: m.notes ?? [],
      files: m.files.length,
      first_month: cov?.first_month ?? null,
      last_month: cov?.last_month ?? null,
      months_covered: cov?.months_covered ?? 0
    });
    for (const f of m.files) {
      const r = reports.get(f.path);
      files.push({
        council_code: m.council.code,
        council_name: m.council.name,
        period: f.period,
        path: f.path,
        url: f.url ?? null,
        licence: m.licence,
        publisher: m.publisher,
        sha256: r?.sha256 ?? null,
        rows: r?.rows_in ?? null,
        kept: r?.kept ?? null,
        rejected: r?.rejected ?? null,
        amount_kept: r?.amount_kept ?? null,
        error: r?.error ?? null
      });
    }
  }
  const state = join(storeDir, "state.json");
  return {
    generated: new Date().toISOString(),
    store_updated: existsSync(state) ? statSync(state).mtime.toISOString() : null,
    councils: councilEntries,
    files
  };
}
