import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {formatPence} from "../conform/parse-amount.ts";
import {sqlLiteral} from "../sql.ts";
import {damage} from "./file-check.ts";
import {readState} from "./store.ts";

/** A published file that is not as written, or a source whose ledger does not add up; `source` is the file it came from. */
export interface Fault {
  source: string;
  /** The Parquet file, relative to the store; absent for a ledger that does not add up in itself. */
  file?: string;
  reason: string;
}

export interface VerifyReport {
  sources: number;
  files: number;
  /** Outputs with no size and hash in state.json (written before they were kept): only their rows are counted. */
  unrecorded: number;
  damaged: Fault[];
  ledger: Fault[];
}

/** Pence from the ledger's decimal pounds ("-12.30"). */
function pence(pounds: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(pounds);
  if (!m) throw new Error(`not an amount in pounds: ${JSON.stringify(pounds)}`);
  const p = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -p : p;
}

/**
 * Checks a store against its state.json: every listed Parquet file has the size and sha256 it was written with;
 * every source's ledger adds up (rows in = kept + rejected, amount in = kept + rejected); and the rows its intact
 * files hold are the rows and pounds its ledger says were kept and rejected.
 */
export async function verifyStore(dir: string): Promise<VerifyReport> {
  const state = readState(dir);
  const report: VerifyReport = {sources: 0, files: 0, unrecorded: 0, damaged: [], ledger: []};
  const intact = new Map<string, string>();
  for (const [source, stored] of Object.entries(state.files)) {
    report.sources++;
    const r = stored.report;
    if (r.rows_in !== r.kept + r.rejected) report.ledger.push({source, reason: `rows in ${r.rows_in} ≠ kept ${r.kept} + rejected ${r.rejected}`});
    if (pence(r.amount_in) !== pence(r.amount_kept) + pence(r.amount_rejected)) {
      report.ledger.push({source, reason: `£${r.amount_in} in ≠ £${r.amount_kept} kept + £${r.amount_rejected} rejected`});
    }
    for (const file of stored.outputs) {
      report.files++;
      const check = stored.checks?.[file];
      if (!check) report.unrecorded++;
      const reason = check ? damage(join(dir, file), check) : undefined;
      if (reason) report.damaged.push({source, file, reason});
      else intact.set(file, source);
    }
  }
  const whole = Object.entries(state.files).filter(([, s]) => s.outputs.every((o) => intact.has(o)));
  const counted = await countRows(dir, [...intact.keys()]);
  for (const [source, stored] of whole) {
    const r = stored.report;
    const paid = counted.get(`payments\t${source}`) ?? {rows: 0, pence: 0n};
    const rejected = counted.get(`rejects\t${source}`)?.rows ?? 0;
    if (paid.rows !== r.kept) report.ledger.push({source, reason: `its files hold ${paid.rows} payments; its ledger kept ${r.kept}`});
    else if (paid.pence !== pence(r.amount_kept)) report.ledger.push({source, reason: `its payments add to £${formatPence(paid.pence)}; its ledger kept £${r.amount_kept}`});
    if (rejected !== r.rejected) report.ledger.push({source, reason: `its files hold ${rejected} rejects; its ledger rejected ${r.rejected}`});
  }
  return report;
}

/** Rows and pence per table and source_file ("payments\t<source>") in the files given. */
async function countRows(dir: string, files: string[]): Promise<Map<string, {rows: number; pence: bigint}>> {
  const out = new Map<string, {rows: number; pence: bigint}>();
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  try {
    for (const table of ["payments", "rejects"]) {
      const mine = files.filter((f) => f.startsWith(`${table}/`)).map((f) => sqlLiteral(join(dir, f)));
      if (mine.length === 0) continue;
      const result = await db.runAndReadAll(
        `SELECT source_file, count(*)::INTEGER AS n, coalesce(sum(amount_pence), 0)::VARCHAR AS p
         FROM read_parquet([${mine.join(", ")}], hive_partitioning = false, union_by_name = true) GROUP BY source_file`
      );
      for (const row of result.getRowObjectsJS()) out.set(`${table}\t${String(row.source_file)}`, {rows: Number(row.n), pence: BigInt(String(row.p))});
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  return out;
}

/** One line per fault, naming the file (or the source) and why. */
export function describeFaults(report: VerifyReport): string[] {
  return [
    ...report.damaged.map((f) => `damaged: ${f.file} (from ${f.source}): ${f.reason}`),
    ...report.ledger.map((f) => `ledger: ${f.source}: ${f.reason}`)
  ];
}
