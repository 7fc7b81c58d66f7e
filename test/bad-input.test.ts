import * as XLSX from "@e965/xlsx";
import {strToU8, zipSync, type Zippable} from "fflate";
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {spawnSync} from "node:child_process";
import {dirname, join, relative, resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {ingest, type IngestOptions, type IngestReport} from "../pipeline/ingest/ingest.ts";
import type {Engine} from "../pipeline/ingest/job.ts";
import type {FileReport} from "../pipeline/conform/ledger.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {memoryDb} from "./memory-db.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * Broken and hostile input, each case through ingest() in ad-hoc mode (the path `vcse-spend ingest --files`
 * takes) or through a manifest, by both engines (the JavaScript path, and the fast path where it takes the
 * file; see run), with its exact outcome: the error naming the file, or each reject's row,
 * reason and detail as the store keeps them. Every run is reconciled twice: in the report (rows in = kept +
 * rejected, amount in = kept + rejected, to the penny) and against the store (it holds exactly the kept rows
 * and every reject, with their amounts). Text cases are committed in test/fixtures/bad-input/; binary ones
 * (ZIPs, workbooks, mixed encodings, a 10 MB field, garbage) are generated here.
 */

const FIXTURES = "test/fixtures/bad-input";
const COUNCIL = "E07000120";
const MIB = 1024 * 1024;
const work = tempDirs()("vcse-bad-input-");
const db = memoryDb();

const fixture = (name: string) => join(FIXTURES, name);
/** The id ingest gives a file named on the command line: its path relative to the working directory. */
const id = (path: string) => relative(process.cwd(), resolve(path));
const pence = (pounds: string) => BigInt(pounds.replace(".", ""));

function write(name: string, content: string | Uint8Array): string {
  const path = join(work, name);
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, content);
  return path;
}

interface StoredReject {
  file: string;
  row: number;
  reason: string;
  detail: string;
  amount: bigint | null;
}

interface StoredPayment {
  file: string;
  row: number;
  date: string;
  precision: string;
  supplier: string;
  amount: bigint;
  purpose: string | null;
}

interface Run {
  outDir: string;
  report: IngestReport;
  file: (path: string) => FileReport;
  rejects: StoredReject[];
  payments: StoredPayment[];
}

/** Rows checked by reconcile() over the whole file, for the README's "rows lost" figure. */
let rowsReconciled = 0;

/**
 * Ingests the files twice, by the JavaScript path and with the fast path offered every file, and proves the two
 * the same: the same reports (errors, rows, reasons, sums), the same payments and rejects column for column.
 * `fastPath` says which engine read each file when the fast path was offered it ("javascript": handed back by
 * design). The JavaScript run is returned for the case's own assertions.
 */
async function run(paths: string[], fastPath: Engine | Engine[], options: Partial<IngestOptions> = {}): Promise<Run> {
  const js = await runWith(paths, {...options, engine: "javascript"});
  const read: Record<string, Engine> = {};
  const fast = await runWith(paths, {...options, engine: "fast", onEngine: (file, by) => (read[file] = by)});
  const expected = Object.fromEntries(paths.map((p, i) => [id(p), typeof fastPath === "string" ? fastPath : fastPath[i]!]));
  expect(read, "the engine that read each file when the fast path was offered it").toEqual(expected);
  expect(fast.report).toEqual(js.report);
  for (const table of ["payments", "rejects"] as const) expect(await everything(fast.outDir, table), table).toEqual(await everything(js.outDir, table));
  return js;
}

async function runWith(paths: string[], options: Partial<IngestOptions>): Promise<Run> {
  const outDir = mkdtempSync(join(work, "store-"));
  const report = await ingest({adhoc: {council: COUNCIL, files: paths}, outDir, classifier: await defaultClassifier(), ...options});
  return {outDir, report, file: (path) => report.files.find((f) => f.file === id(path))!, ...(await reconcile(report, outDir))};
}

