import {isUtf8} from "node:buffer";
import type {DuckDBConnection} from "@duckdb/node-api";
import {classifySuppliers} from "../classify/classify-suppliers.ts";
import type {Classifier} from "../classify/classify.ts";
import {conform, conformPlan, dateOf, NOT_PUBLISHED, type ConformOptions, type ConformPlan, type UnclassifiedPayment} from "../conform/conform.ts";
import {decodeText} from "../read/decode-text.ts";
import {amountPartsSql, cellsSql, jsTrim, linesSql, maybeTotalsSql, simpleAmountSql} from "./fast-sql.ts";
import {financialYear} from "../conform/financial-year.ts";
import type {Job} from "./job.ts";
import {Ledger, type FileReport} from "../conform/ledger.ts";
import {parseAmount} from "../conform/parse-amount.ts";
import {detectDateOrder, type DateOrder} from "../conform/parse-date.ts";
import {detectDelimiter, parseCsv, type CsvRecord} from "../read/parse-csv.ts";
import {looksBinary, looksLikeHtml, type Table} from "../read/read-file.ts";
import {listZip, readZip, type ZipLimits} from "../read/read-zip.ts";
import {isRedacted} from "../conform/redaction.ts";
import {outputStem, type BatchEntry, type Store} from "../store/store.ts";
import type {Field, Payment} from "../types.ts";

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
 * with repairs, and any file with a line the line-by-line split would read differently from the CSV reader
 * (a quoted field over several lines, a stray quote or CR).
 */
export interface FastJob {
  job: Job;
  bytes: Uint8Array;
  sha256: string;
  recipe: string;
}

export interface Ingested {
  report: FileReport;
  headers: string[][];
}

