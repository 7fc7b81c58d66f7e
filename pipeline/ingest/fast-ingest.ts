import type {DuckDBConnection} from "@duckdb/node-api";
import type {ZipLimits} from "../read/read-zip.ts";
import type {BatchEntry, Store} from "../store/store.ts";
import {analyse, PAYMENTS} from "./fast-analyse.ts";
import {classifyBatch} from "./fast-classify.ts";
import {prepare, type Prepared} from "./fast-prepare.ts";
import type {IngestRun} from "./ingest-run.ts";
import type {FastJob, Ingested} from "./job.ts";

/**
 * The fast path of ingest. DuckDB splits text files into lines and cells, tests every row and writes the
 * payments to Parquet, a batch of files at a time (one set of statements for many files, because planning a
 * statement costs more than running it on a typical month of payments). JavaScript decides only what is per
 * distinct value (dates, amounts in unusual forms, suppliers and their classification) and conforms the few
 * rows that are not plain payments (rejects, totals lines, short rows) with conform itself. The result is the
 * JavaScript path's, file for file and row for row: the same payments, rejects, report and store files
 * (test/fast-ingest.test.ts compares the two on real files).
 *
 * A file it cannot take whole is declined and read by the JavaScript path (`fallback`), in its place in the
 * batch so that suppliers are classified in the same order: workbooks, archives of several tables, layouts
 * with a repair conform does not make on short rows alone, and any file with a line the line-by-line split would read differently from the CSV reader
 * (a quoted field over several lines, a stray quote or CR).
 */

/** A batch holds files up to this many bytes of text (one bigger file is a batch on its own) … */
export const BATCH_BYTES = 48 * 1024 * 1024;
/** … and at most this many files. */
export const BATCH_FILES = 100;

/**
 * Ingests files in order: by the fast path where it can, else by `fallback` (the JavaScript path).
 * Consecutive files with the same delimiter go to DuckDB as one batch (within BATCH_BYTES and BATCH_FILES);
 * a declined file is read by fallback in its place. The steps overlap: while JavaScript prepares the next
 * files or classifies a batch's suppliers, DuckDB splits the next batch and writes the last one's Parquet.
 * Batches take turns on two DuckDB connections (a batch holds its connection until its payments are
 * written); suppliers are classified, and declined files read, strictly in file order (the classifier
 * remembers what it has seen). `ingest` returns its files' reports once they are classified, `finish`
 * waits for the last writes.
 */
export class FastIngest {
  private sessions: DuckDBConnection[] = [];
  /** Per connection, the batch using it: its temporary tables are in use until its payments are written. */
  private busy: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  private turn = 0;
  /** The last file (or batch) in the classifying order; never rejects. */
  private order: Promise<void> = Promise.resolve();
  /** The last call's loop over its files: calls take their files in turn. */
  private feeding: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private store: Store,
    private limits: ZipLimits,
    private fallback: (file: FastJob) => Promise<Ingested>,
    private run: IngestRun,
    private log: (message: string) => void = () => {}
  ) {}

  /** Each file's report, in the order given; its payments may still be being written. */
  async ingest(files: FastJob[]): Promise<Ingested[]> {
    const out: Ingested[] = new Array<Ingested>(files.length);
    const previous = this.feeding;
    let fed!: () => void;
    this.feeding = new Promise((resolve) => (fed = resolve));
    const steps: Promise<void>[] = [];
    let run: Prepared[] = [];
    let bytes = 0;
    const flush = async () => {
      if (run.length === 0) return;
      const batches = steps.filter((_, i) => i >= steps.length - 2);
      steps.push(this.batch(run, out));
      run = [];
      bytes = 0;
      // At most two batches wait for DuckDB or their turn to classify: each holds its files' text.
      if (batches.length === 2) await batches[0];
    };
    try {
      await previous;
      for (const [i, file] of files.entries()) {
        const started = performance.now();
        const p = prepare(file, i, this.limits);
        this.run.stats.phase("prepare", started);
        // Lets DuckDB's finished steps continue between files.
        await new Promise(setImmediate);
        if (!p) {
          await flush();
          steps.push(this.inOrder(() => this.decline(file, out, i)));
          continue;
        }
        if (run.length > 0 && (run[0]!.delimiter !== p.delimiter || bytes + p.text.utf8.length > BATCH_BYTES || run.length >= BATCH_FILES)) await flush();
        run.push(p);
        bytes += p.text.utf8.length;
      }
      await flush();
    } finally {
      fed();
    }
    await Promise.all(steps);
    this.check();
    return out;
  }

  /** Waits for every batch to be classified and written, then drops the temporary tables. */
  async finish(): Promise<void> {
    await this.feeding;
    await this.order;
    await Promise.all(this.busy);
    for (const db of this.sessions) {
      await db.run("DROP TABLE IF EXISTS fast_input; DROP TABLE IF EXISTS fast_files; DROP TABLE IF EXISTS fast_raw; DROP TABLE IF EXISTS fast_lines; DROP TABLE IF EXISTS fast_rows; DROP TABLE IF EXISTS fast_dates; DROP TABLE IF EXISTS fast_amounts; DROP TABLE IF EXISTS fast_cls");
    }
    this.check();
  }

  /** Runs task once every file before it is classified; the returned promise settles with it. */
  private inOrder(task: () => Promise<void>): Promise<void> {
    const turn = this.order.then(task);
    this.order = turn.catch(() => undefined);
    return turn;
  }

  private async decline(file: FastJob, out: Ingested[], index: number): Promise<void> {
    const started = performance.now();
    this.run.stats.declined++;
    out[index] = await this.fallback(file);
    this.run.stats.phase("fallback", started);
  }

  /** Splits a batch in DuckDB as soon as a connection is free, classifies it in its turn, then writes it. */
  private batch(part: Prepared[], out: Ingested[]): Promise<void> {
    const k = this.turn++ % 2;
    const free = this.busy[k]!;
    let release!: () => void;
    this.busy[k] = new Promise((resolve) => (release = resolve));
    const split = (async () => {
      await free;
      this.check();
      this.sessions[k] ??= await this.store.session(k);
      return analyse(this.sessions[k]!, part, this.run.stats);
    })();
    split.catch(() => undefined);
    return this.inOrder(async () => {
      let entries: BatchEntry[];
      try {
        entries = await classifyBatch(await split, this.run, (p) => this.decline(p.file, out, p.index), out);
      } catch (e) {
        release();
        // Whatever DuckDB could not do, the JavaScript path does: the batch's files are read there instead.
        if (this.failure) throw this.failure;
        this.log(`fast path: a batch of ${part.length} files is read by the JavaScript path instead (${(e as Error).message})`);
        for (const p of part) if (!out[p.index]) await this.decline(p.file, out, p.index);
        return;
      }
      const started = performance.now();
      void this.store.writeBatch(this.sessions[k]!, entries, PAYMENTS)
        .then(() => this.run.stats.phase("write", started))
        .catch((e: unknown) => {
          this.failure ??= e;
        })
        .finally(release);
    });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
