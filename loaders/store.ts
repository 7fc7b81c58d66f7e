import {createHash} from "node:crypto";
import {mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import type {FileReport} from "./ledger.ts";
import type {Payment, Reject} from "./types.ts";

interface StoredFile {
  sha256: string;
  id: string;
  report: FileReport;
}

interface State {
  version: 1;
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
 * The payment store: Hive-partitioned Parquet (payments/council_code=…/financial_year=…/src-<id>-0.parquet),
 * one set of files per source file so that a changed source replaces only its own rows, and state.json
 * recording each source's sha256 and reconciliation so an unchanged file is not read again.
 */
export class Store {
  private constructor(
    readonly dir: string,
    private state: State,
    private connection: DuckDBConnection,
    private instance: DuckDBInstance
  ) {}

  private dirty = false;

  static async open(dir: string): Promise<Store> {
    mkdirSync(join(dir, "payments"), {recursive: true});
    mkdirSync(join(dir, "rejects"), {recursive: true});
    const statePath = join(dir, "state.json");
    const state: State = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : {version: 1, files: {}};
    const instance = await DuckDBInstance.create(":memory:");
    return new Store(dir, state, await instance.connect(), instance);
  }

  /** The stored report of a source file whose bytes have not changed, or null. */
  unchanged(sourceFile: string, sha256: string): FileReport | null {
    const stored = this.state.files[sourceFile];
    return stored && stored.sha256 === sha256 ? stored.report : null;
  }

  sources(): string[] {
    return Object.keys(this.state.files);
  }

  async write(sourceFile: string, sha256: string, payments: Payment[], rejects: Reject[], report: FileReport): Promise<void> {
    const id = sourceId(sourceFile);
    this.removeOutputs(id);
    await this.copy("payments", PAYMENT_COLUMNS, payments, id, "council_code, financial_year");
    await this.copy("rejects", REJECT_COLUMNS, rejects, id, "council_code");
    this.state.files[sourceFile] = {sha256, id, report};
    this.dirty = true;
  }

  remove(sourceFile: string): void {
    const stored = this.state.files[sourceFile];
    if (!stored) return;
    this.removeOutputs(stored.id);
    delete this.state.files[sourceFile];
    this.dirty = true;
  }

  /** Writes state.json if anything changed, so its time stamp tells when the store last changed. */
  save(): void {
    if (!this.dirty) return;
    const path = join(this.dir, "state.json");
    writeFileSync(`${path}.tmp`, JSON.stringify(this.state, null, 1));
    renameSync(`${path}.tmp`, path);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async copy<T>(table: string, columns: [keyof T, string][], rows: T[], id: string, partitions: string): Promise<void> {
    if (rows.length === 0) return;
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
    const target = join(this.dir, table).replaceAll("'", "''");
    await this.connection.run(
      `COPY (SELECT ${select.join(", ")} FROM ${stage}) TO '${target}'
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions}), FILENAME_PATTERN 'src-${id}-{i}', OVERWRITE_OR_IGNORE true)`
    );
    await this.connection.run(`DROP TABLE ${stage}`);
  }

  private removeOutputs(id: string): void {
    for (const table of ["payments", "rejects"]) {
      for (const path of walk(join(this.dir, table))) {
        if (path.includes(`/src-${id}-`)) rmSync(path);
      }
    }
  }
}

/** The reconciliation of every source file in a store, as the last ingest left it. */
export function storedReports(dir: string): FileReport[] {
  const path = join(dir, "state.json");
  if (!existsSync(path)) return [];
  const state: State = JSON.parse(readFileSync(path, "utf8"));
  return Object.values(state.files).map((f) => f.report);
}

/** A short, stable name for a source file's outputs. */
export function sourceId(sourceFile: string): string {
  return createHash("sha256").update(sourceFile).digest("hex").slice(0, 16);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