/** Files read by the fast path and files left to the JavaScript path in this process, and seconds per step. */
export const fastStats = {taken: 0, declined: 0, phases: {} as Record<string, number>};

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
    private classifier?: Classifier,
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
        phase("prepare", started);
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
    fastStats.declined++;
    out[index] = await this.fallback(file);
    phase("fallback", started);
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
      return analyse(this.sessions[k]!, part);
    })();
    split.catch(() => undefined);
    return this.inOrder(async () => {
      let entries: BatchEntry[];
      try {
        entries = await classifyBatch(await split, this.classifier, (p) => this.decline(p.file, out, p.index), out);
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
        .then(() => phase("write", started))
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

/** Adds the seconds since started to a step's total (steps overlap, so the totals add up to more than the run). */
function phase(step: string, started: number): number {
  const now = performance.now();
  fastStats.phases[step] = (fastStats.phases[step] ?? 0) + (now - started) / 1000;
  return now;
}

/** Records conform's layout detection may look at: findHeader's first 40, then 200 sample rows. */
const SAMPLE_ROWS = 200;
const HEAD_LINES = 300;
/** Enough bytes for detectDelimiter to see what it would see in the whole text (it stops at 1 Mi characters). */
const HEAD_BYTES = 4 * 1024 * 1024;
const SNIFF_CHARS = 4096;
/** Usually enough for the head's 300 lines: most files need no more decoded here. */
const QUICK_HEAD_BYTES = 256 * 1024;
const TEXT_EXTENSIONS = new Set(["csv", "tsv", "txt"]);
const TABLE_EXTENSIONS = new Set([...TEXT_EXTENSIONS, "xlsx", "xlsm", "xls", "ods", "zip"]);
/** Fields stored as published (trimmed, empty as NULL). */
const STORED: Field[] = ["supplier_id", "charity_number", "company_number", "service", "expense_type", "purpose", "transaction_ref", "council_flag"];
const MAPPED: Field[] = ["amount", "payment_date", "period", "supplier_name", ...STORED];

interface Text {
  encoding: string;
  /** The beginning of the text: all of it, or at least HEAD_BYTES' worth (decoded only when asked for). */
  readonly head: string;
  /** The first QUICK_HEAD_BYTES of a longer UTF-8 text. */
  quickHead?: string;
  whole: boolean;
  /** UTF-8 for DuckDB to decode: the file's own bytes, or the text decoded here (8-bit code pages, UTF-16). */
  utf8: Uint8Array;
}

interface Prepared {
  index: number;
  file: FastJob;
  text: Text;
  delimiter: string;
  head: Table;
  options: ConformOptions;
  plan: ConformPlan;
}

/** What the JavaScript side knows before DuckDB reads the file: its text, delimiter and conform's plan; null to decline. */
function prepare(file: FastJob, index: number, limits: ZipLimits): Prepared | null {
  const {job} = file;
  const text = textOf(file.bytes, job.sourceFile, limits);
  if (!text) return null;
  const options: ConformOptions = {council: job.council, sha256: file.sha256, period: job.period, ...job.layout};
  if (options.repairs?.length) return null;
  const {delimiter, found} = readHead(text);
  if (!found) return null;
  const head: Table = {entry: job.sourceFile, encoding: text.encoding, delimiter, records: found.records};
  let plan: ConformPlan;
  try {
    plan = conformPlan(head, options);
  } catch {
    return null; // the JavaScript path reports the layout error
  }
  if (!found.all && head.records.length < plan.start + SAMPLE_ROWS) return null;
  return {index, file, text, delimiter, head, options, plan};
}

/**
 * The delimiter and the first records, from the first QUICK_HEAD_BYTES of a long UTF-8 text when those
 * hold every line detectDelimiter and headRecords look at (they almost always do), else from the whole head.
 */
function readHead(text: Text): {delimiter: string; found: ReturnType<typeof headRecords>} {
  if (text.quickHead !== undefined) {
    const sampled = {complete: false};
    const delimiter = detectDelimiter(text.quickHead, sampled);
    const found = sampled.complete ? headRecords(text.quickHead, false, delimiter) : null;
    if (found) return {delimiter, found};
  }
  const delimiter = detectDelimiter(text.head);
  return {delimiter, found: headRecords(text.head, text.whole, delimiter)};
}

/** The file's one text table, decoded as read-file.ts would, or null for anything else. */
function textOf(bytes: Uint8Array, name: string, limits: ZipLimits): Text | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, [0x50, 0x4b])) {
    try {
      const listed = listZip(bytes, name, limits);
      if (listed.some((e) => e.name.startsWith("xl/")) || listed.some((e) => e.name === "content.xml")) return null;
      const tables = listed.filter((e) => TABLE_EXTENSIONS.has(extension(e.name)));
      if (tables.length !== 1 || !TEXT_EXTENSIONS.has(extension(tables[0]!.name))) return null;
      const entry = readZip(bytes, name, limits).find((e) => e.name === tables[0]!.name);
      return entry ? plainText(entry.bytes) : null;
    } catch {
      return null;
    }
  }
  return plainText(bytes);
}

function plainText(bytes: Uint8Array): Text | null {
  const magic = [[0xd0, 0xcf, 0x11, 0xe0], [0x25, 0x50, 0x44, 0x46], [0x1f, 0x8b], [0x50, 0x4b]];
  if (bytes.length === 0 || magic.some((m) => startsWith(bytes, m))) return null;
  let text: Text;
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  // A NUL anywhere is left to the JavaScript path: it is text there, but not in a DuckDB string.
  if (bytes.includes(0)) return null;
  if (!startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xfe, 0xff]) && isUtf8(body)) {
    // decodeText would give the same text; only the head is decoded here, DuckDB decodes the rest.
    if (strayCr(body)) return null;
    const end = utf8Boundary(body, HEAD_BYTES);
    let head: string | undefined;
    text = {
      encoding: bom ? "utf-8-bom" : "utf-8", whole: end === body.length, utf8: body,
      get head() {
        return (head ??= decodeUtf8(body, end));
      }
    };
    if (body.length > QUICK_HEAD_BYTES) text.quickHead = decodeUtf8(body, utf8Boundary(body, QUICK_HEAD_BYTES));
  } else {
    const decoded = decodeText(bytes);
    if (/\r(?!\n|$)|\0/.test(decoded.text)) return null;
    text = {encoding: decoded.encoding, head: decoded.text, whole: true, utf8: Buffer.from(decoded.text, "utf8")};
  }
  const sniff = (text.quickHead ?? text.head).slice(0, SNIFF_CHARS);
  return looksLikeHtml(sniff) || looksBinary(sniff) ? null : text;
}