/** Every stored row, every column. */
async function everything(outDir: string, table: "payments" | "rejects"): Promise<Record<string, unknown>[]> {
  return (await db().runAndReadAll(`SELECT * FROM ${storedTableSql(outDir, table)} ORDER BY ALL`)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Proves nothing was lost: every report reconciles, and the store holds exactly what the reports count. */
async function reconcile(report: IngestReport, outDir: string): Promise<{rejects: StoredReject[]; payments: StoredPayment[]}> {
  const rejects = (
    await db().runAndReadAll(
      `SELECT source_file AS file, source_row AS row, reason, detail, amount_pence AS amount FROM ${storedTableSql(outDir, "rejects")} ORDER BY file, row`
    )
  ).getRowObjects() as unknown as StoredReject[];
  const payments = (
    await db().runAndReadAll(
      `SELECT source_file AS file, source_row AS row, payment_date::VARCHAR AS date, date_precision AS precision, supplier_name AS supplier,
         amount_pence AS amount, left(purpose, 40) AS purpose FROM ${storedTableSql(outDir, "payments")} ORDER BY file, row`
    )
  ).getRowObjects() as unknown as StoredPayment[];
  for (const f of [...report.files, ...report.councils, report.total]) {
    const name = "file" in f ? f.file : "council" in f ? f.council : "total";
    expect(f.rows_in, name).toBe(f.kept + f.rejected);
    expect(Object.values(f.rejected_by_reason).reduce((a, b) => a + b, 0), name).toBe(f.rejected);
    expect(pence(f.amount_in), name).toBe(pence(f.amount_kept) + pence(f.amount_rejected));
  }
  for (const f of report.files) {
    const kept = payments.filter((p) => p.file === f.file);
    const rejected = rejects.filter((r) => r.file === f.file);
    expect(kept.length, f.file).toBe(f.kept);
    expect(rejected.length, f.file).toBe(f.rejected);
    expect(kept.reduce((a, p) => a + p.amount, 0n), f.file).toBe(pence(f.amount_kept));
    expect(rejected.reduce((a, r) => a + (r.amount ?? 0n), 0n), f.file).toBe(pence(f.amount_rejected));
    if (f.error) expect(f.rows_in, f.file).toBe(0);
  }
  expect(payments.length + rejects.length).toBe(report.total.rows_in);
  rowsReconciled += report.total.rows_in;
  return {rejects, payments};
}

/**
 * One file that cannot be read: the report carries the error, naming the file, and counts nothing. The fast
 * path hands it back: it takes only text whose layout it can plan, and the JavaScript path words the error.
 */
async function refused(path: string, options: Partial<IngestOptions> = {}): Promise<string> {
  const {report, file, rejects, payments} = await run([path], "javascript", options);
  const f = file(path);
  expect(f.error, JSON.stringify(f)).toBeDefined();
  expect(f.error!.startsWith(id(path))).toBe(true);
  expect([f.rows_in, report.total.failed_files, rejects.length, payments.length]).toEqual([0, 1, 0, 0]);
  return f.error!;
}

const rejectsOf = (r: Run, path: string) => r.rejects.filter((x) => x.file === id(path)).map(({row, reason, detail, amount}) => [row, reason, detail, amount]);
const paymentsOf = (r: Run, path: string) =>
  r.payments.filter((x) => x.file === id(path)).map(({row, date, precision, supplier, amount}) => [row, date, precision, supplier, amount]);

/** A ZIP whose central directory (and local header) declare `size` for the entry named `entry`. */
function declareSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  const nameAt = (at: number, offset: number, lengthAt: number) =>
    new TextDecoder().decode(copy.subarray(at + offset, at + offset + view.getUint16(at + lengthAt, true)));
  for (let at = 0; at + 4 <= copy.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x02014b50 && nameAt(at, 46, 28) === entry) view.setUint32(at + 24, size, true);
    if (signature === 0x04034b50 && nameAt(at, 30, 26) === entry) view.setUint32(at + 22, size, true);
  }
  return copy;
}

function csvOfSize(bytes: number): Uint8Array {
  const row = "01/04/2019,Age UK,1.00\n";
  return strToU8(`Payment Date,Supplier Name,Amount\n${row.repeat(Math.ceil(bytes / row.length))}`.slice(0, bytes));
}

type Cell = string | number | Date | null;

function workbook(sheets: Record<string, Cell[][]>, merges: Record<string, string[]> = {}): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = XLSX.utils.aoa_to_sheet(rows, {cellDates: true});
    if (merges[name]) sheet["!merges"] = merges[name].map((range) => XLSX.utils.decode_range(range));
    XLSX.utils.book_append_sheet(book, sheet, name);
  }
  return new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx", compression: true}) as ArrayBuffer);
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A small seeded generator (xorshift32), so the garbage is the same on every run. */
function garbage(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x01;
  return out;
}

