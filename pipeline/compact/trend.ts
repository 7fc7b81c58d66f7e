import {coverageMonthsSql as coverageMonths} from "./coverage.ts";
import {readDeflators} from "../reference/deflators.ts";
import {englishCouncilCount} from "../sources/councils.ts";
import {queryRows} from "./query.ts";
import type {CouncilYearFigures} from "../types.ts";

export interface TrendDocument {
  generated: string;
  /** Base year of the real-terms figures, "2024-25". */
  base_year: string;
  source: string;
  /** English councils today, of which the rows cover some. */
  english_councils: number;
  /** One row per council x financial year: VCSE and total spending, coverage. */
  rows: CouncilYearFigures[];
}

/** The small JSON behind the embeddable trend chart (the embed module must not need Parquet or DuckDB). */
export async function trend(storeDir = "store"): Promise<TrendDocument> {
  const rows = await queryRows(
    (counted) => `
      WITH cy AS (
        SELECT council_code, financial_year,
          sum(amount_pence) FILTER (WHERE sector = 'vcse') AS vcse_pence,
          coalesce(sum(amount_pence) FILTER (WHERE sector <> 'public'), 0) AS total_pence,
          count(DISTINCT supplier_key) FILTER (WHERE sector = 'vcse') AS recipients
        FROM ${counted} GROUP BY ALL
      ),
      m AS (
        SELECT council_code, financial_year, count(*) FILTER (WHERE status = 'covered')::INTEGER AS months
        FROM (${coverageMonths(counted)}) GROUP BY ALL
      )
      SELECT cy.council_code, coalesce(c.name, cy.council_code) AS short_name, cy.financial_year,
        (coalesce(vcse_pence, 0) / 100)::DOUBLE AS vcse,
        (coalesce(vcse_pence, 0) / d.deflator)::DOUBLE AS vcse_real,
        (total_pence / 100)::DOUBLE AS total,
        recipients::INTEGER AS recipients,
        coalesce(m.months, 0)::INTEGER AS months
      FROM cy LEFT JOIN m USING (council_code, financial_year)
      LEFT JOIN councils c ON c.code = cy.council_code
      LEFT JOIN deflators d USING (financial_year)
      ORDER BY council_code, financial_year`,
    storeDir
  );
  return {
    generated: new Date().toISOString(),
    base_year: readDeflators().base_year,
    english_councils: englishCouncilCount(),
    source: "English councils’ spending transparency files (Open Government Licence v3.0); ONS GDP deflator YBGB",
    rows: rows as unknown as CouncilYearFigures[]
  };
}
