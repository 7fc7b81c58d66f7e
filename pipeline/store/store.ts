import {createHash} from "node:crypto";
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {dirname, join, relative, sep} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import type {FileReport} from "../conform/ledger.ts";
import type {RegisterUse} from "../classify/current-register.ts";
import {isDiskFull} from "../disk-full.ts";
import {appendRows, sqlLiteral} from "../sql.ts";
import type {Payment, Reject} from "../types.ts";
import {damage, fileCheck, type FileCheck} from "./file-check.ts";
import {markRepublished} from "./republished.ts";
import {alive} from "../run-lock.ts";

interface StoredFile {
  sha256: string;
  /** Pipeline version, layout and period the file was read with (see pipeline-version.ts). */
  recipe: string;
  id: string;
  report: FileReport;
  /** Parquet files holding this source's rows, relative to the store. */
  outputs: string[];
  /** The charity register its suppliers were classified with. */
  register?: RegisterUse;
  /** Each output's size and hash as written (absent in stores written before they were kept). */
  checks?: Record<string, FileCheck>;
}

export interface State {
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
 * old rows of a source or its new ones, never both and never half. state.json is replaced at most once
 * every SAVE_EVERY_MS while writing (it grows with the number of files) and always on close; a run killed
 * in between loses only the files written since the last save, which the next run reads again.
 */
export class Store {
  private constructor(
    readonly dir: string,
    private state: State,
    private connection: DuckDBConnection,
    private instance: DuckDBInstance,
    private options: StoreOptions
  ) {}

  /** Outputs replaced since state.json was last saved: deleted once it no longer lists them. */
  private stale: string[] = [];
  private savedAt = 0;
  private sessions: DuckDBConnection[] = [];
  private batches = 0;
  /** The charity register the files written from now on are classified with; recorded with each. */
  register: RegisterUse | undefined;

  static async open(dir: string, options: StoreOptions = {}): Promise<Store> {
    mkdirSync(join(dir, "payments"), {recursive: true});
    mkdirSync(join(dir, "rejects"), {recursive: true});
    const state = readState(dir);
    const listed = new Set(Object.values(state.files).flatMap((f) => f.outputs));
    for (const entry of readdirSync(dir)) if (entry.startsWith(STAGING)) rmSync(join(dir, entry), {recursive: true, force: true});
    // A state.json half-replaced by a run that was killed (writeAtomic's temporary file, named with its pid).
    for (const entry of readdirSync(dir)) {
      const pid = /^state\.json\.(\d+)\.tmp$/.exec(entry)?.[1];
      if (pid && Number(pid) !== process.pid && !alive(Number(pid))) rmSync(join(dir, entry), {force: true});
    }
    for (const path of walk(dir)) {
      const name = relative(dir, path);
      if (name.endsWith(".parquet") && !listed.has(name)) rmSync(path);
    }
    const instance = await DuckDBInstance.create(":memory:");
    return new Store(dir, state, await instance.connect(), instance, options);
  }

  /** The stored report of a source file whose bytes have not changed and whose outputs are as written, or null. */
  unchanged(sourceFile: string, sha256: string, recipe: string): FileReport | null {
    const stored = this.state.files[sourceFile];
    if (!stored || stored.sha256 !== sha256 || stored.recipe !== recipe) return null;
    // A damaged output (truncated, altered) is written again from its source.
    return this.damaged(stored).length === 0 ? stored.report : null;
  }

  /** The outputs of a stored source that are not as written, with why. */
  private damaged(stored: StoredFile): {output: string; reason: string}[] {
    return stored.outputs.flatMap((output) => {
      const check = stored.checks?.[output];
      const reason = check ? damage(join(this.dir, output), check) : existsSync(join(this.dir, output)) ? undefined : "missing";
      return reason ? [{output, reason}] : [];
    });
  }

  /** The report the store holds for a source file, whatever its bytes: what a file read again replaces. */
  stored(sourceFile: string): FileReport | null {
    return this.state.files[sourceFile]?.report ?? null;
  }

  sources(): string[] {
    return Object.keys(this.state.files);
  }

