import {englishCouncilCount} from "../sources/councils.ts";
import {readManifests} from "../sources/manifest.ts";
import {coverageMonthsSql} from "./coverage.ts";
import {queryRows, queryToBytes, type OutputFormat} from "./query.ts";

/**
 * council-years: one row per council x financial year x sector, everything the overview and Compare need.
 *
 *   council_code, council_name (as in the manifest), short_name, council_type (CTY, NMD, UA, MD, LBO),
 *   council_type_name, region, financial_year, sector
 *   amount          pounds, cash, net of credit notes (summed exactly in pence)
 *   council_total   the council's spending outside the public sector that year (the denominator of share):
 *                   payments to other public bodies are left out because councils differ in whether they
 *                   publish precepts, levies, tax and pension transfers
 *   share           amount / council_total (null when council_total is not positive)
 *   deflator        HM Treasury FY GDP deflator, base year = 100; null when ONS has not published the year
 *   amount_real     amount in base-year prices
 *   population      ONS mid-year estimate for the year (see population.ts); null when the council is not in
 *                   the April-2023-boundary workbook (abolished councils)
 *   per_resident    amount / population
 *   payments        transactions (rows that are supplier-month totals are not counted)
 *   suppliers       distinct supplier keys (recipients)
 *   credit_notes, credit_amount (pounds, positive), redacted_amount
 *   months          months of the financial year with coverage (see coverageMonthsSql), 0..12
 *   first_month, last_month   first and last covered month of the year, "2019-04"
 */
export function councilYearsFullSql(counted: string): string {
  return `
    WITH p AS (SELECT * FROM ${counted}),
    cov AS (${coverageMonthsSql(counted)}),
    months AS (
      SELECT council_code, financial_year,
        count(*) FILTER (WHERE status = 'covered')::INTEGER AS months,
        min(month) FILTER (WHERE status = 'covered') AS first_month,
        max(month) FILTER (WHERE status = 'covered') AS last_month
      FROM cov GROUP BY ALL
    ),
    agg AS (
      SELECT council_code, financial_year, sector, any_value(council_name) AS council_name,
        sum(amount_pence) AS pence,
        count(*) FILTER (WHERE row_kind = 'transaction')::INTEGER AS payments,
        count(DISTINCT supplier_key)::INTEGER AS suppliers,
        count(*) FILTER (WHERE amount_pence < 0)::INTEGER AS credit_notes,
        coalesce(-sum(amount_pence) FILTER (WHERE amount_pence < 0), 0) AS credit_pence,
        coalesce(sum(amount_pence) FILTER (WHERE redacted), 0) AS redacted_pence
      FROM p GROUP BY council_code, financial_year, sector
    ),
    totals AS (SELECT council_code, financial_year, coalesce(sum(pence) FILTER (WHERE sector <> 'public'), 0) AS total_pence FROM agg GROUP BY ALL)
    SELECT a.council_code, a.council_name, coalesce(c.name, a.council_name) AS short_name,
      c.council_type, c.council_type_name, c.region, a.financial_year, a.sector,
      (a.pence / 100)::DOUBLE AS amount,
      (t.total_pence / 100)::DOUBLE AS council_total,
      CASE WHEN t.total_pence > 0 THEN (a.pence / t.total_pence)::DOUBLE END AS share,
      d.deflator,
      (a.pence / d.deflator)::DOUBLE AS amount_real,
      pop.population,
      (a.pence / 100 / pop.population)::DOUBLE AS per_resident,
      a.payments, a.suppliers, a.credit_notes,
      (a.credit_pence / 100)::DOUBLE AS credit_amount,
      (a.redacted_pence / 100)::DOUBLE AS redacted_amount,
      coalesce(m.months, 0)::INTEGER AS months, m.first_month, m.last_month
    FROM agg a
    JOIN totals t USING (council_code, financial_year)
    LEFT JOIN months m USING (council_code, financial_year)
    LEFT JOIN councils c ON c.code = a.council_code
    LEFT JOIN deflators d USING (financial_year)
    LEFT JOIN population pop USING (council_code, financial_year)
    ORDER BY a.council_code, a.financial_year, a.sector`;
}

export function councilYearsFull(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(councilYearsFullSql, format, storeDir);
}

/** The columns of council-years that the overview needs, one row per council x financial year (see councilYearsOverview). */
export const OVERVIEW_COLUMNS = [
  "council_code", "council_name", "short_name", "council_type", "council_type_name", "region", "financial_year", "sector",
  "amount", "amount_real", "suppliers", "payments", "council_total", "deflator", "population", "months", "first_month", "last_month"
] as const;

/**
 * council-years reduced to what the overview draws, one row per council x financial year: the VCSE row, or,
 * where the council paid the sector nothing that year, its totals with sector and the VCSE figures null.
 * councilYearTotals (src/components/aggregate.js) gives the same council-year totals from either.
 */
export function councilYearsOverviewSql(counted: string): string {
  const vcse = (column: string) => `any_value(${column}) FILTER (WHERE sector = 'vcse')`;
  return `
    SELECT council_code, any_value(council_name) AS council_name, any_value(short_name) AS short_name,
      any_value(council_type) AS council_type, any_value(council_type_name) AS council_type_name, any_value(region) AS region,
      financial_year, ${vcse("sector")} AS sector, ${vcse("amount")} AS amount, ${vcse("amount_real")} AS amount_real,
      ${vcse("suppliers")} AS suppliers, ${vcse("payments")} AS payments,
      any_value(council_total) AS council_total, any_value(deflator) AS deflator, any_value(population) AS population,
      any_value(months) AS months, any_value(first_month) AS first_month, any_value(last_month) AS last_month
    FROM (${councilYearsFullSql(counted)})
    GROUP BY council_code, financial_year
    ORDER BY council_code, financial_year`;
}

export interface OverviewDocument {
  columns: readonly string[];
  rows: unknown[][];
  /** English councils today (the denominator of the overview's coverage). */
  english_councils: number;
  /** Each council's months from which its total spending is not comparable with before (manifests). */
  comparability_breaks: {council_code: string; from: string; reason: string}[];
}

/**
 * The overview's data as compact JSON, {columns, rows} with each row an array in the order of columns: the
 * first chart and the headline need no Parquet decoder (parquet-wasm is a 5 MB WebAssembly module).
 */
export async function councilYearsOverview(storeDir = "store", dataDir = "data"): Promise<OverviewDocument> {
  const rows = await queryRows(councilYearsOverviewSql, storeDir);
  return {
    columns: OVERVIEW_COLUMNS,
    rows: rows.map((r) => OVERVIEW_COLUMNS.map((c) => r[c] ?? null)),
    english_councils: englishCouncilCount(dataDir),
    comparability_breaks: readManifests(dataDir).flatMap((m) => (m.comparability_breaks ?? []).map((b) => ({council_code: m.council.code, ...b})))
  };
}
