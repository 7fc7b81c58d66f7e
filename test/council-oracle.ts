/**
 * A council's headline worked out straight from the store, independently of loaders/compact-*.ts: payments
 * that count (flaggedSql: the duplicate rule and the coding evidence, each tested apart), months covered by the files the manifest declares for them, the
 * latest financial year with all twelve, and its VCSE spending in pence.
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {flaggedSql} from "../pipeline/compact/query.ts";

export interface OracleHeadline {
  name: string;
  /** The latest financial year with 12 covered months, or null. */
  year: string | null;
  /** VCSE payments that year, in pence (exact). */
  vcse_pence: bigint | null;
  /** All payments that year, in pence. */
  total_pence: bigint | null;
}

interface ManifestFile {
  period: string;
  path: string;
}

function manifest(dataDir: string, code: string): {name: string; files: ManifestFile[]} {
  for (const f of readdirSync(join(dataDir, "sources"))) {
    if (!f.endsWith(".json")) continue;
    const m = JSON.parse(readFileSync(join(dataDir, "sources", f), "utf8"));
    if (m.council.code === code) return {name: m.council.name, files: m.files};
  }
  throw new Error(`no manifest for ${code}`);
}

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function oracleHeadline(code: string, storeDir = "store", dataDir = "data"): Promise<OracleHeadline> {
  const {name, files} = manifest(dataDir, code);
  const periods = files
    .map((f) => {
      const [start, end = start] = f.period.split("..");
      return `(${sql(f.path)}, DATE ${sql(`${start}-01`)}, DATE ${sql(`${end}-01`)})`;
    })
    .join(", ");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      WITH p AS (SELECT * FROM (${flaggedSql(storeDir)}) WHERE council_code = ${sql(code)} AND NOT duplicate),
      declared(source_file, first_month, last_month) AS (VALUES ${periods}),
      spans AS (
        SELECT DISTINCT source_file, date_trunc('month', payment_date)::DATE AS m,
          CASE date_precision WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END AS span
        FROM p
      ),
      months AS (
        SELECT DISTINCT (s.m + to_months(k.k))::DATE AS month
        FROM spans s, LATERAL (SELECT unnest(range(s.span)) AS k) k
        JOIN declared d ON d.source_file = s.source_file
        WHERE (s.m + to_months(k.k))::DATE BETWEEN d.first_month AND d.last_month
      ),
      full_years AS (
        SELECT year(month) - CASE WHEN month(month) < 4 THEN 1 ELSE 0 END AS fy_start
        FROM months GROUP BY 1 HAVING count(*) = 12
      ),
      latest AS (SELECT max(fy_start) AS y FROM full_years)
      SELECT printf('%d-%02d', latest.y, (latest.y + 1) % 100) AS year,
        (SELECT sum(amount_pence) FROM p WHERE sector = 'vcse' AND financial_year = printf('%d-%02d', latest.y, (latest.y + 1) % 100))::VARCHAR AS vcse,
        (SELECT sum(amount_pence) FROM p WHERE sector <> 'public' AND financial_year = printf('%d-%02d', latest.y, (latest.y + 1) % 100))::VARCHAR AS total
      FROM latest WHERE latest.y IS NOT NULL`);
    const row = reader.getRowObjectsJS()[0];
    if (!row) return {name, year: null, vcse_pence: null, total_pence: null};
    return {
      name,
      year: String(row.year),
      vcse_pence: row.vcse === null ? 0n : BigInt(String(row.vcse)),
      total_pence: row.total === null ? 0n : BigInt(String(row.total))
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Pence to pounds as the pages show them (same rule as formatPounds in src/components/format.js). */
export function formatPence(pence: bigint): string {
  const x = Number(pence) / 100;
  const sign = x < 0 ? "−" : "";
  const a = Math.abs(x);
  if (a >= 1e9) return `${sign}£${(a / 1e9).toFixed(2)}bn`;
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(1)}m`;
  if (a >= 1e4) return `${sign}£${(a / 1e3).toFixed(0)}k`;
  return `${sign}£${Math.round(a).toLocaleString("en-GB")}`;
}
