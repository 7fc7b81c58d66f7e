import {formatPence} from "../conform/parse-amount.ts";
import {queryRows, queryToBytes, type OutputFormat} from "./query.ts";
import {storedReports} from "../store/store.ts";

export interface RejectCount {
  council_code: string;
  /** A RejectReason, "unreadable_file" for a file that could not be read at all, or "duplicate" for payments left out by the duplicate rule. */
  reason: string;
  rows: number;
  files: number;
  /** Pounds, summed over the rows whose amount could be parsed; null when none could. */
  amount: number | null;
}

/**
 * Rows left out of the totals, per council and reason: rejected rows from every source file's reconciliation
 * report (storedReports), unreadable files, and duplicates (counted from the store by the duplicate rule).
 */
export async function rejectCounts(storeDir = "store"): Promise<RejectCount[]> {
  const out = new Map<string, RejectCount>();
  const add = (council: string, reason: string, rows: number, amount: number | null) => {
    const key = `${council}\u0000${reason}`;
    const r = out.get(key) ?? {council_code: council, reason, rows: 0, files: 0, amount: null};
    r.rows += rows;
    r.files += 1;
    if (amount !== null) r.amount = (r.amount ?? 0) + amount;
    out.set(key, r);
  };
  const rejectedAmounts = await amountsByReason(storeDir);
  for (const report of storedReports(storeDir)) {
    if (report.error) add(report.council, "unreadable_file", report.rows_in, null);
    for (const [reason, rows] of Object.entries(report.rejected_by_reason)) {
      if (rows) add(report.council, reason, rows, rejectedAmounts.get(`${report.file}\u0000${reason}`) ?? null);
    }
  }
  for (const d of await duplicates(storeDir)) add(d.council_code as string, "duplicate", d.rows as number, d.amount as number);
  return [...out.values()].sort((a, b) => a.council_code.localeCompare(b.council_code) || b.rows - a.rows);
}

/** Parsed amounts of rejected rows per file and reason, from store/rejects (empty when there are none). */
async function amountsByReason(storeDir: string): Promise<Map<string, number>> {
  const rows = await queryRows(
    () => `
      SELECT source_file, reason, (sum(amount_pence) / 100)::DOUBLE AS amount
      FROM read_parquet('${rejectsGlob(storeDir)}', hive_partitioning = true, union_by_name = true)
      GROUP BY ALL`,
    storeDir
  ).catch((error: Error) => {
    // No rejects at all: DuckDB finds no file to read.
    if (/No files found/i.test(error.message)) return [];
    throw error;
  });
  return new Map(rows.filter((r) => r.amount !== null).map((r) => [`${r.source_file}\u0000${r.reason}`, r.amount as number]));
}

async function duplicates(storeDir: string): Promise<Record<string, unknown>[]> {
  return queryRows(
    (_counted, {flagged}) => `
      SELECT council_code, count(*)::INTEGER AS rows, (sum(amount_pence) / 100)::DOUBLE AS amount
      FROM ${flagged} WHERE duplicate GROUP BY ALL`,
    storeDir
  );
}

function rejectsGlob(storeDir: string): string {
  return `${storeDir}/rejects/**/*.parquet`.replaceAll("'", "''");
}

/** The counts as Parquet or CSV, with the council's name. */
export async function rejects(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  const counts = await rejectCounts(storeDir);
  const values = counts
    .map((r) => `(${sqlString(r.council_code)}, ${sqlString(r.reason)}, ${r.rows}, ${r.files}, ${r.amount === null ? "NULL" : Number(formatPence(Math.round(r.amount * 100)))})`)
    .join(", ");
  const empty = "SELECT NULL::VARCHAR AS council_code, NULL::VARCHAR AS reason, NULL::INTEGER AS rows, NULL::INTEGER AS files, NULL::DOUBLE AS amount WHERE false";
  return queryToBytes(
    () => `
      WITH r AS (${counts.length ? `SELECT * FROM (VALUES ${values}) v(council_code, reason, rows, files, amount)` : empty})
      SELECT r.council_code, c.name AS council_name, r.reason, r.rows::INTEGER AS rows, r.files::INTEGER AS files, r.amount::DOUBLE AS amount
      FROM r LEFT JOIN councils c ON c.code = r.council_code
      ORDER BY r.council_code, r.rows DESC`,
    format,
    storeDir
  );
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
