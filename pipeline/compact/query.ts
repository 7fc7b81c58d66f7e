import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {mkdir, mkdtemp, readFile, readdir, rename, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {CACHE_DIR} from "../cache-dir.ts";
import {DuckDBInstance, type DuckDBAppender, type DuckDBConnection} from "@duckdb/node-api";
import {withCouncilCoding} from "../classify/council-coding.ts";
import {paymentsSql} from "../store/duplicates.ts";
import {sqlLiteral} from "../sql.ts";
import {readDeflators} from "../reference/deflators.ts";
import {readManifests} from "../sources/manifest.ts";
import {authorityRows} from "../sources/councils.ts";
import {populationFor, readPopulation} from "../reference/population.ts";

export type OutputFormat = "parquet" | "csv";

/**
 * The store's payments with the duplicate flag (paymentsSql) and each unknown supplier's evidence from its
 * council's coding (withCouncilCoding): what every output of the store reads.
 */
export function flaggedSql(storeDir: string): string {
  return withCouncilCoding(`(${paymentsSql(storeDir)})`);
}

/** Payments that count, read straight from the store: duplicates across files are left out (see flaggedSql). */
export function countedSql(storeDir: string): string {
  return `SELECT * FROM (${flaggedSql(storeDir)}) WHERE NOT duplicate`;
}

/**
 * A query given `counted`, a relation of the store's counted payments (duplicates left out; see countedSql),
 * that can also read the reference tables created by loadReferenceTables.
 */
export type StoreQuery = (counted: string, relations: StoreRelations) => string;

/** First and last financial year given a population figure (the store has nothing outside these). */
const POPULATION_YEARS = [2000, 2035] as const;

/**
 * Runs a query against the store and returns the result as Parquet (zstd) or CSV bytes. The query can
 * join these temporary tables:
 *   councils(code, name, council_type, council_type_name, region, end_date)    mySociety's list
 *   deflators(financial_year, deflator)                HM Treasury FY GDP deflator, base year = 100
 *   population(council_code, financial_year, population, population_basis)     ONS mid-year estimates
 *   source_files(council_code, source_file, period_start, period_end, url, licence, publisher)
 *     from the manifests; period_end is the first day of the period's last month
 */
export async function queryToBytes(sql: StoreQuery, format: OutputFormat = "parquet", storeDir = "store", dataDir = "data"): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "vcse-compact-"));
  try {
    return await withStoreQuery(sql, storeDir, dataDir, async (connection, query) => {
      const file = join(dir, `out.${format}`);
      const options = format === "parquet" ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT csv, HEADER true";
      await connection.run(`COPY (${query}) TO '${file}' (${options})`);
      return new Uint8Array(await readFile(file));
    });
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

/** Runs a query and returns its rows as plain JavaScript objects (BIGINT as number). */
export async function queryRows(sql: StoreQuery, storeDir = "store", dataDir = "data"): Promise<Record<string, unknown>[]> {
  return withStoreQuery(sql, storeDir, dataDir, async (connection, query) => {
    const reader = await connection.runAndReadAll(query);
    return reader.getRowObjectsJS().map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))
    );
  });
}