/** The largest end at or before `max` that does not cut a UTF-8 character. */
function utf8Boundary(body: Uint8Array, max: number): number {
  let end = Math.min(body.length, max);
  while (end < body.length && end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  return end;
}

function decodeUtf8(body: Uint8Array, end: number): string {
  return new TextDecoder("utf-8", {ignoreBOM: true}).decode(body.subarray(0, end));
}

/** Whether a CR stands anywhere but before an LF or at the very end: the line split would not see that line end. */
function strayCr(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) {
    if (i + 1 < bytes.length && bytes[i + 1] !== 0x0a) return true;
  }
  return false;
}

/** The first HEAD_LINES lines of the head, parsed, and whether they are all the text's lines; null when the head is cut inside them. */
function headRecords(head: string, whole: boolean, delimiter: string): {records: CsvRecord[]; all: boolean} | null {
  let end = 0;
  for (let i = 0; i < HEAD_LINES; i++) {
    const lf = head.indexOf("\n", end);
    if (lf < 0) {
      if (!whole) return null;
      return {records: parseCsv(head, delimiter), all: true};
    }
    end = lf + 1;
  }
  return {records: parseCsv(head.slice(0, end), delimiter), all: whole && end === head.length};
}

/** What DuckDB found in a batch: what classifyBatch needs to make each file's report and suppliers. */
interface Analysis {
  db: DuckDBConnection;
  part: Prepared[];
  /** Files with a line the line split reads differently from the CSV reader: read by fallback. */
  irregular: Set<number>;
  orders: Map<number, DateOrder>;
  totals: Map<number, [number, string, string | null, number, string, number][]>;
  leftovers: Map<number, [number, number, string][]>;
  groups: Map<number, [number, ...GroupRow][]>;
}

