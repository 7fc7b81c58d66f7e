import {createHash} from "node:crypto";
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync} from "node:fs";
import {join, relative} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import type {FileReport} from "./ledger.ts";
import type {Payment, Reject} from "./types.ts";

interface StoredFile {
  sha256: string;
  /** Pipeline version, layout and period the file was read with (see pipeline-version.ts). */
  recipe: string;
  id: string;
  report: FileReport;
  /** Parquet files holding this source's rows, relative to the store. */
  outputs: string[];
}

interface State {
  version: 2;
  files: Record<string, StoredFile>;
}

const PAYMENT_COLUMNS: [keyof Payment, string][] = [
  ["council_code", "VARCHAR"], ["council_name", "VARCHAR"], ["source_file", "VARCHAR"], ["source_sha256", "VARCHAR"],
  ["source_row", "INTEGER"], ["payment_date", "DATE"], ["date_precision", "VARCHAR"], ["financial_year", "VARCHAR"],
  ["amount_pence", "BIGINT"], ["supplier_name", "VARCHAR"], ["supplier_key", "VARCHAR"], ["supplier_id", "VARCHAR"],
  ["charity_number", "VARCHAR"], ["company_number", "VARCHAR"], ["service", "VARCHAR"], ["expense_type", "VARCHAR"],
  ["purpose", "VARCHAR"], ["transaction_ref", "VARCHAR"], ["council_flag", "VARCHAR"], ["redacted", "BOOLEAN"],
  ["row_kind", "VARCHAR"], ["sector", "VARCHAR"], ["kind", "VARCHAR"], ["basis", "VARCHAR"], ["confidence", "DOUBLE"],
  ["matched_id", "VARCHAR"]
];

const REJECT_COLUMNS: [keyof Reject, string][] = [
  ["council_code", "VARCHAR"], ["source_file", "VARCHAR"], ["source_sha256", "VARCHAR"], ["source_row", "INTEGER"],
  ["reason", "VARCHAR"], ["detail", "VARCHAR"], ["raw", "VARCHAR"], ["amount_pence", "BIGINT"]
];

/**
 * The payment store: Hive-partitioned Parquet (payments/council_code=…/financial_year=…/src-<id>-<sha>-0.parquet)
 * and state.json, which lists each source file's sha256, reconciliation and output files.
 *
 * state.json is the only thing readers trust. A source's new outputs are written under new names, then
 * state.json is replaced atomically, then the old outputs are deleted; files state.json does not list
 * (left by a run that was killed) are deleted when the store is next opened. So a reader sees either the
 * old rows of a source or its new ones, never both and never half.
 */
export class Store {
  private constructor(
    readonly dir: string,
    private state: State,
    private connection: DuckDBConnection,
    private instance: DuckDBInstance
  ) {}

  static async open(dir: string): Promise<Store> {
    mkdirSync(join(dir, "payments"), {recursive: true});
    mkdirSync(join(dir, "rejects"), {recursive: true});
    const state = readState(dir);
    const listed = new Set(Object.values(state.files).flatMap((f) => f.outputs));
    for (const path of walk(dir)) {
      const name = relative(dir, path);
      if (name.endsWith(".parquet") && !listed.has(name)) rmSync(path);
    }
    const instance = await DuckDBInstance.create(":memory:");
    return new Store(dir, state, await instance.connect(), instance);
  }

  /** The stored report of a source file whose bytes have not changed, or null. */
  unchanged(sourceFile: string, sha256: string, recipe: string): FileReport | null {
    const stored = this.state.files[sourceFile];
    return stored && stored.sha256 === sha256 && stored.recipe === recipe ? stored.report : null;
  }

  sources(): string[] {
    return Object.keys(this.state.files);
  }