  async write(sourceFile: string, sha256: string, recipe: string, payments: Payment[], rejects: Reject[], report: FileReport): Promise<void> {
    const stem = outputStem(sourceFile, sha256, recipe);
    const outputs = [
      ...(await this.copy("payments", PAYMENT_COLUMNS, payments, stem, "council_code, financial_year")),
      ...(await this.copy("rejects", REJECT_COLUMNS, rejects, stem, "council_code"))
    ];
    this.publish(sourceFile, sha256, recipe, report, outputs);
  }

  /** The store's DuckDB connection, on which the SQL fast path (fast-ingest.ts) stages its tables. */
  get db(): DuckDBConnection {
    return this.connection;
  }

  /**
   * Like write, with the payments given as a query on db (columns named as in PAYMENT_COLUMNS, payment_date
   * a DATE) and, beside them, payments conformed in JavaScript.
   */
  async writeQuery(sourceFile: string, sha256: string, recipe: string, query: string, payments: Payment[], rejects: Reject[], report: FileReport): Promise<void> {
    const stem = outputStem(sourceFile, sha256, recipe);
    const names = PAYMENT_COLUMNS.map(([name]) => name).join(", ");
    let select = `SELECT ${names} FROM (${query})`;
    if (payments.length > 0) select += ` UNION ALL ${await this.stage(this.connection, "payments", PAYMENT_COLUMNS, payments)}`;
    const outputs = [
      ...(await this.copyOut(this.connection, join(this.dir, "payments"), select, `${stem}-{i}`, "council_code, financial_year")),
      ...(await this.copy("rejects", REJECT_COLUMNS, rejects, stem, "council_code"))
    ];
    await this.connection.run("DROP TABLE IF EXISTS stage_payments");
    this.publish(sourceFile, sha256, recipe, report, outputs);
  }

  /**
   * Further connections to the store's database (by number), for the fast path's temporary tables: they
   * belong to a connection, so they never meet the tables write() stages on the first.
   */
  async session(index: number): Promise<DuckDBConnection> {
    this.sessions[index] ??= await this.instance.connect();
    return this.sessions[index]!;
  }

  /**
   * Writes the outputs of several source files at once: `query` (on db) gives payments in the store's columns
   * plus `stem`, the output stem of their source (outputStem); each entry adds payments conformed in JavaScript
   * and its rejects. One COPY writes every file's partitions to a staging folder, partitioned by stem too; each
   * Parquet file is then moved to where write() would have put it, under the same name.
   */
  async writeBatch(db: DuckDBConnection, entries: BatchEntry[], query: string): Promise<void> {
    if (entries.length === 0) return;
    const staging = join(this.dir, `${STAGING}${process.pid}-${this.batches++}`);
    rmSync(staging, {recursive: true, force: true});
    mkdirSync(staging, {recursive: true});
    const stems = new Map(entries.map((e) => [outputStem(e.sourceFile, e.sha256, e.recipe), e]));
    const withStem = <T>(rows: (e: BatchEntry) => T[]) => entries.flatMap((e) => rows(e).map((r) => ({...r, stem: outputStem(e.sourceFile, e.sha256, e.recipe)})));
    const names = PAYMENT_COLUMNS.map(([name]) => name).join(", ");
    let select = `SELECT ${names}, stem FROM (${query})`;
    const extra = withStem((e) => e.payments);
    if (extra.length > 0) select += ` UNION ALL ${await this.stage(db, "payments", [...PAYMENT_COLUMNS, ["stem", "VARCHAR"]] as [keyof (typeof extra)[number], string][], extra)}`;
    const written = await this.copyOut(db, join(staging, "payments"), select, "part-{i}", "council_code, financial_year, stem");
    const rejects = withStem((e) => e.rejects);
    if (rejects.length > 0) {
      const staged = await this.stage(db, "rejects", [...REJECT_COLUMNS, ["stem", "VARCHAR"]] as [keyof (typeof rejects)[number], string][], rejects);
      written.push(...(await this.copyOut(db, join(staging, "rejects"), staged, "part-{i}", "council_code, stem")));
    }
    await db.run("DROP TABLE IF EXISTS stage_payments; DROP TABLE IF EXISTS stage_rejects");
    const outputs = new Map<string, string[]>();
    for (const path of written) {
      // <staging>/payments/council_code=X/financial_year=Y/stem=S/part-0.parquet -> payments/council_code=X/financial_year=Y/S-0.parquet
      const parts = relative(staging, join(this.dir, path)).split(sep);
      const stem = parts.at(-2)!.slice("stem=".length);
      const name = `${[...parts.slice(0, -2)].join(sep)}${sep}${stem}-${parts.at(-1)!.slice("part-".length)}`;
      // Asynchronous, like the removal below: on a slow file system these calls take seconds the fast path can use.
      await mkdir(join(this.dir, dirname(name)), {recursive: true});
      await rename(join(this.dir, path), join(this.dir, name));
      outputs.set(stem, [...(outputs.get(stem) ?? []), name]);
    }
    await rm(staging, {recursive: true, force: true});
    for (const [stem, e] of stems) this.publish(e.sourceFile, e.sha256, e.recipe, e.report, (outputs.get(stem) ?? []).sort());
  }