/** Opens an in-memory DuckDB over the store with the reference tables the query names, and runs `use` on it. */
async function withStoreQuery<T>(sql: StoreQuery, storeDir: string, dataDir: string, use: (connection: DuckDBConnection, query: string) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const r = await relations(connection, storeDir);
    const query = sql(r.counted, r);
    await loadReferenceTables(connection, dataDir, query);
    return await use(connection, query);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The store's payments with the duplicate flag and coding evidence (flaggedSql), as a Parquet file. The duplicate rule is a
 * window over every payment and takes seconds; each data loader is its own process, so the result is kept
 * in a file named for the store's state and the SQL that made it, and reused until either changes.
 */
export async function flaggedPaymentsFile(connection: DuckDBConnection, storeDir = "store"): Promise<string> {
  const sql = flaggedSql(storeDir);
  const statePath = join(storeDir, "state.json");
  const state = existsSync(statePath) ? readFileSync(statePath) : Buffer.alloc(0);
  // One namespace per store, so that a test's temporary store never evicts the site's.
  const store = createHash("sha256").update(resolve(storeDir)).digest("hex").slice(0, 12);
  const key = createHash("sha256").update(state).update(sql).digest("hex").slice(0, 20);
  const file = join(CACHE_DIR, `payments-${store}-${key}.parquet`);
  if (!existsSync(file)) {
    await mkdir(CACHE_DIR, {recursive: true});
    const temp = `${file}.${process.pid}.tmp`;
    const flaggedOnly = `${temp}.duplicates`;
    // Two steps, so that the duplicate rule runs once although the coding evidence reads its result twice.
    await connection.run(`COPY (${paymentsSql(storeDir)}) TO ${sqlLiteral(flaggedOnly)} (FORMAT parquet, COMPRESSION zstd)`);
    await connection.run(`COPY (${withCouncilCoding(`read_parquet(${sqlLiteral(flaggedOnly)})`)}) TO ${sqlLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`);
    await rm(flaggedOnly, {force: true});
    await rename(temp, file);
    for (const old of await readdir(CACHE_DIR)) {
      if (old.startsWith(`payments-${store}-`) && old.endsWith(".parquet") && join(CACHE_DIR, old) !== file) await rm(join(CACHE_DIR, old), {force: true});
    }
  }
  return file;
}

/** The relations a StoreQuery can be given. */
export interface StoreRelations {
  /** Payments that count: the same rows as countedSql, read from the cached file. */
  counted: string;
  /** Every stored payment with its duplicate flag (flaggedSql). */
  flagged: string;
}

async function relations(connection: DuckDBConnection, storeDir: string): Promise<StoreRelations> {
  const file = (await flaggedPaymentsFile(connection, storeDir)).replaceAll("'", "''");
  return {counted: `(SELECT * FROM read_parquet('${file}') WHERE NOT duplicate)`, flagged: `read_parquet('${file}')`};
}

type Value = string | number | null;

async function createTable(connection: DuckDBConnection, name: string, columns: [string, string][], rows: Value[][]): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns.map(([c, t]) => `${c} ${t}`).join(", ")})`);
  const appender: DuckDBAppender = await connection.createAppender(name);
  for (const row of rows) {
    row.forEach((value, i) => {
      const type = columns[i]![1];
      if (value === null) appender.appendNull();
      else if (type === "DOUBLE") appender.appendDouble(value as number);
      else if (type === "INTEGER") appender.appendInteger(value as number);
      else appender.appendVarchar(String(value));
    });
    appender.endRow();
  }
  appender.closeSync();
}

/** Creates the reference tables, or only those a query names (reading the population workbook takes seconds). */
export async function loadReferenceTables(connection: DuckDBConnection, dataDir = "data", query?: string): Promise<void> {
  const wanted = (table: string) => query === undefined || new RegExp(`\\b${table}\\b`).test(query);
  if (wanted("councils")) await createTable(
    connection,
    "councils",
    [["code", "VARCHAR"], ["name", "VARCHAR"], ["council_type", "VARCHAR"], ["council_type_name", "VARCHAR"], ["region", "VARCHAR"], ["end_date", "VARCHAR"]],
    councilRows(dataDir)
  );
  if (wanted("deflators")) {
    await createTable(
      connection,
      "deflators",
      [["financial_year", "VARCHAR"], ["deflator", "DOUBLE"]],
      readDeflators(dataDir).years.map((y) => [y.financial_year, y.index])
    );
  }
  if (wanted("population")) await createPopulationTable(connection, dataDir);
  if (wanted("source_files")) await createSourceFilesTable(connection, dataDir);
}

async function createPopulationTable(connection: DuckDBConnection, dataDir: string): Promise<void> {
  const populationRows: Value[][] = [];
  for (const p of readPopulation(dataDir).councils.values()) {
    for (let y = POPULATION_YEARS[0]; y <= POPULATION_YEARS[1]; y++) {
      const fy = `${y}-${String((y + 1) % 100).padStart(2, "0")}`;
      populationRows.push([p.code, fy, populationFor(p, fy)]);
    }
  }
  await createTable(connection, "population", [["council_code", "VARCHAR"], ["financial_year", "VARCHAR"], ["population", "DOUBLE"]], populationRows);
}

async function createSourceFilesTable(connection: DuckDBConnection, dataDir: string): Promise<void> {
  const sourceRows: Value[][] = [];
  for (const m of readManifests(dataDir)) {
    for (const f of m.files) {
      const [start, end = start] = f.period.split("..");
      sourceRows.push([m.council.code, f.path, `${start}-01`, `${end}-01`, f.url ?? null, m.licence, m.publisher]);
    }
  }
  await createTable(
    connection,
    "source_files_text",
    [["council_code", "VARCHAR"], ["source_file", "VARCHAR"], ["period_start", "VARCHAR"], ["period_end", "VARCHAR"], ["url", "VARCHAR"], ["licence", "VARCHAR"], ["publisher", "VARCHAR"]],
    sourceRows
  );
  await connection.run(
    "CREATE OR REPLACE TEMP TABLE source_files AS SELECT * REPLACE (period_start::DATE AS period_start, period_end::DATE AS period_end) FROM source_files_text"
  );
}

/** Every authority in the reference lists with the type's name (councils.ts keeps only the code). */
function councilRows(dataDir: string): Value[][] {
  return authorityRows(["gss-code", "nice-name", "local-authority-type", "local-authority-type-name", "region", "end-date"], dataDir);
}
