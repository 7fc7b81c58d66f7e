import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {basename, relative, resolve} from "node:path";
import {conform, LayoutError, modalWidth, NO_HEADER, rejectTable, tableShape, type UnclassifiedPayment} from "../conform/conform.ts";
import {findHeader} from "../conform/find-header.ts";
import {formatPence} from "../conform/parse-amount.ts";
import {Ledger, sumReconciliations, type FileReport, type Reconciliation} from "../conform/ledger.ts";
import {layoutFor, readManifests, type ManifestDirs} from "../sources/manifest.ts";
import {parsePeriod} from "../conform/parse-period.ts";
import {periodFromName} from "../sources/period-from-name.ts";
import {readBytes} from "../read/read-file.ts";
import type {ZipLimits} from "../read/read-zip.ts";
import {diskFull, Store} from "../store/store.ts";
import {BATCH_BYTES, BATCH_FILES, FastIngest} from "./fast-ingest.ts";
import {IngestRun} from "./ingest-run.ts";
import type {IngestStats} from "./ingest-stats.ts";
import {pipelineVersion, recipeKey} from "./pipeline-version.ts";
import type {Engine, FastJob, Ingested, Job} from "./job.ts";
import {adhocLayout} from "../conform/adhoc-layout.ts";
import {markLayoutChanges} from "./changes.ts";
import {classifySuppliers} from "../classify/classify-suppliers.ts";
import {findDuplicates, type DuplicateCount} from "../store/duplicates.ts";
import {councilName} from "../sources/councils.ts";
import {loadClassifier, type Classifier} from "../classify/classify.ts";
import {registerInUse, type RegisterUse} from "../classify/current-register.ts";
import type {Field, Reject} from "../types.ts";

export interface CouncilReport extends Reconciliation {
  council: string;
  council_name: string;
  files: number;
  duplicates: number;
  amount_duplicates: string;
}

export interface IngestReport {
  files: FileReport[];
  councils: CouncilReport[];
  total: Reconciliation & {files: number; failed_files: number; duplicates: number};
  /** The charity register the files read in this run were classified with. */
  register: RegisterUse;
}

export interface IngestOptions {
  dataDir?: string;
  /** Where manifests are read (default dataDir/sources) and where their files' paths lead (default dataDir). */
  dirs?: ManifestDirs;
  outDir?: string;
  councils?: string[];
  /** Files of a council that has no manifest: the layout is detected from the headers, but a field in map is read from the header it names. */
  adhoc?: {council: string; files: string[]; map?: Partial<Record<Field, string>>};
  classifier?: Classifier;
  /**
   * The folder `fetch --registers` fills, when no classifier is given (default cache/raw/registers, read when it
   * holds an extract); null: the embedded register names only.
   */
  registersDir?: string | null;
  log?: (message: string) => void;
  /** Bounds on what archives may unpack to (default READ_LIMITS). */
  limits?: ZipLimits;
  /**
   * Which engine reads the files. "auto" (the default): DuckDB conforms the plain text files of manifests
   * (fast-ingest.ts) and JavaScript reads the rest; "fast": ad hoc files are offered to DuckDB too; "javascript":
   * JavaScript reads every file. The fast path hands back to JavaScript any file it cannot take whole.
   */
  engine?: "auto" | "fast" | "javascript";
  /** Told which engine read each file read in this run (files unchanged since the last run are not read). */
  onEngine?: (sourceFile: string, engine: Engine) => void;
  /** Told, once the run's files are read, how many the fast path read and handed back, and the seconds per step. */
  onStats?: (stats: IngestStats) => void;
  /** Called before each file the store writes (see StoreOptions): where a test makes the disk full. */
  beforeWrite?: (path: string) => void;
}

const MIB = 1024 * 1024;
/**
 * The largest real file seen unpacks to 60 MB (Trafford, a year); a text entry past V8's longest string
 * (about 512 MiB) could not be decoded anyway, and all of a file's tables are held in memory at once.
 */
export const READ_LIMITS: Required<ZipLimits> = {maxEntryBytes: 256 * MIB, maxTotalBytes: 512 * MIB, maxEntries: 1000};

/**
 * Jobs for every file of every manifest (optionally only some councils). A draft manifest with no layouts has
 * each file's columns inferred, as for files no manifest describes.
 */
