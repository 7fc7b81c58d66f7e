import {coverageMonthsSql} from "./coverage.ts";
import {queryToBytes, type OutputFormat} from "./query.ts";

/**
 * Sectors whose suppliers the Recipients page lists by name. Organisations only: suppliers classed as
 * individuals, and redacted rows, never appear; nor do private and unclassified suppliers, because sole
 * traders trade under their own names ("J Smith t/a Smith Joinery") and the classifier cannot always tell.
 */
export const NAMED_SECTORS = ["vcse", "housing_association", "public"] as const;

/**
 * recipients: one row per organisation x council x financial year.
 *
 *   key            normalised supplier key: the same organisation across councils and spellings
 *   name           the name most recently used for it by any council
 *   sector, kind   as classified (kind only for VCSE)
 *   council_code, council_name (short name, "Trafford")
 *   financial_year "2019-20"
 *   amount         pounds, cash, net of credit notes (summed exactly in pence)
 *   payments       transactions (supplier-month totals are not counted)
 *   months         months of coverage the council has that year (0..12; see coverageMonthsSql)
 */
export function recipientsSql(counted: string): string {
  const sectors = NAMED_SECTORS.map((s) => `'${s}'`).join(", ");
  return `
    WITH p AS (SELECT * FROM ${counted} WHERE sector IN (${sectors}) AND NOT redacted),
    cov AS (
      SELECT council_code, financial_year, count(*) FILTER (WHERE status = 'covered')::INTEGER AS months
      FROM (${coverageMonthsSql(counted)}) GROUP BY ALL
    ),
    names AS (SELECT supplier_key, arg_max(supplier_name, payment_date) AS name, mode(sector) AS sector, mode(kind) AS kind FROM p GROUP BY ALL)
    SELECT p.supplier_key AS key, n.name, n.sector, n.kind, p.council_code,
      coalesce(any_value(c.name), any_value(p.council_name)) AS council_name, p.financial_year,
      (sum(p.amount_pence) / 100)::DOUBLE AS amount,
      count(*) FILTER (WHERE p.row_kind = 'transaction')::INTEGER AS payments,
      coalesce(any_value(cov.months), 0)::INTEGER AS months
    FROM p JOIN names n USING (supplier_key)
    LEFT JOIN councils c ON c.code = p.council_code
    LEFT JOIN cov USING (council_code, financial_year)
    GROUP BY p.supplier_key, n.name, n.sector, n.kind, p.council_code, p.financial_year
    ORDER BY n.name, p.council_code, p.financial_year`;
}

export function recipients(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(recipientsSql, format, storeDir);
}
