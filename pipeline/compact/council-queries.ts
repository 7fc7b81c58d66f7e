/** The queries behind the council pages, each run once over every council's counted payments. */
import type {DuckDBConnection} from "@duckdb/node-api";
import {councilYearsFullSql} from "./council-years.ts";
import type {CouncilIdentity, CouncilMonth, CouncilYear, ServiceRow} from "./council-types.ts";
import {coverageMonthsSql} from "./coverage.ts";
import type {Manifest} from "../sources/manifest.ts";

const TYPE_PLURALS: Record<string, string> = {
  MD: "metropolitan districts",
  NMD: "non-metropolitan districts",
  LBO: "London boroughs",
  UA: "unitary authorities",
  CTY: "county councils",
  SCA: "combined authorities",
  GLA: "regional authorities"
};

const SERVICES_PER_YEAR = 10;

export async function rows<T>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))
  ) as T[];
}

export function groupBy<R, T>(items: R[], key: (r: R) => string, map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(map(item));
    else out.set(k, [map(item)]);
  }
  return out;
}

export const YEAR_COLUMNS = `
  financial_year, months, months = 12 AS full, first_month, last_month, vcse, total, share, vcse_real, population,
  vcse_payments, vcse_recipients`;

/** council x year, summed over sectors, from the overview's councilYearsFullSql over `counted`. */
export function councilYearsSql(): string {
  return `
    WITH cy AS (${councilYearsFullSql("counted")})
    SELECT council_code, financial_year,
      any_value(months)::INTEGER AS months,
      left(any_value(first_month)::VARCHAR, 7) AS first_month,
      left(any_value(last_month)::VARCHAR, 7) AS last_month,
      coalesce(sum(amount) FILTER (WHERE sector = 'vcse'), 0)::DOUBLE AS vcse,
      any_value(council_total)::DOUBLE AS total,
      CASE WHEN any_value(council_total) > 0 THEN coalesce(sum(amount) FILTER (WHERE sector = 'vcse'), 0) / any_value(council_total) END AS share,
      CASE WHEN any_value(deflator) IS NOT NULL THEN coalesce(sum(amount_real) FILTER (WHERE sector = 'vcse'), 0) END AS vcse_real,
      any_value(population) AS population,
      coalesce(sum(payments) FILTER (WHERE sector = 'vcse'), 0)::INTEGER AS vcse_payments,
      coalesce(sum(suppliers) FILTER (WHERE sector = 'vcse'), 0)::INTEGER AS vcse_recipients
    FROM cy GROUP BY council_code, financial_year`;
}

export function toYear(r: Record<string, unknown>): CouncilYear {
  return {
    financial_year: r.financial_year as string,
    months: r.months as number,
    full: r.full as boolean,
    first_month: (r.first_month as string | null) ?? null,
    last_month: (r.last_month as string | null) ?? null,
    vcse: r.vcse as number,
    total: r.total as number,
    share: (r.share as number | null) ?? null,
    vcse_real: (r.vcse_real as number | null) ?? null,
    population: (r.population as number | null) ?? null,
    vcse_payments: r.vcse_payments as number,
    vcse_recipients: r.vcse_recipients as number
  };
}

export async function identities(connection: DuckDBConnection, manifests: Manifest[]): Promise<Map<string, CouncilIdentity>> {
  const found = await rows<Record<string, string | null>>(connection, "SELECT code, name, council_type, council_type_name, region, end_date FROM councils");
  const byCode = new Map(found.map((r) => [r.code!, r]));
  return new Map(
    manifests.map((m) => {
      const r = byCode.get(m.council.code);
      const type = r?.council_type ?? null;
      return [
        m.council.code,
        {
          code: m.council.code,
          name: m.council.name,
          short_name: r?.name ?? m.council.name,
          type,
          type_name: r?.council_type_name ?? null,
          type_plural: type ? (TYPE_PLURALS[type] ?? `${(r?.council_type_name ?? type).toLowerCase()} councils`) : null,
          region: r?.region ?? null,
          end_date: r?.end_date ?? null
        }
      ];
    })
  );
}

export async function councilMonths(connection: DuckDBConnection): Promise<Map<string, CouncilMonth[]>> {
  const found = await rows<CouncilMonth & {council_code: string}>(
    connection,
    `SELECT council_code, left(month::VARCHAR, 7) AS month, financial_year, status, payments, amount, vcse_amount AS vcse
     FROM (${coverageMonthsSql("counted")}) ORDER BY council_code, 2`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...m}) => m);
}

export interface RecipientYear {
  key: string;
  name: string;
  kind: string | null;
  basis: string;
  matched_id: string | null;
  financial_year: string;
  amount: number;
}

