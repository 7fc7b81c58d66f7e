import {mkdtemp, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {paymentsSql} from "./duplicates.ts";
import {councils} from "./councils.ts";

/** Payments that count: duplicates across files are left out (see paymentsSql for the rule). */
export function countedSql(storeDir: string): string {
  return `SELECT * FROM (${paymentsSql(storeDir)}) WHERE NOT duplicate`;
}

/** Months of a financial year (1..12) that a payment's date covers: one for a day or month, more for a quarter or year. */
const MONTHS_COVERED = `
  CASE date_precision WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END`;

/**
 * council-years: one row per council x financial_year x sector, for the overview. amount is pounds (DOUBLE,
 * summed exactly in pence first); months is how many months of that financial year the council has data for.
 */
export function councilYearsSql(storeDir: string): string {
  return `
    WITH p AS (${countedSql(storeDir)}),
    months AS (
      SELECT council_code, financial_year, count(DISTINCT m) AS months FROM (
        SELECT DISTINCT council_code, financial_year, payment_date, ${MONTHS_COVERED} AS span FROM p
      ), LATERAL (SELECT unnest(range(span)) AS k), LATERAL (SELECT date_trunc('month', payment_date + to_months(k)) AS m)
      GROUP BY ALL
    )
    SELECT p.council_code, any_value(council_name) AS council_name, c.council_type, c.region, p.financial_year, sector,
      (sum(amount_pence) / 100)::DOUBLE AS amount,
      count(*) FILTER (WHERE row_kind = 'transaction') AS payments,
      count(DISTINCT supplier_key) AS suppliers,
      any_value(months.months)::INTEGER AS months
    FROM p JOIN months USING (council_code, financial_year) LEFT JOIN councils c ON c.code = p.council_code
    GROUP BY p.council_code, c.council_type, c.region, p.financial_year, sector
    ORDER BY p.council_code, p.financial_year, sector`;
}

/** Runs a query against the store with the councils reference table and returns it as Parquet bytes. */
export async function queryToParquet(sql: (storeDir: string) => string, storeDir = "store", dataDir = "data"): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "vcse-compact-"));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await loadCouncils(connection, dataDir);
    const file = join(dir, "out.parquet");
    await connection.run(`COPY (${sql(storeDir)}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    return new Uint8Array(await readFile(file));
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, {recursive: true, force: true});
  }
}

async function loadCouncils(connection: DuckDBConnection, dataDir: string): Promise<void> {
  await connection.run("CREATE TEMP TABLE councils (code VARCHAR, name VARCHAR, council_type VARCHAR, region VARCHAR)");
  const appender = await connection.createAppender("councils");
  for (const c of councils(dataDir).values()) {
    appender.appendVarchar(c.code);
    appender.appendVarchar(c.name);
    appender.appendVarchar(c.type);
    appender.appendVarchar(c.region);
    appender.endRow();
  }
  appender.closeSync();
}

export function councilYearsParquet(storeDir = "store"): Promise<Uint8Array> {
  return queryToParquet(councilYearsSql, storeDir);
}
