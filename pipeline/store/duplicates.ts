import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {formatPence} from "../conform/parse-amount.ts";
import {sqlLiteral} from "../sql.ts";
import {storedFiles, storedTableSql} from "./store.ts";

export interface DuplicateCount {
  rows: number;
  amount: string;
}

const SAME_KEY = (a: string, b: string) =>
  `${a}.council_code = ${b}.council_code AND ${a}.payment_date = ${b}.payment_date AND ${a}.supplier_key = ${b}.supplier_key
   AND ${a}.amount_pence = ${b}.amount_pence AND coalesce(${a}.transaction_ref, '') = ${b}.ref`;

/** The share of a file's payments in a month that must have a counterpart in one earlier file for the month to be a copy. */
export const COPY_MONTH_SHARE = 0.9;

/**
 * The rule, over a relation `p` of payments: `keyed` numbers each payment's copies within its file, `earlier`
 * holds, per match key and file, how many copies earlier files hold. Only payments whose key is found in
 * more than one file (`shared`) can be duplicates, so the windows run over those alone.
 *
 * `copy_months` (council, file, month): a month a file publishes again. When at least COPY_MONTH_SHARE of a
 * file's payments dated in a month have a counterpart in one earlier file's payments of that month by council,
 * date, supplier key, transaction reference and the amount's size (either sign: a copy that lost or flipped
 * the sign of credit notes is still a copy), that month of the file is a second publication, and all its
 * payments dated in the month are duplicates. Only months in which more than one file has payments are compared.
 */
function ruleCtes(payments: string): string {
  return `
    p AS (SELECT * FROM ${payments}),
    files AS MATERIALIZED (SELECT source_file, row_number() OVER (ORDER BY min(payment_date), source_file) AS file_order FROM p GROUP BY source_file),
    shared AS (
      SELECT council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, '') AS ref
      FROM p GROUP BY ALL HAVING count(DISTINCT source_file) > 1
    ),
    keyed AS (
      SELECT p.*, f.file_order,
        row_number() OVER (
          PARTITION BY p.council_code, p.payment_date, p.supplier_key, p.amount_pence, coalesce(p.transaction_ref, ''), p.source_file ORDER BY p.source_row
        ) AS copy
      FROM p SEMI JOIN shared s ON ${SAME_KEY("p", "s")} JOIN files f ON f.source_file = p.source_file
    ),
    per_file AS (
      SELECT council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, '') AS ref, file_order, max(copy) AS copies
      FROM keyed GROUP BY ALL
    ),
    earlier AS (
      SELECT *, coalesce(max(copies) OVER (PARTITION BY council_code, payment_date, supplier_key, amount_pence, ref ORDER BY file_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM per_file
    ),
    file_months AS (SELECT DISTINCT council_code, source_file, ${MONTH_OF("p")} AS month FROM p),
    shared_months AS (SELECT council_code, month FROM file_months GROUP BY ALL HAVING count(*) > 1),
    mk AS MATERIALIZED (
      SELECT p.council_code, p.source_file, ${MONTH_OF("p")} AS month, p.payment_date, p.supplier_key, abs(p.amount_pence) AS size,
        coalesce(p.transaction_ref, '') AS ref, count(*) AS n, any_value(f.file_order) AS file_order
      FROM p SEMI JOIN shared_months s ON s.council_code = p.council_code AND s.month = ${MONTH_OF("p")} JOIN files f ON f.source_file = p.source_file
      GROUP BY p.council_code, p.source_file, month, p.payment_date, p.supplier_key, size, ref
    ),
    month_sizes AS (SELECT council_code, source_file, month, sum(n) AS payments FROM mk GROUP BY ALL),
    month_matches AS (
      SELECT b.council_code, b.source_file, b.month, a.source_file AS earlier_file, sum(least(a.n, b.n)) AS matched
      FROM mk b JOIN mk a
        ON a.council_code = b.council_code AND a.month = b.month AND a.payment_date = b.payment_date
        AND a.supplier_key = b.supplier_key AND a.size = b.size AND a.ref = b.ref AND a.file_order < b.file_order
      GROUP BY ALL
    ),
    copy_months AS MATERIALIZED (
      SELECT DISTINCT m.council_code, m.source_file, m.month
      FROM month_matches m JOIN month_sizes s USING (council_code, source_file, month)
      WHERE m.matched >= ${COPY_MONTH_SHARE} * s.payments
    ),
    flagged AS (
      SELECT k.* EXCLUDE (copy, file_order), k.copy <= e.before AS duplicate
      FROM keyed k JOIN earlier e
        ON k.council_code = e.council_code AND k.payment_date = e.payment_date AND k.supplier_key = e.supplier_key
        AND k.amount_pence = e.amount_pence AND coalesce(k.transaction_ref, '') = e.ref AND k.file_order = e.file_order
    )`;
}