export function manifestJobs(dataDir: string, councils?: string[], dirs: ManifestDirs = {}): Job[] {
  const filesDir = dirs.filesDir ?? dataDir;
  return readManifests(dataDir, dirs)
    .filter((m) => !councils?.length || councils.includes(m.council.code))
    .flatMap((m) =>
      m.files.map((f) => ({
        council: m.council,
        path: resolve(filesDir, f.path),
        sourceFile: f.path,
        period: parsePeriod(f.period),
        layout: m.layouts.length ? layoutFor(m, f) : adhocLayout()
      }))
    );
}

/** Jobs for files no manifest describes: columns are inferred, the file name may give the period. */
export function adhocJobs(code: string, files: string[], dataDir = "data", map: Partial<Record<Field, string>> = {}): Job[] {
  const council = {code, name: councilName(code, dataDir) ?? code};
  return files.map((path) => ({
    council,
    path: resolve(path),
    sourceFile: relative(process.cwd(), resolve(path)),
    period: periodFromName(basename(path)),
    layout: adhocLayout(map)
  }));
}

/** Reads, conforms, classifies and stores every job's file; unchanged files are not read again. */
export async function ingest(options: IngestOptions = {}): Promise<IngestReport> {
  const dataDir = options.dataDir ?? "data";
  const log = options.log ?? (() => {});
  const jobs = options.adhoc ? adhocJobs(options.adhoc.council, options.adhoc.files, dataDir, options.adhoc.map) : manifestJobs(dataDir, options.councils, options.dirs);
  const store = await Store.open(options.outDir ?? "store", {beforeWrite: options.beforeWrite});
  // The default classifier loads only once a file needs classifying; a registers folder given loads it now.
  const classifier = options.classifier ?? (options.registersDir !== undefined ? await loadClassifier({registersDir: options.registersDir}) : undefined);
  const register = classifier?.register ?? registerInUse(options.registersDir).use;
  const run = new IngestRun(classifier);
  store.register = register;
  const reports: FileReport[] = [];
  const limits = {...READ_LIMITS, ...options.limits};
  // Per job, the header rows it offers a sibling published without one; read lazily for stored files.
  const siblings: (() => string[][])[] = [];
  const headerless: (FastJob & {index: number})[] = [];
  const version = pipelineVersion(dataDir, register.sha256);
  const engine = options.engine ?? "auto";
  const fast = engine === "fast" || (engine === "auto" && !options.adhoc);
  const recount = new Set<string>();
  // Files the fast path handed to the JavaScript path, until their batch is reported (they hold their bytes).
  const declined = new Set<FastJob>();
  const pipeline = new FastIngest(store, limits, (f) => {
    declined.add(f);
    return ingestFile(f.job, f.bytes, f.sha256, f.recipe, store, limits, run);
  }, run, log);
  const done = (file: FastJob, index: number, read: Ingested, by: Engine) => {
    options.onEngine?.(file.job.sourceFile, by);
    reports[index] = read.report;
    siblings[index] = () => read.headers;
    if (options.adhoc && read.report.error?.endsWith(NO_HEADER)) headerless.push({...file, index});
  };
  let pending: {file: FastJob; index: number}[] = [];
  let pendingBytes = 0;
  // The files handed to the fast path and not yet reported on: while they are read, the next ones are.
  let reading: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    const before = reading;
    reading = pipeline.ingest(batch.map((p) => p.file)).then((read) =>
      read.forEach((d, k) => done(batch[k]!.file, batch[k]!.index, d, declined.delete(batch[k]!.file) ? "javascript" : "fast"))
    );
    reading.catch(() => undefined);
    await before;
  };
  let result: IngestReport;
  try {
    if (!options.adhoc) {
      // A stored file its council's manifest no longer lists (a period republished under a new name, a file
      // withdrawn) leaves the store: the manifest's files replace it in every figure.
      const wanted = new Set(jobs.map((j) => j.sourceFile));
      // Asked for some councils: only those with a manifest here (a council with none keeps what it has).
      const only = options.councils?.length ? new Set(jobs.map((j) => j.council.code)) : null;
      for (const source of store.sources()) {
        if (wanted.has(source) || (only && !only.has(store.stored(source)!.council))) continue;
        recount.add(store.remove(source)!.council);
      }
    }
    for (const [i, job] of jobs.entries()) {
      const bytes = readSource(job);
      if (!bytes) {
        reports.push(unreadable(job, `cannot open ${job.path}`));
        recount.add(job.council.code);
        continue;
      }
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const recipe = recipeKey(version, job.layout, job.period);
      const cached = store.unchanged(job.sourceFile, sha256, recipe);
      if (cached) {
        reports.push(cached);
        if (cached.duplicates === undefined) recount.add(job.council.code);
        if (options.adhoc) siblings[reports.length - 1] = () => headerRows(job, limits);
        continue;
      }
      log(`[${i + 1}/${jobs.length}] ${job.sourceFile}`);
      recount.add(job.council.code);
      // By default a file whose columns are inferred is read in JavaScript; engine "fast" offers it to the fast path.
      if (fast && (!job.layout.infer || engine === "fast")) {
        // Read in batches by the fast path (fast-ingest.ts); the reports take their places when a batch is done.
        pending.push({file: {job, bytes, sha256, recipe}, index: reports.length});
        reports.push(undefined as unknown as FileReport);
        pendingBytes += bytes.length;
        if (pendingBytes >= BATCH_BYTES || pending.length >= BATCH_FILES) await flush();
        continue;
      }
      reports.push(undefined as unknown as FileReport);
      done({job, bytes, sha256, recipe}, reports.length - 1, await ingestFile(job, bytes, sha256, recipe, store, limits, run), "javascript");
    }
    await flush();
    await reading;
    await pipeline.finish();
    options.onStats?.(run.stats);
    // Every sibling counts, stored or read in this run, so that a run resumed after a crash borrows as a whole run would.
    const borrowed = new Map<number, string[]>();
    if (headerless.length > 0) for (const headers of siblings) for (const h of headers?.() ?? []) borrowed.set(h.length, h);
    // In file order whichever engine finished first: the classifier remembers what it has seen.
    for (const retry of headerless.sort((a, b) => a.index - b.index)) {
      const width = Math.max(...readBytes(retry.bytes, retry.job.sourceFile, limits).map((t) => modalWidth(t.records)));
      const header = borrowed.get(width);
      if (!header) continue;
      log(`${retry.job.sourceFile}: no header row; borrowing the ${width} column names of a sibling file`);
      const job = {...retry.job, layout: {...retry.job.layout, headerless_columns: header}};
      const recipe = recipeKey(version, job.layout, job.period);
      reports[retry.index] =
        store.unchanged(job.sourceFile, retry.sha256, recipe) ?? (await ingestFile(job, retry.bytes, retry.sha256, recipe, store, limits, run)).report;
    }
    markLayoutChanges(jobs, reports);
    // Marked after the files are stored, whether read now or before, so a run killed before this point and run
    // again stores the same marks.
    jobs.forEach((job, i) => {
      const report = reports[i];
      if (report && !report.error) store.keepReport(job.sourceFile, report);
    });
    store.flush();
    // Duplicates never cross councils: only councils with a file read, removed or never counted are counted again.
    // Limited to some councils (or to files given), the store holds others: their files are not read, so that a
    // damaged file of another council cannot stop this one.
    const all = !options.adhoc && !options.councils?.length && jobs.every((j) => recount.has(j.council.code));
    const duplicates = await findDuplicates(store.dir, undefined, all ? undefined : [...recount]);
    result = {...summarise(reports, duplicates, new Map(jobs.map((j) => [j.council.code, j.council.name])), all ? null : recount), register};
  } catch (e) {
    // Writes still running must end before the store closes under them. Saving state.json may then fail for the
    // same reason (a full disk): the state last saved stands, and the first error is the one told.
    await pipeline.finish().catch(() => undefined);
    try {
      store.close();
    } catch {
      // Told above.
    }
    throw diskFull(e, store.dir) ?? e;
  }
  try {
    store.close();
  } catch (e) {
    throw diskFull(e, store.dir) ?? e;
  }
  return result;
}

