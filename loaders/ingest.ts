import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {basename, relative, resolve} from "node:path";
import {conform, modalWidth, NO_HEADER, type UnclassifiedPayment} from "./conform.ts";
import {formatPence} from "./parse-amount.ts";
import {Ledger, sumReconciliations, type FileReport, type Reconciliation} from "./ledger.ts";
import {layoutFor, readManifests, type Layout} from "./manifest.ts";
import {parsePeriod, type Period} from "./parse-period.ts";
import {periodFromName} from "./period-from-name.ts";
import {readBytes} from "./read-file.ts";
import {Store} from "./store.ts";
import {pipelineVersion, recipeKey} from "./pipeline-version.ts";
import {SYNONYMS} from "./synonyms.ts";
import {classifySuppliers} from "./classify-suppliers.ts";
import {findDuplicates, type DuplicateCount} from "./duplicates.ts";
import {councilName} from "./councils.ts";
import type {Classifier} from "./classify.ts";
import type {Reject} from "./types.ts";

/** One file to ingest, with what is known about it before reading. */
export interface Job {
  council: {code: string; name: string};
  /** Absolute path on disk. */
  path: string;
  /** Stable id: path relative to the data folder, or as given on the command line. */
  sourceFile: string;
  period: Period | null;
  layout: Omit<Layout, "from">;
}

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
}

export interface IngestOptions {
  dataDir?: string;
  outDir?: string;
  councils?: string[];
  /** Files of a council that has no manifest: the layout is detected from the headers. */
  adhoc?: {council: string; files: string[]};
  classifier?: Classifier;
  log?: (message: string) => void;
}

/** Jobs for every file of every manifest (optionally only some councils). */
export function manifestJobs(dataDir: string, councils?: string[]): Job[] {
  return readManifests(dataDir)
    .filter((m) => !councils?.length || councils.includes(m.council.code))
    .flatMap((m) =>
      m.files.map((f) => ({
        council: m.council,
        path: resolve(dataDir, f.path),
        sourceFile: f.path,
        period: parsePeriod(f.period),
        layout: layoutFor(m, f)
      }))
    );
}

/** Jobs for files no manifest describes: synonyms find the columns, the file name may give the period. */
export function adhocJobs(code: string, files: string[], dataDir = "data"): Job[] {
  const council = {code, name: councilName(code, dataDir) ?? code};
  return files.map((path) => ({
    council,
    path: resolve(path),
    sourceFile: relative(process.cwd(), resolve(path)),
    period: periodFromName(basename(path)),
    layout: {columns: SYNONYMS, repairs: ["date_amount_merged"]}
  }));
}

/** Reads, conforms, classifies and stores every job's file; unchanged files are not read again. */
export async function ingest(options: IngestOptions = {}): Promise<IngestReport> {
  const dataDir = options.dataDir ?? "data";
  const log = options.log ?? (() => {});
  const jobs = options.adhoc ? adhocJobs(options.adhoc.council, options.adhoc.files, dataDir) : manifestJobs(dataDir, options.councils);
  const store = await Store.open(options.outDir ?? "store");
  const classifier = options.classifier;
  const reports: FileReport[] = [];
  const borrowed = new Map<number, string[]>();
  const headerless: {job: Job; bytes: Uint8Array; sha256: string; recipe: string; index: number}[] = [];
  const version = pipelineVersion(dataDir);
  try {
    if (!options.adhoc && !options.councils?.length) {
      const wanted = new Set(jobs.map((j) => j.sourceFile));
      for (const source of store.sources()) if (!wanted.has(source)) store.remove(source);
    }
    for (const [i, job] of jobs.entries()) {
      const bytes = readSource(job);
      if (!bytes) {
        reports.push(unreadable(job, `cannot open ${job.path}`));
        continue;
      }
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const recipe = recipeKey(version, job.layout, job.period);
      const cached = store.unchanged(job.sourceFile, sha256, recipe);
      if (cached) {
        reports.push(cached);
        continue;
      }
      log(`[${i + 1}/${jobs.length}] ${job.sourceFile}`);
      const {report, headers} = await ingestFile(job, bytes, sha256, recipe, store, classifier);
      for (const h of headers) borrowed.set(h.length, h);
      if (options.adhoc && report.error?.endsWith(NO_HEADER)) headerless.push({job, bytes, sha256, recipe, index: reports.length});
      reports.push(report);
    }
    for (const retry of headerless) {
      const width = Math.max(...readBytes(retry.bytes, retry.job.sourceFile).map((t) => modalWidth(t.records)));
      const header = borrowed.get(width);
      if (!header) continue;
      log(`${retry.job.sourceFile}: no header row; borrowing the ${width} column names of a sibling file`);
      const job = {...retry.job, layout: {...retry.job.layout, headerless_columns: header}};
      reports[retry.index] = (await ingestFile(job, retry.bytes, retry.sha256, recipeKey(version, job.layout, job.period), store, classifier)).report;
    }
    const duplicates = await findDuplicates(store.dir);
    return summarise(reports, duplicates, new Map(jobs.map((j) => [j.council.code, j.council.name])));
  } finally {
    store.close();
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

async function ingestFile(job: Job, bytes: Uint8Array, sha256: string, recipe: string, store: Store, classifier?: Classifier): Promise<{report: FileReport; headers: string[][]}> {
  const ledger = new Ledger();
  const headers: string[][] = [];
  ledger.open(job.sourceFile, job.council.code, sha256);
  const payments: UnclassifiedPayment[] = [];
  const rejects: Reject[] = [];
  try {
    for (const table of readBytes(bytes, job.sourceFile)) {
      ledger.describe(job.sourceFile, {encoding: table.encoding});
      const out = conform({...table, entry: job.sourceFile}, {council: job.council, sha256, period: job.period, ...job.layout}, ledger);
      headers.push(out.header);
      for (const p of out.payments) payments.push(p);
      for (const r of out.rejects) rejects.push(r);
    }
  } catch (e) {
    ledger.fail(job.sourceFile, (e as Error).message);
    return {report: ledger.reports()[0]!, headers};
  }
  const classified = await classifySuppliers(payments, classifier);
  const [report] = ledger.reports();
  await store.write(job.sourceFile, sha256, recipe, classified, rejects, report!);
  return {report: report!, headers};
}

function summarise(files: FileReport[], duplicates: Map<string, DuplicateCount>, names: Map<string, string>): IngestReport {
  for (const f of files) {
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