describe("files that are not spending data are refused, naming the file", () => {
  it("an HTML error page served as .csv", async () => {
    const path = fixture("html-error-page.csv");
    expect(await refused(path)).toBe(`${id(path)}: looks like an HTML page, not a data file`);
  });

  it("an HTML fragment with no doctype or <html> tag", async () => {
    const path = fixture("html-fragment.csv");
    expect(await refused(path)).toBe(`${id(path)}: looks like an HTML page, not a data file`);
  });

  it("an empty file", async () => {
    const path = fixture("empty.csv");
    expect(await refused(path)).toBe(`${id(path)}: empty file (0 bytes)`);
  });

  it("a file of blank lines and empty cells", async () => {
    const path = fixture("blank-lines.csv");
    expect(await refused(path)).toBe(`${id(path)}: no header row found and the layout gives no headerless_columns`);
  });

  it("binary garbage, a PNG, a PDF, a gzip file and a damaged XLS, all named .csv or .xls", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...garbage(4096, 7)]);
    const cases: [string, Uint8Array, string | RegExp][] = [
      ["garbage.csv", garbage(64 * 1024), "binary content, not text or a known spreadsheet format"],
      ["image.csv", png, "binary content, not text or a known spreadsheet format"],
      ["report.csv", strToU8("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "looks like a PDF document, not a data file"],
      ["spend.csv", new Uint8Array([0x1f, 0x8b, 0x08, 0x00, ...garbage(100, 3)]), "gzip-compressed file: unpack it first"],
      ["old.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...garbage(2048, 5)]), /^not a readable spreadsheet \(.+\)$/]
    ];
    for (const [name, bytes, reason] of cases) {
      const path = write(`binary/${name}`, bytes);
      const error = await refused(path);
      if (typeof reason === "string") expect(error).toBe(`${id(path)}: ${reason}`);
      else expect(error.slice(id(path).length + 2)).toMatch(reason);
    }
  });
});