/** The header rows of a stored file, as ingestFile found them when it read the file. */
function headerRows(job: Job, limits: ZipLimits): string[][] {
  const bytes = readSource(job);
  if (!bytes) return [];
  try {
    return readBytes(bytes, job.sourceFile, limits).flatMap((t) => {
      const found = findHeader(t.records);
      return found ? [found.names] : [];
    });
  } catch {
    return [];
  }
}

function readSource(job: Job): Uint8Array | null {
  try {
    return readFileSync(job.path);
  } catch {
    return null;
  }
}

function unreadable(job: Job, reason: string): FileReport {
  const ledger = new Ledger();
  ledger.open(job.sourceFile, job.council.code, "");
  ledger.fail(job.sourceFile, `${job.sourceFile}: ${reason}`);
  return ledger.reports()[0]!;
}

async function ingestFile(
  job: Job, bytes: Uint8Array, sha256: string, recipe: string, store: Store, limits: ZipLimits, run: IngestRun
): Promise<Ingested> {
  const ledger = new Ledger();
  const headers: string[][] = [];
  ledger.open(job.sourceFile, job.council.code, sha256);
  const payments: UnclassifiedPayment[] = [];
  const rejects: Reject[] = [];
  const options = {council: job.council, sha256, period: job.period, ...job.layout};
  try {
    const tables = readBytes(bytes, job.sourceFile, limits);
    // In a workbook or archive of several tables, a notes sheet is not payments and a sheet of supplier totals
    // beside the transactions only sums them: their rows are rejected (counted, amounts kept), not stored twice.
    const shapes = tables.length > 1 ? tables.map((t) => tableShape(t, options)) : [];
    const transactions = shapes.includes("transactions");
    const notesOnly = shapes.every((shape) => shape === "notes");
    for (const [i, table] of tables.entries()) {
      ledger.describe(job.sourceFile, {encoding: table.encoding});
      const where = table.entry.slice(job.sourceFile.length + 1);
      if (shapes[i] === "notes" && !notesOnly) {
        rejects.push(...rejectTable({...table, entry: job.sourceFile}, options, ledger, `${where}: no header row and nothing like a payment (notes)`));
        continue;
      }
      const summary = shapes[i] === "supplier_totals" && transactions && !job.layout.row_kind ? `${where}: supplier totals summing the file's other tables` : undefined;
      let out;
      try {
        out = conform({...table, entry: job.sourceFile}, {...options, summary}, ledger);
      } catch (e) {
        if (tables.length > 1 && e instanceof LayoutError) throw new LayoutError(table.entry, e.reason);
        throw e;
      }
      headers.push(out.header);
      for (const p of out.payments) payments.push(p);
      for (const r of out.rejects) rejects.push(r);
    }
  } catch (e) {
    // Nothing of a file that fails is stored, so its report counts nothing either (not the tables read before).
    const failed = new Ledger();
    failed.open(job.sourceFile, job.council.code, sha256);
    failed.describe(job.sourceFile, {encoding: ledger.reports()[0]!.encoding});
    failed.fail(job.sourceFile, (e as Error).message);
    return {report: failed.reports()[0]!, headers};
  }
  const classified = classifySuppliers(payments, await run.classifier());
  const [report] = ledger.reports();
  await store.write(job.sourceFile, sha256, recipe, classified, rejects, report!);
  return {report: report!, headers};
}