/** One batch of files sharing a delimiter, in SQL, up to fast_rows. */
async function analyse(db: DuckDBConnection, part: Prepared[]): Promise<Analysis> {
  await loadFiles(db, part, part[0]!.delimiter);
  let t = performance.now();
  const irregular = new Set((await db.runAndReadAll("SELECT DISTINCT f FROM fast_lines WHERE NOT regular")).getRows().map(([f]) => f as number));
  const taken = part.filter((p) => !irregular.has(p.index));
  const orders = await tabulate(db, taken);
  t = phase("dates and amounts", t);
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_rows AS ${ROWS}; DROP TABLE fast_lines`);

  const totals = group(
    (await db.runAndReadAll(`
      SELECT f, class, fy, count(*)::INTEGER AS n, coalesce(sum(pence), 0)::VARCHAR AS pence, count(*) FILTER (WHERE from_period)::INTEGER AS from_period
      FROM fast_rows WHERE class <> 'js' GROUP BY ALL`)).getRows() as [number, string, string | null, number, string, number][]
  );
  const leftovers = group(
    (await db.runAndReadAll(`SELECT f, n::INTEGER AS n, line FROM fast_rows JOIN fast_raw USING (f, n) WHERE class = 'js' ORDER BY f, n`)).getRows() as [number, number, string][]
  );
  const groups = group(
    (await db.runAndReadAll(`
      SELECT f, sup, charity_number, company_number, council_flag, min(n)::INTEGER AS first, arg_min(supplier_id, n) AS supplier_id
      FROM fast_rows WHERE class = 'ok' GROUP BY ALL`)).getRows() as [number, ...GroupRow][]
  );
  phase("rows", t);
  return {db, part, irregular, orders, totals, leftovers, groups};
}

/**
 * Makes each file's report and classifies its suppliers into fast_cls, in file order as the JavaScript path
 * would meet them (the classifier remembers what it has seen); a file with an irregular line goes to
 * decline in its place. Returns what writeBatch needs.
 */
async function classifyBatch(
  {db, part, irregular, orders, totals, leftovers, groups}: Analysis, classifier: Classifier | undefined,
  decline: (p: Prepared) => Promise<void>, out: Ingested[]
): Promise<BatchEntry[]> {
  const started = performance.now();
  // In file order, as the JavaScript path would meet them: the classifier remembers what it has seen.
  const entries: BatchEntry[] = [];
  const cls: unknown[][] = [];
  for (const p of part) {
    if (irregular.has(p.index)) {
      await decline(p);
      continue;
    }
    const {job, sha256, recipe} = p.file;
    const file = job.sourceFile;
    const ledger = new Ledger();
    ledger.open(file, job.council.code, sha256);
    ledger.describe(file, {encoding: p.text.encoding});
    for (const [, kind, fy, n, pence, fromPeriod] of totals.get(p.index) ?? []) {
      if (kind === "blank") {
        for (let i = 0; i < n; i++) ledger.blank(file);
      } else {
        ledger.keepMany(file, n, Number(pence), [fy!]);
        ledger.dateFromPeriod(file, fromPeriod);
      }
    }
    const records = (leftovers.get(p.index) ?? []).map(([, n, line]) => ({...parseCsv(line, p.delimiter)[0]!, line: n, raw: line}));
    const conformed = conform(p.head, p.options, ledger, {records, dateOrder: orders.get(p.index)!});
    const groupRows = (groups.get(p.index) ?? []).map(([, ...g]) => g as GroupRow);
    for (const c of await classifyGroups(groupRows, conformed.payments, classifier)) cls.push([p.index, ...c]);
    const [report] = ledger.reports();
    entries.push({sourceFile: file, sha256, recipe, report: report!, payments: conformed.payments as Payment[], rejects: conformed.rejects});
    out[p.index] = {report: report!, headers: [p.plan.header]};
    fastStats.taken++;
  }
  await appendRows(db, "fast_cls", CLS_COLUMNS, cls);
  phase("suppliers", started);
  return entries;
}

/**
 * fast_files: each file's plan as columns (start line, cells needed, 1-based cell of each field, constants of
 * its payments); fast_lines: each line of each file with the cells conform reads (a, d, p, sup and the stored
 * fields), its width and whether it is blank, maybe a totals line, or an amount in the plainest form (simple,
 * in pence); regular is false on a line the CSV reader would read differently (see cellsSql).
 */
async function loadFiles(db: DuckDBConnection, part: Prepared[], delimiter: string): Promise<void> {
  const started = performance.now();
  await db.run(`
    CREATE OR REPLACE TEMP TABLE fast_input (f INTEGER, content BLOB);
    CREATE OR REPLACE TEMP TABLE fast_files (f INTEGER, start INTEGER, needed INTEGER, ${MAPPED.map((m) => `${m} INTEGER`).join(", ")},
      council_code VARCHAR, council_name VARCHAR, source_file VARCHAR, source_sha256 VARCHAR, row_kind VARCHAR, stem VARCHAR)`);
  const input = await db.createAppender("fast_input");
  for (const p of part) {
    input.appendInteger(p.index);
    input.appendBlob(p.text.utf8);
    input.endRow();
  }
  input.closeSync();
  await appendRows(db, "fast_files", FILE_COLUMNS, part.map((p) => {
    const {job, sha256, recipe} = p.file;
    const map = p.plan.map;
    return [
      p.index, p.plan.start, Math.max(map.amount, map.supplier_name), ...MAPPED.map((m) => (map[m] === undefined ? null : map[m]! + 1)),
      job.council.code, job.council.name, job.sourceFile, sha256, p.plan.rowKind, outputStem(job.sourceFile, sha256, recipe)
    ];
  }));
  const {cells, regular, blank, cell: read} = cellsSql(delimiter);
  const cell = (f: Field) => read(`ff.${f}`);
  let t = phase("input", started);
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_raw AS ${linesSql("fast_input")}`);
  t = phase("split lines", t);
  await db.run(`
    CREATE OR REPLACE TEMP TABLE fast_lines AS
    SELECT f, n, ${regular} AS regular, len(cells) AS width, ${blank} AS blank,
      ${cell("amount")} AS a, ${simpleAmountSql(amountPartsSql(cell("amount")))} AS simple,
      ${cell("payment_date")} AS d, ${cell("period")} AS p, ${cell("supplier_name")} AS sup,
      ${maybeTotalsSql(read("1"), cell("payment_date"), cell("period"), cell("supplier_name"))} AS totals,
      ${STORED.map((f) => `nullif(${jsTrim(cell(f))}, '') AS ${f}`).join(", ")}
    FROM (SELECT r.f, n, line, quoted, ${cells} AS cells FROM (SELECT *, contains(line, '"') AS quoted FROM fast_raw) r) x
      JOIN fast_files ff USING (f)`);
  phase("lines", t);
}

