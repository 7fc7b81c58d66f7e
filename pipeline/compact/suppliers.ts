import {queryToBytes, type OutputFormat} from "./query.ts";

/**
 * suppliers: the supplier classification, one row per council x supplier identity:
 *
 *   council_code, council_name
 *   supplier_name   the name as the council published it most often ("withheld" for individuals and redacted names)
 *   supplier_key    the normalised identity the classifier read
 *   sector, kind, basis, confidence   as classified
 *   matched_id      the register id, register name ("charity-names-2016:…") or rule it matched
 *   matched_name    the register's name, where the match was by name
 *   amount          pounds, cash, net of credit notes, over every year
 *   payments        rows
 */
export function suppliersSql(counted: string): string {
  return `
    WITH p AS (SELECT *, CASE WHEN redacted OR sector = 'individual' THEN 'withheld' ELSE supplier_key END AS identity FROM ${counted})
    SELECT council_code, any_value(council_name) AS council_name,
      CASE WHEN identity = 'withheld' THEN 'withheld' ELSE mode(supplier_name) END AS supplier_name,
      identity AS supplier_key, sector, kind, basis, round(max(confidence), 2) AS confidence, matched_id,
      CASE WHEN contains(coalesce(matched_id, ''), ':') THEN split_part(matched_id, ':', 2) END AS matched_name,
      (sum(amount_pence) / 100)::DOUBLE AS amount, count(*)::INTEGER AS payments
    FROM p
    GROUP BY council_code, identity, sector, kind, basis, matched_id
    ORDER BY council_code, amount DESC`;
}

export function suppliers(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(suppliersSql, format, storeDir);
}