  async write(sourceFile: string, sha256: string, recipe: string, payments: Payment[], rejects: Reject[], report: FileReport): Promise<void> {
    const id = sourceId(sourceFile);
    const stem = `src-${id}-${sha256.slice(0, 12)}-${recipe.slice(0, 8)}`;
    const old = this.state.files[sourceFile];
    const outputs = [
      ...(await this.copy("payments", PAYMENT_COLUMNS, payments, stem, "council_code, financial_year")),
      ...(await this.copy("rejects", REJECT_COLUMNS, rejects, stem, "council_code"))
    ];
    this.state.files[sourceFile] = {sha256, recipe, id, report, outputs};
    this.save();
    for (const path of old?.outputs ?? []) if (!outputs.includes(path)) rmSync(join(this.dir, path), {force: true});
  }

  remove(sourceFile: string): void {
    const stored = this.state.files[sourceFile];
    if (!stored) return;
    delete this.state.files[sourceFile];
    this.save();
    for (const path of stored.outputs) rmSync(join(this.dir, path), {force: true});
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private save(): void {
    writeAtomic(join(this.dir, "state.json"), JSON.stringify(this.state, null, 1));
  }

  /** Writes rows as Parquet partitions named after the source and its content; returns the files written. */
  private async copy<T>(table: string, columns: [keyof T, string][], rows: T[], stem: string, partitions: string): Promise<string[]> {
    if (rows.length === 0) return [];
    const stage = `stage_${table}`;
    const staged = columns.map(([name, type]) => `${String(name)} ${type === "DATE" ? "VARCHAR" : type}`);
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} (${staged.join(", ")})`);
    const appender = await this.connection.createAppender(stage);
    for (const row of rows) {
      for (const [name, type] of columns) {
        const value = row[name] as unknown;
        if (value === null || value === undefined) appender.appendNull();
        else if (type === "INTEGER") appender.appendInteger(value as number);
        else if (type === "BIGINT") appender.appendBigInt(BigInt(value as number));
        else if (type === "DOUBLE") appender.appendDouble(value as number);
        else if (type === "BOOLEAN") appender.appendBoolean(value as boolean);
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
    appender.closeSync();
    const select = columns.map(([name, type]) => (type === "DATE" ? `${String(name)}::DATE AS ${String(name)}` : String(name)));
    const target = join(this.dir, table);
    await this.connection.run(
      `COPY (SELECT ${select.join(", ")} FROM ${stage}) TO '${sqlString(target)}'
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions}), FILENAME_PATTERN '${stem}-{i}', OVERWRITE_OR_IGNORE true)`
    );
    await this.connection.run(`DROP TABLE ${stage}`);
    return [...walk(target)].filter((p) => p.includes(`/${stem}-`)).map((p) => relative(this.dir, p));
  }
}

function readState(dir: string): State {
  const path = join(dir, "state.json");
  if (!existsSync(path)) return {version: 2, files: {}};
  const state = JSON.parse(readFileSync(path, "utf8")) as State;
  return state.version === 2 ? state : {version: 2, files: {}};
}

/** The reconciliation of every source file in a store, as the last ingest left it. */
export function storedReports(dir: string): FileReport[] {
  return Object.values(readState(dir).files).map((f) => f.report);
}

/** The Parquet files of a table ("payments" or "rejects") that state.json lists: the store's published rows. */
export function storedFiles(dir: string, table: "payments" | "rejects"): string[] {
  return Object.values(readState(dir).files)
    .flatMap((f) => f.outputs)
    .filter((p) => p.startsWith(`${table}/`))
    .sort()
    .map((p) => join(dir, p));
}

/** A DuckDB table expression over a stored table, or an empty relation with no rows. */
export function storedTableSql(dir: string, table: "payments" | "rejects"): string {
  const files = storedFiles(dir, table);
  const columns = table === "payments" ? PAYMENT_COLUMNS : REJECT_COLUMNS;
  if (files.length === 0) return `(SELECT ${columns.map(([name, type]) => `NULL::${type} AS ${String(name)}`).join(", ")} WHERE false)`;
  return `read_parquet([${files.map((f) => `'${sqlString(f)}'`).join(", ")}], hive_partitioning = true, union_by_name = true)`;
}

/** A short, stable name for a source file's outputs. */
export function sourceId(sourceFile: string): string {
  return createHash("sha256").update(sourceFile).digest("hex").slice(0, 16);
}

export function sqlString(value: string): string {
  return value.replaceAll("'", "''");
}

function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