describe("damaged text files keep every row they have", () => {
  it("a header with no rows: no error, nothing kept, the layout still reported", async () => {
    const path = fixture("header-only.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 0, kept: 0, rejected: 0, header_row: 1, amount_in: "0.00"});
    expect(r.file(path).error).toBeUndefined();
    expect(r.file(path).layout).toEqual({"Payment Date": "payment_date", "Supplier Name": "supplier_name", Amount: "amount", Description: "purpose"});
  });

  it("cut off inside a quoted supplier name: the cut row is a short row", async () => {
    const path = fixture("cut-inside-quotes.csv");
    // A quote left open: the line split would read the file differently from the reader, so it is handed back.
    const r = await run([path], "javascript");
    expect(r.file(path)).toMatchObject({rows_in: 2, kept: 1, rejected: 1, rejected_by_reason: {short_row: 1}, amount_in: "100.00"});
    expect(rejectsOf(r, path)).toEqual([[3, "short_row", "2 cells, the layout needs 3", null]]);
  });

  it("cut off inside a quoted description that spans lines: the row keeps its amount, the stray line is a short row", async () => {
    const path = fixture("cut-inside-multiline-quotes.csv");
    // A quoted field over several lines: handed back.
    const r = await run([path], "javascript");
    expect(r.file(path)).toMatchObject({rows_in: 3, kept: 2, rejected: 1, amount_in: "125.00", amount_kept: "125.00"});
    expect(paymentsOf(r, path)).toEqual([
      [2, "2019-04-01", "day", "Age UK", 10000n],
      [3, "2019-04-02", "day", "Mind", 2500n]
    ]);
    expect(r.payments.find((p) => p.row === 3)!.purpose).toBe('"Grant for the');
    expect(rejectsOf(r, path)).toEqual([[4, "short_row", "1 cells, the layout needs 3", null]]);
  });

  it("cut off outside quotes: the cut row is a short row", async () => {
    const path = fixture("cut-outside-quotes.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 2, kept: 1, rejected: 1, rejected_by_reason: {short_row: 1}});
    expect(rejectsOf(r, path)).toEqual([[3, "short_row", "2 cells, the layout needs 3", null]]);
  });

  it("semicolons instead of commas: detected; a decimal comma is refused, never guessed", async () => {
    const path = fixture("semicolon.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 3, kept: 2, rejected: 1, amount_in: "1334.50", amount_kept: "1334.50"});
    expect(paymentsOf(r, path).map((p) => p.slice(3))).toEqual([["Age UK", 10000n], ["Mind", 123450n]]);
    expect(rejectsOf(r, path)).toEqual([[4, "bad_amount", 'not an amount: "1234,50"', null]]);
  });

  it("tabs in a file named .csv, with commas inside the cells", async () => {
    const path = fixture("tab.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 3, kept: 3, rejected: 0, amount_in: "1309.50"});
    expect(paymentsOf(r, path).map((p) => p.slice(3))).toEqual([["Age UK", 10000n], ["Mind, Accrington", 123450n], ["Shelter", -2500n]]);
  });

  it("two encodings in one file: UTF-8 lines and Windows-1252 lines both read right", async () => {
    const bytes = Buffer.concat([
      Buffer.from("Payment Date,Supplier Name,Amount\n01/04/2019,Café Nero,£100.00\n02/04/2019,Crèche Club,£1000.00\n", "utf8"),
      Buffer.from("03/04/2019,Caf\xe9 Rouge,\xa3200.00\n04/04/2019,Cr\xe8che Club,\xa31000.00\n", "latin1")
    ]);
    const path = write("2019-04-mixed.csv", bytes);
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 4, kept: 4, encoding: "mixed:utf-8+windows-1252", amount_kept: "2300.00"});
    expect(paymentsOf(r, path).map((p) => p[3])).toEqual(["Café Nero", "Crèche Club", "Café Rouge", "Crèche Club"]);
  });

  it("a 10 MB field: kept whole in a quoted description; as an amount, refused with a short message and the raw row kept", async () => {
    const huge = "x".repeat(10 * MIB);
    const path = write(
      "ten-mb.csv",
      `Payment Date,Supplier Name,Amount,Description\n01/04/2019,Age UK,100.00,"${huge}"\n02/04/2019,Mind,1${huge},Rent\n03/04/2019,Mind,5.00,Rent\n`
    );
    // The head the fast path plans from (4 MiB) ends inside the file's first lines: handed back.
    const r = await run([path], "javascript");
    expect(r.file(path)).toMatchObject({rows_in: 3, kept: 2, rejected: 1, rejected_by_reason: {bad_amount: 1}, amount_in: "105.00"});
    expect(rejectsOf(r, path)).toEqual([[3, "bad_amount", `not an amount: "1${"x".repeat(182)}…`, null]]);
    expect((rejectsOf(r, path)[0]![2] as string).length).toBe(200);
    const stored = await db().runAndReadAll(
      `SELECT (SELECT max(length(purpose)) FROM ${storedTableSql(r.outDir, "payments")}) AS purpose,
         (SELECT max(length(raw)) FROM ${storedTableSql(r.outDir, "rejects")}) AS raw`
    );
    expect(stored.getRowObjects()[0]).toEqual({purpose: BigInt(10 * MIB), raw: BigInt(10 * MIB + 22)});
  });
});

describe("rows that cannot be payments are rejected with their row and reason", () => {
  it("dates and amounts that cannot be parsed", async () => {
    const path = fixture("bad-dates-amounts.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({
      rows_in: 13, kept: 2, rejected: 11,
      rejected_by_reason: {bad_date: 3, missing_date: 2, bad_amount: 5, missing_amount: 1},
      amount_in: "325.00", amount_kept: "75.00", amount_rejected: "250.00"
    });
    expect(rejectsOf(r, path)).toEqual([
      [3, "bad_date", 'not a date: "31/02/2019"', 5000n],
      [4, "bad_date", 'not a date: "2019-13-01"', 5000n],
      [5, "bad_date", 'not a date: "yesterday"', 5000n],
      [6, "missing_date", "empty date", 5000n],
      [7, "missing_date", 'no date, only "00:00:00"', 5000n],
      [8, "bad_amount", 'more than two decimal places: "12.345"', null],
      [9, "bad_amount", 'not an amount: "1.234.56"', null],
      [10, "bad_amount", 'not an amount: "N/A"', null],
      [11, "missing_amount", "empty amount", null],
      [12, "bad_amount", 'not an amount: "1e5"', null],
      [13, "bad_amount", 'not an amount: "1,23"', null]
    ]);
    expect(paymentsOf(r, path)).toEqual([
      [2, "2019-04-01", "day", "Age UK", 10000n],
      [14, "2019-04-03", "day", "Shelter", -2500n]
    ]);
  });

  it("totals rows are rejected, not counted as payments a second time", async () => {
    const path = fixture("2019-04-totals.csv");
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 6, kept: 3, rejected: 3, amount_kept: "160.50", amount_rejected: "481.50"});
    expect(paymentsOf(r, path).map((p) => p[3])).toEqual(["Age UK", "Mind", "Total Hygiene Ltd"]);
    expect(rejectsOf(r, path)).toEqual([
      [5, "not_data", "a totals row, not a payment", 16050n],
      [6, "not_data", "a totals row, not a payment", 16050n],
      [7, "not_data", "a totals row, not a payment", 16050n]
    ]);
  });

  it("dates in the future: after the ingest date + 1 year is a typo, re-dated to a known period, else rejected", async () => {
    const noPeriod = fixture("future-dates.csv");
    const withPeriod = fixture("2019-04-future-dates.csv");
    const iso = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const ddmmyyyy = (isoDate: string) => isoDate.split("-").reverse().join("/");
    const near = write("future-near.csv", `Payment Date,Supplier Name,Amount\n${ddmmyyyy(iso(300))},Age UK,1.00\n${ddmmyyyy(iso(400))},Age UK,2.00\n`);
    const r = await run([noPeriod, withPeriod, near], "fast");
    expect(rejectsOf(r, noPeriod)).toEqual([[3, "bad_date", "implausible date 2099-04-01", 20000n]]);
    expect(r.file(withPeriod)).toMatchObject({kept: 2, rejected: 0, dates_from_period: 1});
    expect(paymentsOf(r, withPeriod)).toEqual([
      [2, "2019-04-01", "day", "Age UK", 10000n],
      [3, "2019-04-01", "month", "Mind", 20000n]
    ]);
    expect(paymentsOf(r, near)).toEqual([[2, iso(300), "day", "Age UK", 100n]]);
    expect(rejectsOf(r, near)).toEqual([[3, "bad_date", `implausible date ${iso(400)}`, 200n]]);
  });

  it("the same month published twice: the second copy's rows are flagged as duplicates, not dropped", async () => {
    const first = write("twice/2019-04-first.csv", readFileSync(fixture("2019-04-spend.csv")));
    const second = write("twice/2019-04-second.csv", readFileSync(fixture("2019-04-spend.csv")));
    const r = await run([first, second], "fast");
    expect(r.file(first)).toMatchObject({kept: 5, duplicates: 0, amount_duplicates: "0.00"});
    expect(r.file(second)).toMatchObject({kept: 5, duplicates: 5, amount_duplicates: "2825.50"});
    expect(r.report.councils[0]).toMatchObject({kept: 10, duplicates: 5, amount_duplicates: "2825.50", amount_kept: "5651.00"});
    expect(r.report.total.duplicates).toBe(5);
  });

  it("a corrected republication: only the rows that did not change are duplicates", async () => {
    const first = write("corrected/2019-04-first.csv", readFileSync(fixture("2019-04-spend.csv")));
    const second = write(
      "corrected/2019-04-second.csv",
      "Payment Date,Supplier Name,Amount,Transaction Number\n01/04/2019,Age UK,100.00,T1\n01/04/2019,Age UK,100.00,T1\n" +
        "02/04/2019,Mind,55.50,T2\n03/04/2019,Citizens Advice,2500.00,T3\n04/04/2019,REDACTED PERSONAL DATA,75.00,T4\n05/04/2019,Shelter,10.00,T5\n"
    );
    const r = await run([first, second], "fast");
    expect(r.file(second)).toMatchObject({kept: 6, duplicates: 4, amount_duplicates: "2775.00"});
    expect(r.report.total.duplicates).toBe(4);
  });
});