function summarise(files: FileReport[], duplicates: Map<string, DuplicateCount>, names: Map<string, string>, recounted: Set<string> | null): Omit<IngestReport, "register"> {
  for (const f of files) {
    // Stored with the file's report (the store saves it on close), kept while its council is not counted again.
    if (recounted && !recounted.has(f.council) && f.duplicates !== undefined) continue;
    const d = duplicates.get(f.file);
    f.duplicates = d?.rows ?? 0;
    f.amount_duplicates = d?.amount ?? "0.00";
  }
  const byCouncil = new Map<string, FileReport[]>();
  for (const f of files) byCouncil.set(f.council, [...(byCouncil.get(f.council) ?? []), f]);
  const councils = [...byCouncil].map(([code, list]) => ({
    council: code,
    council_name: names.get(code) ?? code,
    files: list.length,
    ...sumReconciliations(list),
    duplicates: list.reduce((a, f) => a + (f.duplicates ?? 0), 0),
    amount_duplicates: sumPounds(list.map((f) => f.amount_duplicates ?? "0.00"))
  }));
  return {
    files,
    councils,
    total: {
      files: files.length,
      failed_files: files.filter((f) => f.error).length,
      duplicates: councils.reduce((a, c) => a + c.duplicates, 0),
      ...sumReconciliations(files)
    }
  };
}

function sumPounds(values: string[]): string {
  return formatPence(values.reduce((a, v) => a + BigInt(v.replace(".", "")), 0n));
}

