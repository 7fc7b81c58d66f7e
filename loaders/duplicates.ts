import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {formatPence} from "./parse-amount.ts";
import {storedFiles, storedTableSql} from "./store.ts";

export interface DuplicateCount {
  rows: number;
  amount: string;
}

/**
 * SQL for the store's payments with a `duplicate` flag. The rule: payments match when council, date,
 * supplier key, amount and transaction reference (if any) are equal. Within one file repeats are real
 * payments and never flagged. Across files, a file's k-th copy of a payment is a duplicate when an earlier
 * file (ordered by first payment date, then name) already holds at least k copies.
 */
export function paymentsSql(storeDir: string): string {
  return `
    WITH p AS (SELECT * FROM ${storedTableSql(storeDir, "payments")}),
    files AS (SELECT source_file, row_number() OVER (ORDER BY min(payment_date), source_file) AS file_order FROM p GROUP BY source_file),
    keyed AS (
      SELECT p.*, f.file_order,
        row_number() OVER (PARTITION BY p.council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, ''), p.source_file ORDER BY source_row) AS copy
      FROM p JOIN files f USING (source_file)
    ),
    per_file AS (
      SELECT council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, '') AS ref, file_order, max(copy) AS copies
      FROM keyed GROUP BY ALL
    ),
    earlier AS (
      SELECT *, coalesce(max(copies) OVER (PARTITION BY council_code, payment_date, supplier_key, amount_pence, ref ORDER BY file_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM per_file
    )
    SELECT k.* EXCLUDE (copy, file_order), k.copy <= e.before AS duplicate
    FROM keyed k JOIN earlier e
      ON k.council_code = e.council_code AND k.payment_date = e.payment_date AND k.supplier_key = e.supplier_key
      AND k.amount_pence = e.amount_pence AND coalesce(k.transaction_ref, '') = e.ref AND k.file_order = e.file_order`;
}

/** Duplicate payments per source file, by the rule in paymentsSql. */
export async function findDuplicates(storeDir: string, connection?: DuckDBConnection): Promise<Map<string, DuplicateCount>> {
  const out = new Map<string, DuplicateCount>();
  if (storedFiles(storeDir, "payments").length === 0) return out;
  const instance = connection ? null : await DuckDBInstance.create(":memory:");
  const conn = connection ?? (await instance!.connect());
  try {
    const result = await conn.runAndReadAll(
      `SELECT source_file, count(*) AS rows, sum(amount_pence)::VARCHAR AS pence FROM (${paymentsSql(storeDir)}) WHERE duplicate GROUP BY source_file`
    );
    for (const row of result.getRowObjects()) {
      out.set(row.source_file as string, {rows: Number(row.rows), amount: formatPence(BigInt(row.pence as string))});
    }
    return out;
  } finally {
    if (instance) {
      conn.closeSync();
      instance.closeSync();
    }
  }
}