describe("ZIP archives", () => {
  const csv = strToU8("Payment Date,Supplier Name,Amount\n01/04/2019,Age UK,100.00\n02/04/2019,Mind,50.00\n");

  it("a good archive reads, as a control", async () => {
    const path = write("zip/2019-04.zip", zipSync({"spend.csv": csv}));
    const r = await run([path], "fast");
    expect(r.file(path)).toMatchObject({rows_in: 2, kept: 2, amount_kept: "150.00"});
  });

  it("truncated: cut in its data, in its directory, or in its last record", async () => {
    const zip = zipSync({"spend.csv": csvOfSize(50_000)}, {level: 0});
    const halves: [string, Uint8Array][] = [
      ["half.zip", zip.subarray(0, Math.floor(zip.length / 2))],
      ["no-directory.zip", zip.subarray(0, zip.length - 40)],
      ["last-record.zip", zip.subarray(0, zip.length - 10)]
    ];
    for (const [name, bytes] of halves) {
      const path = write(`zip/${name}`, bytes);
      expect(await refused(path)).toBe(`${id(path)}: not a complete ZIP archive (no end-of-archive record: truncated or damaged)`);
    }
  });

  it("entry names that climb out of the folder or are absolute: the archive is refused and nothing is written", async () => {
    const cases: [string, Zippable, string][] = [
      ["climb.zip", {"../../evil.csv": csv}, 'ZIP entry climbs out of the archive with "..": ../../evil.csv'],
      ["climb-inside.zip", {"data/../../../evil.csv": csv}, 'ZIP entry climbs out of the archive with "..": data/../../../evil.csv'],
      ["backslash.zip", {"..\\..\\evil.csv": csv}, 'ZIP entry climbs out of the archive with "..": ..\\..\\evil.csv'],
      ["absolute.zip", {"/tmp/evil.csv": csv}, "ZIP entry has an absolute path: /tmp/evil.csv"],
      ["drive.zip", {"C:/Windows/evil.csv": csv}, "ZIP entry has an absolute path: C:/Windows/evil.csv"]
    ];
    for (const [name, entries, reason] of cases) {
      const path = write(`slip/inner/${name}`, zipSync(entries));
      expect(await refused(path)).toBe(`${id(path)}: ${reason}`);
    }
    const written = [join(work, "slip"), join(work, "slip/inner"), work, "/tmp", process.cwd()].flatMap((dir) => readdirSync(dir));
    expect(written.filter((name) => name.includes("evil"))).toEqual([]);
    expect(existsSync("/tmp/evil.csv")).toBe(false);
  });

  describe("ZIP bombs, with small limits", () => {
    const limits = {maxEntryBytes: MIB, maxTotalBytes: 2 * MIB};

    it("an entry declared over the limit", async () => {
      const path = write("bomb/declared.zip", zipSync({"bomb.csv": csvOfSize(2 * MIB)}));
      expect(await refused(path, {limits})).toBe(`${id(path)}: ZIP entry bomb.csv would unpack to ${2 * MIB} bytes, over the limit of ${MIB} (ZIP bomb?)`);
    });

    it("entries each under the limit, over it together", async () => {
      const path = write("bomb/total.zip", zipSync({"a.csv": csvOfSize(0.9 * MIB), "b.csv": csvOfSize(0.9 * MIB), "c.csv": csvOfSize(0.9 * MIB)}));
      expect(await refused(path, {limits})).toBe(`${id(path)}: ZIP archive would unpack to more than ${2 * MIB} bytes in all (ZIP bomb?)`);
    });

    it("an entry that lies about its size: stopped as soon as it unpacks past what it declared", async () => {
      const path = write("bomb/lying.zip", declareSize(zipSync({"bomb.csv": csvOfSize(8 * MIB)}), "bomb.csv", 1000));
      expect(await refused(path, {limits})).toBe(`${id(path)}: ZIP entry bomb.csv: unpacks to more than its declared 1000 bytes (ZIP bomb or damaged archive)`);
    });

    it("archives inside an archive, each under the limits, over them together", async () => {
      const inner = zipSync({"spend.csv": csvOfSize(0.9 * MIB)});
      const path = write("bomb/nested.zip", zipSync({"one.zip": inner, "two.zip": inner, "three.zip": inner}, {level: 0}));
      expect(await refused(path, {limits})).toBe(
        `${id(path)}!three.zip: archives inside archives would unpack to more than ${2 * MIB} bytes in all (ZIP bomb?)`
      );
    });

    it("archives nested three deep", async () => {
      const path = write("bomb/deep.zip", zipSync({"a.zip": zipSync({"b.zip": zipSync({"spend.csv": csv})})}));
      expect(await refused(path, {limits})).toBe(`${id(path)}!a.zip!b.zip: ZIP archives nested too deeply`);
    });

    it("a workbook whose sheet lies about its size", async () => {
      const rows = [["Payment Date", "Supplier Name", "Amount"], ...Array.from({length: 20_000}, (_, i) => [day("2019-04-01"), `Supplier ${i}`, i])];
      const path = write("bomb/lying.xlsx", declareSize(workbook({Spend: rows}), "xl/worksheets/sheet1.xml", 1000));
      expect(await refused(path, {limits})).toBe(
        `${id(path)}: ZIP entry xl/worksheets/sheet1.xml: unpacks to more than its declared 1000 bytes (ZIP bomb or damaged archive)`
      );
    });
  });

  it("ingest's own limits: 256 MiB an entry, so a declared 300 MiB entry is refused before anything is unpacked", async () => {
    const path = write("bomb/default.zip", declareSize(zipSync({"bomb.csv": csv}), "bomb.csv", 300 * MIB));
    expect(await refused(path)).toBe(`${id(path)}: ZIP entry bomb.csv would unpack to ${300 * MIB} bytes, over the limit of ${256 * MIB} (ZIP bomb?)`);
  });
});