const MONTH_OF = (a: string) => `date_trunc('month', ${a}.payment_date)::DATE`;
const IN_COPY_MONTH = (a: string, c: string) =>
  `${a}.council_code = ${c}.council_code AND ${a}.source_file = ${c}.source_file AND ${MONTH_OF(a)} = ${c}.month`;

/**
 * SQL for the store's payments with a `duplicate` flag. The rule: payments match when council, date,
 * supplier key, amount and transaction reference (if any) are equal. Within one file repeats are real
 * payments and never flagged. Across files, a file's k-th copy of a payment is a duplicate when an earlier
 * file (ordered by first payment date, then name) already holds at least k copies. And a month a file
 * publishes again (see ruleCtes: nine in ten of its payments that month are an earlier file's, signs aside)
 * counts once: every payment of the later copy dated in that month is a duplicate.
 */
export function paymentsSql(storeDir: string): string {
  return `
    WITH ${ruleCtes(storedTableSql(storeDir, "payments"))},
    rows AS (
      SELECT p.*, false AS duplicate FROM p ANTI JOIN shared s ON ${SAME_KEY("p", "s")}
      UNION ALL
      SELECT * FROM flagged
    )
    SELECT r.* REPLACE (r.duplicate OR c.month IS NOT NULL AS duplicate)
    FROM rows r LEFT JOIN copy_months c ON ${IN_COPY_MONTH("r", "c")}`;
}

/** SQL for the duplicates of each source file by paymentsSql's rule: source_file, rows, pence (text). */
export function duplicateCountsSql(payments: string): string {
  return `
    WITH ${ruleCtes(payments)},
    dups AS (
      SELECT f.source_file, f.amount_pence FROM flagged f ANTI JOIN copy_months c ON ${IN_COPY_MONTH("f", "c")} WHERE f.duplicate
      UNION ALL
      SELECT p.source_file, p.amount_pence FROM p SEMI JOIN copy_months c ON ${IN_COPY_MONTH("p", "c")}
    )
    SELECT source_file, count(*) AS rows, sum(amount_pence)::VARCHAR AS pence FROM dups GROUP BY source_file`;
}

/**
 * Duplicate payments per source file, by the rule in paymentsSql. With `councils`, only those councils'
 * payments are read (duplicates never cross councils), for an ingest that changed only their files.
 */
export async function findDuplicates(storeDir: string, connection?: DuckDBConnection, councils?: string[]): Promise<Map<string, DuplicateCount>> {
  const out = new Map<string, DuplicateCount>();
  let files = storedFiles(storeDir, "payments");
  if (councils) files = files.filter((f) => councils.some((c) => f.includes(`council_code=${c}/`)));
  if (files.length === 0) return out;
  const instance = connection ? null : await DuckDBInstance.create(":memory:");
  const conn = connection ?? (await instance!.connect());
  try {
    const payments = `read_parquet([${files.map((f) => sqlLiteral(f)).join(", ")}], hive_partitioning = true, union_by_name = true)`;
    const result = await conn.runAndReadAll(duplicateCountsSql(payments));
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
