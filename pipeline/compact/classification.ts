import {queryToBytes, type OutputFormat} from "./query.ts";

/**
 * classification: council x financial year x sector x basis, with payments, distinct suppliers and amount:
 * how much of the spending (VCSE above all) rests on each kind of evidence (override, council flag, registry
 * identifier, registry name, name rule, none).
 */
export function classificationSql(counted: string): string {
  return `
    SELECT council_code, any_value(council_name) AS council_name, financial_year, sector, basis,
      count(*)::INTEGER AS payments,
      count(DISTINCT supplier_key)::INTEGER AS suppliers,
      (sum(amount_pence) / 100)::DOUBLE AS amount
    FROM ${counted}
    GROUP BY council_code, financial_year, sector, basis
    ORDER BY council_code, financial_year, sector, basis`;
}

export function classification(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(classificationSql, format, storeDir);
}
