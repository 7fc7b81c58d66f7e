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
 *   key            the organisation: its register id where the classification matched one id ("GB-CHC-1234567"),
 *                  so that spellings and councils join; else its supplier key, across councils when a register
 *                  knows the name, and within one council ("CITIZENS ADVICE BUREAU @E08000003") when only a
 *                  name rule or the council's flag says VCSE, because local bodies share such names
 *   name           the name most recently used for it by any council
 *   sector, kind   as classified (kind only for VCSE)
 *   basis, matched_id  what the classification rests on, and the register id, register name or rule it matched
 *   council_code, council_name (short name, "Trafford")
 *   financial_year "2019-20"
 *   amount         pounds, cash, net of credit notes (summed exactly in pence)
 *   payments       transactions (supplier-month totals are not counted)
 *   months         months of coverage the council has that year (0..12; see coverageMonthsSql)
 */
/** The organisation a payment went to (see recipientsSql's key). */
const organisationKeySql = `CASE
    WHEN regexp_full_match(coalesce(matched_id, ''), 'GB-[A-Z]+-[A-Z0-9]+') AND basis IN ('registry_id', 'registry_name', 'override') THEN matched_id
    WHEN sector = 'vcse' AND basis NOT IN ('registry_id', 'registry_name', 'registry_name_prefix', 'override') THEN supplier_key || ' @' || council_code
    ELSE supplier_key END`;

export function recipientsSql(counted: string): string {
  const sectors = NAMED_SECTORS.map((s) => `'${s}'`).join(", ");
  return `
    WITH p AS (SELECT *, ${organisationKeySql} AS org_key FROM ${counted} WHERE sector IN (${sectors}) AND NOT redacted),
    cov AS (
      SELECT council_code, financial_year, count(*) FILTER (WHERE status = 'covered')::INTEGER AS months
      FROM (${coverageMonthsSql(counted)}) GROUP BY ALL
    ),
    names AS (
      SELECT org_key, arg_max(supplier_name, payment_date) AS name, mode(sector) AS sector, mode(kind) AS kind,
        mode(basis) AS basis, mode(matched_id) AS matched_id
      FROM p GROUP BY ALL
    )
    SELECT p.org_key AS key, n.name, n.sector, n.kind, n.basis, n.matched_id, p.council_code,
      coalesce(any_value(c.name), any_value(p.council_name)) AS council_name, p.financial_year,
      (sum(p.amount_pence) / 100)::DOUBLE AS amount,
      count(*) FILTER (WHERE p.row_kind = 'transaction')::INTEGER AS payments,
      coalesce(any_value(cov.months), 0)::INTEGER AS months
    FROM p JOIN names n USING (org_key)
    LEFT JOIN councils c ON c.code = p.council_code
    LEFT JOIN cov USING (council_code, financial_year)
    GROUP BY p.org_key, n.name, n.sector, n.kind, n.basis, n.matched_id, p.council_code, p.financial_year
    ORDER BY n.name, p.council_code, p.financial_year`;
}

export function recipients(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(recipientsSql, format, storeDir);
}