describe("workbooks", () => {
  it("several sheets, merged header cells and a totals row: the notes and the summary are counted as rejects, the totals row too", async () => {
    const bytes = workbook(
      {
        Notes: [["About this file"], ["Payments over £500 made by the council in April 2019."], ["Contact: transparency@example.gov.uk"]],
        "April 2019": [
          ["Spending over £500, April 2019", null, null, null, null, null],
          ["Payment Date", "Supplier", null, "Net Amount", "VAT", "Description"],
          [null, "Name", "Number", null, null, null],
          [day("2019-04-01"), "Age UK", "S100", 100, 20, "Grant"],
          [day("2019-04-02"), "Mind", "S200", 50.5, 0, "Grant"],
          [null, "Total", null, 150.5, 20, null]
        ],
        Summary: [["Supplier Name", "Amount"], ["Age UK", 100], ["Mind", 50.5]]
      },
      {"April 2019": ["A1:F1", "A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:F3"]}
    );
    const path = write("2019-04.xlsx", bytes);
    // Workbooks are the JavaScript path's: the fast path hands them back.
    const r = await run([path], "javascript");
    expect(r.file(path)).toMatchObject({
      rows_in: 8, kept: 2, rejected: 6, rejected_by_reason: {not_data: 6},
      amount_in: "451.50", amount_kept: "150.50", amount_rejected: "301.00", encoding: "xlsx"
    });
    expect(r.file(path).layout).toMatchObject({"Payment Date": "payment_date", "Supplier Name": "supplier_name", "Net Amount": "amount"});
    expect(paymentsOf(r, path)).toEqual([
      [4, "2019-04-01", "day", "Age UK", 10000n],
      [5, "2019-04-02", "day", "Mind", 5050n]
    ]);
    expect(rejectsOf(r, path)).toEqual([
      [1, "not_data", "Notes: no header row and nothing like a payment (notes)", null],
      [2, "not_data", "Notes: no header row and nothing like a payment (notes)", null],
      [2, "not_data", "Summary: supplier totals summing the file's other tables", 10000n],
      [3, "not_data", "Notes: no header row and nothing like a payment (notes)", null],
      [3, "not_data", "Summary: supplier totals summing the file's other tables", 5050n],
      [6, "not_data", "a totals row, not a payment", 15050n]
    ]);
  });

  it("a two-row header (Amount over Net and VAT, merged): \"Amount Net\" is the amount, the VAT column is not", async () => {
    const bytes = workbook(
      {
        Notes: [["About this file"]],
        Spend: [
          ["Payment Date", "Supplier Name", "Amount", null],
          [null, null, "Net", "VAT"],
          [day("2019-04-01"), "Age UK", 100, 20]
        ]
      },
      {Spend: ["A1:A2", "B1:B2", "C1:D1"]}
    );
    const path = write("net-vat.xlsx", bytes);
    const r = await run([path], "javascript");
    expect(r.file(path).error).toBeUndefined();
    expect(r.file(path)).toMatchObject({rows_in: 2, kept: 1, rejected: 1, amount_kept: "100.00"});
    expect(r.file(path).layout).toEqual({"Payment Date": "payment_date", "Supplier Name": "supplier_name", "Amount Net": "amount"});
    expect(paymentsOf(r, path)).toEqual([[3, "2019-04-01", "day", "Age UK", 10000n]]);
    expect(rejectsOf(r, path)).toEqual([[1, "not_data", "Notes: no header row and nothing like a payment (notes)", null]]);
  });

  it("a header the synonyms do not know: inferred from its words and cells; with no plausible amount, refused naming the candidates and --map", async () => {
    const known = write("unknown-amount.xlsx", workbook({Spend: [["Payment Date", "Supplier Name", "Cost to us"], [day("2019-04-01"), "Age UK", 100]]}));
    const r = await run([known], "javascript");
    expect(r.file(known)).toMatchObject({rows_in: 1, kept: 1, amount_kept: "100.00", layout: {"Cost to us": "amount"}});
    const path = write("no-amount.xlsx", workbook({Spend: [["Payment Date", "Supplier Name", "Remarks"], [day("2019-04-01"), "Age UK", "see letter"]]}));
    const error = await refused(path);
    expect(error).toMatch(new RegExp(`^${id(path).replace(/[.]/g, "\\.")}: no column plausibly holds amount; best candidates .*"Remarks".*; name it with --map amount="<column header>"$`));
  });

  it("a workbook with nothing in it", async () => {
    const path = write("blank.xlsx", workbook({Sheet1: [], Sheet2: []}));
    expect(await refused(path)).toBe(`${id(path)}: workbook has no sheet with any cell filled`);
  });
});