export async function vcseRecipientRows(connection: DuckDBConnection): Promise<Map<string, RecipientYear[]>> {
  const found = await rows<RecipientYear & {council_code: string}>(
    connection,
    `WITH evidence AS (
       SELECT council_code, supplier_key, arg_max({'basis': basis, 'matched_id': matched_id}, size) AS e
       FROM (
         SELECT council_code, supplier_key, basis, matched_id, sum(abs(amount_pence)) AS size
         FROM counted WHERE sector = 'vcse' AND NOT redacted GROUP BY ALL
       ) GROUP BY ALL
     )
     SELECT y.council_code, y.supplier_key AS key,
       arg_max(y.supplier_name, y.payment_date) OVER (PARTITION BY y.council_code, y.supplier_key) AS name,
       mode(y.kind) OVER (PARTITION BY y.council_code, y.supplier_key) AS kind, e.e.basis AS basis, e.e.matched_id AS matched_id,
       y.financial_year, y.amount
     FROM (
       SELECT council_code, supplier_key, financial_year, mode(kind) AS kind, max(payment_date) AS payment_date,
         arg_max(supplier_name, payment_date) AS supplier_name, (sum(amount_pence) / 100)::DOUBLE AS amount
       FROM counted WHERE sector = 'vcse' AND NOT redacted GROUP BY ALL
     ) y JOIN evidence e USING (council_code, supplier_key)`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}

export async function servicesByYear(connection: DuckDBConnection): Promise<Map<string, ServiceRow[]>> {
  const found = await rows<ServiceRow & {council_code: string}>(
    connection,
    `WITH s AS (
       SELECT council_code, financial_year, coalesce(nullif(trim(service), ''), 'Not stated') AS service,
         coalesce(sum(amount_pence) FILTER (WHERE sector = 'vcse' AND NOT redacted), 0) AS vcse_pence, sum(amount_pence) AS total_pence
       FROM counted GROUP BY ALL
     ),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY council_code, financial_year ORDER BY vcse_pence DESC, total_pence DESC, service) AS n FROM s
     )
     SELECT * FROM (
       SELECT council_code, financial_year, CASE WHEN n <= ${SERVICES_PER_YEAR} THEN service ELSE 'All other service areas' END AS service,
         (sum(vcse_pence) / 100)::DOUBLE AS vcse, (sum(total_pence) / 100)::DOUBLE AS total
       FROM ranked GROUP BY ALL
     ) ORDER BY council_code, financial_year, service = 'All other service areas', vcse DESC, total DESC`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}

export interface FileStats {
  payments: number;
  amount: number;
  duplicates: number;
  duplicate_amount: number;
}

export async function fileStatistics(connection: DuckDBConnection): Promise<Map<string, Map<string, FileStats>>> {
  const found = await rows<FileStats & {council_code: string; source_file: string}>(
    connection,
    `SELECT council_code, source_file, count(*)::INTEGER AS payments, (sum(amount_pence) / 100)::DOUBLE AS amount,
       count(*) FILTER (WHERE duplicate)::INTEGER AS duplicates,
       (coalesce(sum(amount_pence) FILTER (WHERE duplicate), 0) / 100)::DOUBLE AS duplicate_amount
     FROM flagged GROUP BY ALL`
  );
  const out = new Map<string, Map<string, FileStats>>();
  for (const {council_code, source_file, ...stats} of found) {
    if (!out.has(council_code)) out.set(council_code, new Map());
    out.get(council_code)!.set(source_file, stats);
  }
  return out;
}

export interface QualityRow {
  individual_payments: number;
  individual_amount: number;
  duplicate_payments: number;
  duplicate_amount: number;
}

export async function qualityRows(connection: DuckDBConnection): Promise<Map<string, QualityRow>> {
  const found = await rows<QualityRow & {council_code: string}>(
    connection,
    `SELECT council_code,
       count(*) FILTER (WHERE (sector = 'individual' OR redacted) AND NOT duplicate)::INTEGER AS individual_payments,
       (coalesce(sum(amount_pence) FILTER (WHERE (sector = 'individual' OR redacted) AND NOT duplicate), 0) / 100)::DOUBLE AS individual_amount,
       count(*) FILTER (WHERE duplicate)::INTEGER AS duplicate_payments,
       (coalesce(sum(amount_pence) FILTER (WHERE duplicate), 0) / 100)::DOUBLE AS duplicate_amount
     FROM flagged GROUP BY ALL`
  );
  return new Map(found.map(({council_code, ...q}) => [council_code, q]));
}