  /** Replaces a stored file's report with one ingest has marked since (a changed layout), so that state.json says it. */
  keepReport(sourceFile: string, report: FileReport): void {
    const stored = this.state.files[sourceFile];
    if (stored) stored.report = report;
  }

  /** Drops a source file and its outputs; returns its last report. */
  remove(sourceFile: string): FileReport | null {
    const stored = this.state.files[sourceFile];
    if (!stored) return null;
    delete this.state.files[sourceFile];
    this.stale.push(...stored.outputs);
    this.save(false);
    return stored.report;
  }

  /** Saves state.json now, so that readers of the store (duplicates, compaction) see every file written so far. */
  flush(): void {
    this.save(true);
  }

  close(): void {
    this.save(true);
    for (const session of this.sessions) session.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private publish(sourceFile: string, sha256: string, recipe: string, report: FileReport, outputs: string[]): void {
    const old = this.state.files[sourceFile];
    // Said with the report as the state replaces the old version, so that a run killed after this file keeps it.
    markRepublished(report, old?.report ?? null);
    const checks = Object.fromEntries(outputs.map((o) => [o, fileCheck(join(this.dir, o))]));
    this.state.files[sourceFile] = {sha256, recipe, id: sourceId(sourceFile), report, outputs, checks};
    if (this.register) this.state.files[sourceFile].register = this.register;
    for (const path of old?.outputs ?? []) if (!outputs.includes(path)) this.stale.push(path);
    this.save(false);
  }

  /** Replaces state.json (when forced, or SAVE_EVERY_MS after the last time), then deletes the outputs it no longer lists. */
  private save(force: boolean): void {
    if (!force && Date.now() - this.savedAt < SAVE_EVERY_MS) return;
    this.options.beforeWrite?.(join(this.dir, "state.json"));
    writeAtomic(join(this.dir, "state.json"), JSON.stringify(this.state, null, 1));
    this.savedAt = Date.now();
    for (const path of this.stale) rmSync(join(this.dir, path), {force: true});
    this.stale = [];
  }

  /** Writes rows as Parquet partitions named after the source and its content; returns the files written. */
  private async copy<T>(table: string, columns: [keyof T, string][], rows: T[], stem: string, partitions: string): Promise<string[]> {
    if (rows.length === 0) return [];
    const outputs = await this.copyOut(this.connection, join(this.dir, table), await this.stage(this.connection, table, columns, rows), `${stem}-{i}`, partitions);
    await this.connection.run(`DROP TABLE stage_${table}`);
    return outputs;
  }

  /** Appends rows to a temporary table stage_<table>; returns the query that reads them with the stored types. */
  private async stage<T>(db: DuckDBConnection, table: string, columns: [keyof T, string][], rows: T[]): Promise<string> {
    const stage = `stage_${table}`;
    const staged = columns.map(([name, type]) => `${String(name)} ${type === "DATE" ? "VARCHAR" : type}`);
    await db.run(`CREATE OR REPLACE TEMP TABLE ${stage} (${staged.join(", ")})`);
    const types = columns.map(([, type]) => type);
    await appendRows(db, stage, types, (function* () {
      for (const row of rows) yield columns.map(([name]) => row[name] as unknown);
    })());
    const select = columns.map(([name, type]) => (type === "DATE" ? `${String(name)}::DATE AS ${String(name)}` : String(name)));
    return `SELECT ${select.join(", ")} FROM ${stage}`;
  }

  /** Writes a query's rows as Parquet partitions under target; returns the files written, relative to the store. */
  private async copyOut(db: DuckDBConnection, target: string, select: string, pattern: string, partitions: string): Promise<string[]> {
    this.options.beforeWrite?.(target);
    const result = await db.runAndReadAll(
      `COPY (${select}) TO ${sqlLiteral(target)}
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions}), FILENAME_PATTERN '${pattern}', OVERWRITE_OR_IGNORE true, RETURN_FILES true)`
    );
    const files = (result.getRowObjectsJS()[0]?.Files ?? []) as string[];
    return files.map((p) => relative(this.dir, p)).sort();
  }
}

export function readState(dir: string): State {
  const path = join(dir, "state.json");
  if (!existsSync(path)) return {version: 2, files: {}};
  const state = JSON.parse(readFileSync(path, "utf8")) as State;
  return state.version === 2 ? state : {version: 2, files: {}};
}

/** The reconciliation of every source file in a store, as the last ingest left it. */
export function storedReports(dir: string): FileReport[] {
  return Object.values(readState(dir).files).map((f) => f.report);
}

/** The charity registers the store's files were classified with, each with how many files, most files first. */
export function storedRegisters(dir: string): (RegisterUse & {files: number})[] {
  const byKey = new Map<string, RegisterUse & {files: number}>();
  for (const f of Object.values(readState(dir).files)) {
    if (!f.register) continue;
    const key = `${f.register.register}\u0000${f.register.date}\u0000${f.register.sha256}`;
    const seen = byKey.get(key);
    if (seen) seen.files++;
    else byKey.set(key, {...f.register, files: 1});
  }
  return [...byKey.values()].sort((a, b) => b.files - a.files || b.date.localeCompare(a.date));
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
  return `read_parquet([${files.map((f) => sqlLiteral(f)).join(", ")}], hive_partitioning = true, union_by_name = true)`;
}

/** state.json is replaced at most this often while files are being written. */
const SAVE_EVERY_MS = 2000;

/** A source file's outputs for the fast path's writeBatch. */
export interface BatchEntry {
  sourceFile: string;
  sha256: string;
  recipe: string;
  report: FileReport;
  payments: Payment[];
  rejects: Reject[];
}

/** Staging folders of writeBatch, inside the store: STAGING + process id + batch number. */
const STAGING = ".staging-";

/** The name stem of a source file's outputs: its id, content and recipe. */
export function outputStem(sourceFile: string, sha256: string, recipe: string): string {
  return `src-${sourceId(sourceFile)}-${sha256.slice(0, 12)}-${recipe.slice(0, 8)}`;
}

/** A short, stable name for a source file's outputs. */
export function sourceId(sourceFile: string): string {
  return createHash("sha256").update(sourceFile).digest("hex").slice(0, 16);
}

function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, {force: true});
    throw e;
  }
}

export interface StoreOptions {
  /** Called with the path (a file, or a folder COPY writes into) before each write: a seam for injecting faults. */
  beforeWrite?: (path: string) => void;
}

/** A full disk (ENOSPC from node, or DuckDB's "No space left on device") said plainly, or undefined for any other error. */
export function diskFull(e: unknown, dir: string): Error | undefined {
  if (!isDiskFull(e)) return undefined;
  return new Error(
    `no space left on the device of the store ${dir} (${(e as Error).message}): nothing half-written is published, the store keeps ` +
      "the last files it saved whole (state.json lists only those); free space and run ingest again to finish"
  );
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