const FILE_COLUMNS = ["INTEGER", "INTEGER", "INTEGER", ...MAPPED.map(() => "INTEGER"), "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"];

/**
 * fast_dates: conform's dateOf for each file's distinct pairs of date and period cells; fast_amounts:
 * parseAmount for each distinct amount cell not in the plainest form, where it reads one. Returns each file's
 * date order (detectDateOrder over a column's distinct values gives what it gives over all of them).
 */
async function tabulate(db: DuckDBConnection, files: Prepared[]): Promise<Map<number, DateOrder>> {
  const values = (await db.runAndReadAll(`
    SELECT 0 AS k, f, d, p FROM (SELECT DISTINCT l.f, d, p FROM fast_lines l JOIN fast_files ff ON ff.f = l.f WHERE n > ff.start)
    UNION ALL SELECT 1, NULL, a, NULL FROM (SELECT DISTINCT a FROM fast_lines l JOIN fast_files ff ON ff.f = l.f WHERE n > ff.start AND simple IS NULL)`)).getRows() as [number, number | null, string, string | null][];
  const byIndex = new Map(files.map((p) => [p.index, p]));
  const datesOf = group(values.filter(([k, f]) => k === 0 && byIndex.has(f!)).map(([, f, d, p]) => [f!, d, p!] as [number, string, string]));
  const orders = new Map<number, DateOrder>();
  const dates: unknown[][] = [];
  for (const p of files) {
    const pairs = datesOf.get(p.index) ?? [];
    const order: DateOrder = p.plan.map.payment_date === undefined ? "dmy" : detectDateOrder(pairs.map(([, d]) => d));
    orders.set(p.index, order);
    for (const [, d, period] of pairs) {
      const when = dateOf(d.trim(), period.trim(), p.plan.map, order, p.plan.dated, p.plan.latest);
      if (when.ok) dates.push([p.index, d, period, when.date, when.precision, financialYear(when.date), when.fromPeriod]);
    }
  }
  const amounts: unknown[][] = [];
  for (const [k, , a] of values) {
    if (k !== 1) continue;
    const amount = parseAmount(a.trim());
    // A repaired amount is left to conform, which counts the repair.
    if (amount.ok && !amount.repair) amounts.push([a, amount.pence]);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_dates (f INTEGER, d VARCHAR, p VARCHAR, date VARCHAR, date_precision VARCHAR, fy VARCHAR, from_period BOOLEAN);
    CREATE OR REPLACE TEMP TABLE fast_amounts (a VARCHAR, pence BIGINT)`);
  await appendRows(db, "fast_dates", ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN"], dates);
  await appendRows(db, "fast_amounts", ["VARCHAR", "BIGINT"], amounts);
  return orders;
}

/**
 * fast_rows: the data lines with their amount and date and the cells stored, each classed 'blank' (conform
 * skips it), 'ok' (a plain payment: cells enough, an amount, a date, nothing like a totals line) or 'js' (for
 * conform to read). Made once per batch: the totals, the leftovers, the suppliers and the write all read it.
 */
const ROWS = `
  SELECT l.f, l.n, coalesce(l.simple, am.pence) AS pence, dt.date::DATE AS date, dt.date_precision, dt.fy, dt.from_period,
    l.sup, ${STORED.map((f) => `l.${f}`).join(", ")},
    CASE WHEN l.blank THEN 'blank'
      WHEN l.width > ff.needed AND coalesce(l.simple, am.pence) IS NOT NULL AND dt.date IS NOT NULL AND NOT l.totals THEN 'ok'
      ELSE 'js' END AS class
  FROM fast_lines l JOIN fast_files ff ON ff.f = l.f
    LEFT JOIN fast_amounts am ON am.a = l.a LEFT JOIN fast_dates dt ON dt.f = l.f AND dt.d = l.d AND dt.p = l.p
  WHERE l.n > ff.start`;

/** The plain rows as stored payments: the store's columns and the output stem of their file. */
const PAYMENTS = `
  SELECT ff.council_code, ff.council_name, ff.source_file, ff.source_sha256, r.n::INTEGER AS source_row,
    r.date AS payment_date, r.date_precision, r.fy AS financial_year, r.pence AS amount_pence,
    c.supplier_name, c.supplier_key, r.supplier_id, r.charity_number, r.company_number, r.service, r.expense_type,
    r.purpose, r.transaction_ref, r.council_flag, c.redacted, ff.row_kind,
    c.sector, c.kind, c.basis, c.confidence, c.matched_id, ff.stem
  FROM fast_rows r JOIN fast_files ff ON ff.f = r.f
    JOIN fast_cls c ON c.f = r.f AND r.sup = c.sup AND r.charity_number IS NOT DISTINCT FROM c.charity_number
      AND r.company_number IS NOT DISTINCT FROM c.company_number AND r.council_flag IS NOT DISTINCT FROM c.council_flag
  WHERE r.class = 'ok'`;

type GroupRow = [string, string | null, string | null, string | null, number, string | null];
type ClsRow = [string, string | null, string | null, string | null, string, string, boolean, string, string | null, string, number, string | null];
const CLS_COLUMNS = ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR"];
const CLS_NAMES = "f, sup, charity_number, company_number, council_flag, supplier_name, supplier_key, redacted, sector, kind, basis, confidence, matched_id";

type Identity = Pick<Payment, "sector" | "kind" | "basis" | "confidence" | "matched_id" | "supplier_key">;

/**
 * What classifySuppliers gave each exact supplier (name, ids, flag, redaction) so far, per classifier: the
 * classifier's own cache would give the same again (its first answer for a name stands), so asking it
 * again can be skipped. Cleared when it grows past MEMO_SIZE.
 */
const memo = new WeakMap<object, Map<string, Identity>>();
const DEFAULT_CLASSIFIER = {};
const MEMO_SIZE = 1_000_000;

/**
 * Classifies each distinct supplier of a file's plain rows, and the payments conform made of its other rows,
 * in the order the JavaScript path meets them (first row first), so that each identity gets the
 * classification of its first payment's details (classifySuppliers' rule). Returns the rows of fast_cls
 * (without the file); conform's payments are classified in place.
 */
async function classifyGroups(groups: GroupRow[], payments: UnclassifiedPayment[], classifier?: Classifier): Promise<ClsRow[]> {
  type Item = {row: number; id: string; payment: UnclassifiedPayment; group?: GroupRow};
  const items: Item[] = payments.map((p) => ({row: p.source_row, id: identity(p), payment: p}));
  for (const group of groups) {
    const [sup, charity, company, flag, first, supplierId] = group;
    const {name, redacted} = publishedName(sup);
    const payment = {
      supplier_name: name, supplier_id: supplierId, charity_number: charity, company_number: company, council_flag: flag, redacted
    } as UnclassifiedPayment;
    items.push({row: first, id: identity(payment), payment, group});
  }
  items.sort((a, b) => a.row - b.row);
  let known = memo.get(classifier ?? DEFAULT_CLASSIFIER);
  if (!known || known.size > MEMO_SIZE) memo.set(classifier ?? DEFAULT_CLASSIFIER, (known = new Map()));
  const identities = new Map<string, Identity | null>();
  const exact = (id: string, p: UnclassifiedPayment) => `${id}\u0000${p.supplier_id}\u0000${p.redacted}`;
  const asked: Item[] = [];
  for (const item of items) {
    if (identities.has(item.id)) continue;
    const hit = known.get(exact(item.id, item.payment));
    identities.set(item.id, hit ?? null);
    if (!hit) asked.push(item);
  }
  const answers = await classifySuppliers(asked.map((item) => item.payment), classifier);
  for (const [i, p] of answers.entries()) {
    const found: Identity = {sector: p.sector, kind: p.kind, basis: p.basis, confidence: p.confidence, matched_id: p.matched_id, supplier_key: p.supplier_key};
    const {id} = asked[i]!;
    known.set(exact(id, p), found);
    identities.set(id, found);
  }
  const out: ClsRow[] = [];
  for (const item of items) {
    const found = identities.get(item.id)!;
    if (!item.group) {
      Object.assign(item.payment, found);
      continue;
    }
    const p = item.payment;
    const [sup, charity, company, flag] = item.group;
    out.push([sup, charity, company, flag, p.supplier_name, found.supplier_key, p.redacted, found.sector, found.kind, found.basis, found.confidence, found.matched_id]);
  }
  return out;
}

/** Per distinct supplier cell, the name conform gives it and whether it is redacted (cleared past MEMO_SIZE). */
const published = new Map<string, {name: string; redacted: boolean}>();

function publishedName(cell: string): {name: string; redacted: boolean} {
  let found = published.get(cell);
  if (!found) {
    if (published.size > MEMO_SIZE) published.clear();
    const name = cell.trim().replace(/\s+/g, " ");
    published.set(cell, (found = {name: name || NOT_PUBLISHED, redacted: !name || isRedacted(name)}));
  }
  return found;
}

/** The supplier identity classifySuppliers classifies once per file. */
function identity(p: UnclassifiedPayment): string {
  return `${p.supplier_name}\u0000${p.charity_number}\u0000${p.company_number}\u0000${p.council_flag}`;
}

/** Creates (or replaces) a temporary table's rows through an appender; types are the columns' DuckDB types. */
async function appendRows(db: DuckDBConnection, table: string, types: string[], rows: unknown[][]): Promise<void> {
  if (table === "fast_cls") {
    await db.run(`CREATE OR REPLACE TEMP TABLE fast_cls (${CLS_NAMES.split(", ").map((n, i) => `${n} ${CLS_COLUMNS[i]}`).join(", ")})`);
  }
  const appender = await db.createAppender(table);
  for (const row of rows) {
    row.forEach((value, i) => {
      if (value === null || value === undefined) appender.appendNull();
      else if (types[i] === "INTEGER") appender.appendInteger(value as number);
      else if (types[i] === "BIGINT") appender.appendBigInt(BigInt(value as number));
      else if (types[i] === "DOUBLE") appender.appendDouble(value as number);
      else if (types[i] === "BOOLEAN") appender.appendBoolean(value as boolean);
      else appender.appendVarchar(value as string);
    });
    appender.endRow();
  }
  appender.closeSync();
}

/** Rows grouped by their first value (the file). */
function group<T extends [number | null, ...unknown[]]>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const key = row[0] as number;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(row);
  }
  return out;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function extension(name: string): string {
  return name.toLowerCase().split(".").pop() ?? "";
}