describe("manifests", () => {
  const dataDir = join(work, "data");
  mkdirSync(join(dataDir, "sources"), {recursive: true});
  mkdirSync(join(dataDir, "spend"), {recursive: true});
  copyFileSync("data/source.schema.json", join(dataDir, "source.schema.json"));
  copyFileSync(fixture("2019-04-spend.csv"), join(dataDir, "spend/2019-04.csv"));
  const good = {
    council: {code: COUNCIL, name: "Hyndburn Borough Council"},
    publisher: "Test",
    licence: "Open Government Licence v3.0",
    layouts: [{from: "2019-04", columns: {payment_date: ["Payment Date"], amount: ["Amount"], supplier_name: ["Supplier Name"]}}],
    files: [{period: "2019-04", path: "spend/2019-04.csv"}]
  };
  const manifest = (name: string, value: unknown) => {
    for (const old of readdirSync(join(dataDir, "sources"))) rmSync(join(dataDir, "sources", old));
    const path = join(dataDir, "sources", name);
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
    return path;
  };
  /** By both engines, which must agree; the JavaScript run's report. */
  const manifestRun = async (options: Partial<IngestOptions> = {}) => {
    const once = async (engine: IngestOptions["engine"]) =>
      ingest({dataDir, outDir: mkdtempSync(join(work, "store-")), classifier: await defaultClassifier(), ...options, engine});
    const js = await once("javascript");
    expect(await once("fast")).toEqual(js);
    return js;
  };

  it("a good manifest reads, as a control", async () => {
    manifest("good.json", good);
    const report = await manifestRun();
    expect(report.files.map((f) => [f.file, f.kept, f.error])).toEqual([["spend/2019-04.csv", 5, undefined]]);
  });

  it("a path that points outside the data folder", async () => {
    for (const path of ["../../etc/passwd", "spend/../../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd"]) {
      const file = manifest("outside.json", {...good, files: [good.files[0], {period: "2019-05", path}]});
      await expect(manifestRun()).rejects.toThrow(`${file}: field /files/1/path points outside the data folder: ${path}`);
    }
  });

  it("a listed file that is a symbolic link to a file outside the data folder, or lies under a linked folder", async () => {
    const secret = write("outside/secret.csv", "Supplier Name,Payment Date,Amount\nA,01/04/2019,1.00\n");
    symlinkSync(secret, join(dataDir, "spend", "2019-05.csv"));
    symlinkSync(dirname(secret), join(dataDir, "linked"));
    for (const path of ["spend/2019-05.csv", "linked/secret.csv"]) {
      const file = manifest("linked.json", {...good, files: [good.files[0], {period: "2019-05", path}]});
      await expect(manifestRun()).rejects.toThrow(`${file}: field /files/1/path leads through a symbolic link outside the data folder: ${path} -> ${realpathSync(secret)}`);
    }
    rmSync(join(dataDir, "spend", "2019-05.csv"));
    rmSync(join(dataDir, "linked"));
  });

  it("the CLI says the same and exits 1, without a stack trace", () => {
    const file = manifest("outside.json", {...good, files: [{period: "2019-05", path: "../secret.csv"}]});
    const cli = spawnSync("node", ["bin/vcse-spend.js", "ingest", "--data", dataDir, "--out", join(work, "cli-store")], {encoding: "utf8"});
    expect(cli.status).toBe(1);
    expect(cli.stderr).toBe(`vcse-spend: ${file}: field /files/0/path points outside the data folder: ../secret.csv\n`);
  });

  it("malformed manifests: the error names the file and the field", async () => {
    const cases: [unknown, string][] = [
      ["{ \"council\": ", "not valid JSON ("],
      [{...good, licence: undefined}, "field (root) must have required property 'licence'"],
      [{...good, council: {code: "W06000001", name: "Cardiff"}}, 'field /council/code must match pattern "^E(?:0[6-9]|10|47|61)[0-9]{6}$"'],
      [{...good, files: [{period: "April 2019", path: "spend/2019-04.csv"}]}, "field /files/0/period must match pattern"],
      [{...good, files: [{period: "2019-04", path: "spend/2019-04.csv", layout: "cards"}]}, "field /files/0/layout names no layout: cards"],
      [{...good, layouts: [{from: "2019-04", columns: {amount: ["Amount"]}}]}, "field /layouts/0/columns must have required property 'supplier_name'"],
      [{...good, files: "spend/2019-04.csv"}, "field /files must be array"],
      [{...good, colour: "blue"}, "field (root) must NOT have additional properties"]
    ];
    for (const [value, reason] of cases) {
      const file = manifest("bad.json", value);
      await expect(manifestRun()).rejects.toThrow(`${file}: ${reason}`);
    }
  });

  it("a file the manifest names that does not exist: reported, naming it, and the others still read", async () => {
    manifest("missing.json", {...good, files: [...good.files, {period: "2019-05", path: "spend/2019-05.csv"}]});
    const report = await manifestRun();
    expect(report.files.map((f) => [f.file, f.kept, f.error])).toEqual([
      ["spend/2019-04.csv", 5, undefined],
      ["spend/2019-05.csv", 0, `spend/2019-05.csv: cannot open ${resolve(dataDir, "spend/2019-05.csv")}`]
    ]);
    expect(report.total.failed_files).toBe(1);
  });
});

describe("the whole corpus", () => {
  it("reconciled every row it read: none lost", () => {
    expect(rowsReconciled).toBeGreaterThan(40);
  });
});
