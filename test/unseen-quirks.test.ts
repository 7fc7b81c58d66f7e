import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import {mkdtempSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {memoryDb} from "./memory-db.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * The quirks of councils' exports, one class per test, each in a small file written here and read as
 * `vcse-spend ingest --files` reads a council it has never seen: no manifest and no --map. The expected rows
 * are the generator's own, so kept counts, sums and dates are checked against an independent computation.
 */

const COUNCIL = "E07000120";
const work = tempDirs()("vcse-quirks-");
const db = memoryDb();

interface Want {
  supplier: string;
  pence: number;
  date: string;
}

const SUPPLIERS = ["Age Concern Northshire", "Acme Highways Ltd", "St Mary's PCC", "Northshire Hospice Trust", "Bloggs & Co", "Village Hall Committee"];

/** n rows spread evenly over [from, to] (ISO dates), with varied amounts and some credits. */
function rows(n: number, from: string, to: string): Want[] {
  const [a, b] = [Date.parse(from), Date.parse(to)];
  return Array.from({length: n}, (_, i) => ({
    supplier: SUPPLIERS[i % SUPPLIERS.length]!,
    pence: (i % 7 === 3 ? -1 : 1) * (50_000 + ((i * 7919) % 2_000_000)),
    date: new Date(a + Math.round(((b - a) * i) / Math.max(1, n - 1) / 86_400_000) * 86_400_000).toISOString().slice(0, 10)
  }));
}

const pounds = (p: number) => (p / 100).toFixed(2);
const sum = (w: Want[]) => w.reduce((a, r) => a + r.pence, 0);
const [y, m, d] = [(iso: string) => iso.slice(0, 4), (iso: string) => iso.slice(5, 7), (iso: string) => iso.slice(8, 10)];

function write(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(work, "in-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(paths: string[]) {
  const outDir = mkdtempSync(join(work, "store-"));
  const report = await ingest({adhoc: {council: COUNCIL, files: paths}, outDir, classifier: await defaultClassifier()});
  const stored = (await db().runAndReadAll(
    `SELECT payment_date::VARCHAR AS date, date_precision AS precision, amount_pence::BIGINT AS pence, financial_year AS fy, expense_type FROM ${storedTableSql(outDir, "payments")} ORDER BY source_file, source_row`
  )).getRowObjects() as unknown as {date: string; precision: string; pence: bigint; fy: string; expense_type: string | null}[];
  for (const f of report.files) expect(f.error, f.file).toBeUndefined();
  return {report, stored, outDir};
}

/** Every row kept with its own amount and date, nothing rejected but rows without an amount. */
async function expectRead(paths: string[], want: Want[]) {
  const run = await read(paths);
  const {total} = run.report;
  expect(total.rejected - (total.rejected_by_reason.missing_amount ?? 0)).toBe(0);
  expect(total.kept).toBe(want.length);
  expect(total.amount_kept).toBe(pounds(sum(want)));
  expect(run.stored.map((s) => [s.date, Number(s.pence)])).toEqual(want.map((w) => [w.date, w.pence]));
  return run;
}

const csv = (header: string[], body: string[][]) => [header, ...body].map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",")).join("\r\n") + "\r\n";

describe("dates formatted to the month", () => {
  it("reads a payment date column that holds months only (\"Apr-21\") as month-precision dates", async () => {
    const want = rows(18, "2021-04-01", "2021-09-30");
    const month = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {month: "short", timeZone: "UTC"});
    const path = write("spend-2021-h1.csv", csv(["Payment Date", "Supplier Name", "Net Amount"], want.map((w) => [`${month(w.date)}-${y(w.date).slice(2)}`, w.supplier, pounds(w.pence)])));
    const firstOfMonth = want.map((w) => ({...w, date: `${w.date.slice(0, 8)}01`}));
    const run = await expectRead([path], firstOfMonth);
    expect(new Set(run.stored.map((s) => s.precision))).toEqual(new Set(["month"]));
  });
});

describe("amounts as finance systems print them", () => {
  it("reads cells a spreadsheet saved as text (=\"…\" formulas, a leading apostrophe) and long dates with a weekday", async () => {
    const want = rows(24, "2021-04-01", "2021-06-28");
    const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});
    const body = want.map((w, i) => [
      i % 2 ? `="${d(w.date)}/${m(w.date)}/${y(w.date)}"` : weekday(w.date),
      i % 3 ? `="${w.supplier}"` : w.supplier,
      i % 2 ? `'${pounds(w.pence)}` : `="${pounds(w.pence)}"`
    ]);
    const path = write("spend-2021-q1.csv", csv(["Payment Date", "Supplier Name", "Net Amount"], body));
    const run = await expectRead([path], want);
    const names = (await db().runAndReadAll(`SELECT DISTINCT supplier_name FROM ${storedTableSql(run.outDir, "payments")} ORDER BY 1`)).getRowObjects().map((r) => r.supplier_name);
    expect(names).toEqual([...new Set(want.map((w) => w.supplier))].sort());
  });

  it("rounds binary floats to pence as a named repair, rejecting none", async () => {
    const texts = ["1230.3600000000001", "4999.999999999", "0.30000000000000004", "-12.499999999999", "600.00", "750.5"];
    const want = rows(texts.length, "2021-04-01", "2021-04-20").map((w, i) => ({...w, pence: [123036, 500000, 30, -1250, 60000, 75050][i]!}));
    const path = write("spend-2021-04.csv", csv(["Payment Date", "Supplier Name", "Net Amount"], want.map((w, i) => [`${d(w.date)}/${m(w.date)}/${y(w.date)}`, w.supplier, texts[i]!])));
    const {report} = await expectRead([path], want);
    expect(report.files[0]!.repairs).toEqual({float_rounded: 4});
    expect(report.total.repairs).toEqual({float_rounded: 4});
  });

  it("joins an amount whose thousands separators split it into cells, as a named repair", async () => {
    const want = rows(6, "2021-06-01", "2021-06-20").map((w, i) => ({...w, pence: [123456, 100000000, 99999, -250000, 1234567890, 50000][i]!}));
    const amount = (p: number) => (p < 0 ? "-" : "") + (Math.abs(p) / 100).toLocaleString("en-GB", {minimumFractionDigits: 2});
    const lines = ["Payment Date,Supplier Name,Net Amount,Department", ...want.map((w) => `${w.date},${w.supplier},${amount(w.pence)},Adults`)];
    const {report} = await expectRead([write("spend-2021-06.csv", lines.join("\n") + "\n")], want);
    expect(report.files[0]!.repairs).toEqual({thousands_split: 4});
  });

  it("reads a pound sign written in Windows-1252 and trailing CR/DR", async () => {
    const forms: [string, number][] = [["£9,854.98", 985498], ["£1,000.00CR", -100000], ["£250.00 DR", 25000], ["£12.50", 1250], ["-£600.00", -60000], ["£1,234.56 CR", -123456]];
    const want = rows(forms.length, "2021-05-01", "2021-05-28").map((w, i) => ({...w, supplier: `Café ${w.supplier}`, pence: forms[i]![1]}));
    const body = csv(["Trans Date", "Payee", "Value"], want.map((w, i) => [`${d(w.date)}/${m(w.date)}/${y(w.date)}`, w.supplier, forms[i]![0]]));
    const {report} = await expectRead([write("payments-may-2021.csv", iconv.encode(body, "windows-1252"))], want);
    expect(report.files[0]!.encoding).toMatch(/1252/);
  });
});

describe("dates as finance systems print them", () => {
  const forms: Record<string, (iso: string) => string> = {
    "dd.mm.yyyy": (iso) => `${d(iso)}.${m(iso)}.${y(iso)}`,
    yyyymmdd: (iso) => iso.replaceAll("-", ""),
    "dd-MMM-yyyy": (iso) => `${d(iso)}-${new Date(iso).toLocaleString("en-GB", {month: "short", timeZone: "UTC"}).toUpperCase()}-${y(iso)}`,
    "two-digit year": (iso) => `${d(iso)}/${m(iso)}/${y(iso).slice(2)}`,
    "Excel serial as text": (iso) => String(Math.round(Date.parse(iso) / 86_400_000) + 25569)
  };
  for (const [form, format] of Object.entries(forms)) {
    it(`reads ${form}`, async () => {
      const want = rows(9, "2020-12-14", "2021-02-02");
      const body = csv(["Posting Date", "Vendor Name", "Directorate", "Amount"], want.map((w) => [format(w.date), w.supplier, "Adults", pounds(w.pence)]));
      await expectRead([write("spend.csv", body)], want);
    });
  }
});

describe("periods that are not calendar months", () => {
  it("reads thirteen four-week periods numbered yyyypp: period 1 of 2013-14 starts 1 April, period 13 on the first Sunday of March", async () => {
    const starts = ["2013-04-01", "2013-04-28", "2013-05-26", "2013-06-23", "2013-07-21", "2013-08-18", "2013-09-15", "2013-10-13", "2013-11-10", "2013-12-08", "2014-01-05", "2014-02-02", "2014-03-02"];
    const want = starts.map((date, i) => ({supplier: SUPPLIERS[i % 6]!, pence: 10_000 * (i + 1), date}));
    const body = csv(["Period", "Supplier", "Expense Type", "Amount"], want.map((w, i) => [`2013${String(i + 1).padStart(2, "0")}`, w.supplier, "Grants", pounds(w.pence)]));
    const {stored} = await expectRead([write("payments-2013-14.csv", body)], want);
    expect(new Set(stored.map((s) => s.fy))).toEqual(new Set(["2013-14"]));
  });

  it("reads twelve periods of the financial year numbered yyyypp: period 1 is April", async () => {
    const want = Array.from({length: 12}, (_, i) => ({supplier: SUPPLIERS[i % 6]!, pence: 5_000 * (i + 1), date: `${i < 9 ? 2019 : 2020}-${String(((i + 3) % 12) + 1).padStart(2, "0")}-01`}));
    const body = csv(["Period", "Supplier", "Amount"], want.map((w, i) => [`2019${String(i + 1).padStart(2, "0")}`, w.supplier, pounds(w.pence)]));
    await expectRead([write("spend-2019-20.csv", body)], want);
  });

  it("reads periods written as months: April 2021, Apr-21, 05/2021", async () => {
    const forms = ["April 2021", "Apr-21", "05/2021", "May 2021", "Jun-21", "2021/06"];
    const want = forms.map((_, i) => ({supplier: SUPPLIERS[i]!, pence: 70_000 + i, date: `2021-0${4 + Math.floor(i / 2)}-01`}));
    const body = csv(["Month", "Supplier Name", "Amount"], want.map((w, i) => [forms[i]!, w.supplier, pounds(w.pence)]));
    await expectRead([write("spend.csv", body)], want);
  });

  it("reads period numbers alone in the financial year the file's name gives: twelve months, or thirteen four-week periods", async () => {
    const months = Array.from({length: 12}, (_, i) => ({supplier: SUPPLIERS[i % 6]!, pence: 1_000 * (i + 1), date: `${i < 9 ? 2019 : 2020}-${String(((i + 3) % 12) + 1).padStart(2, "0")}-01`}));
    await expectRead([write("payments-2019-20.csv", csv(["Period", "Supplier", "Amount"], months.map((w, i) => [String(i + 1), w.supplier, pounds(w.pence)])))], months);
    const starts = ["2013-04-01", "2013-04-28", "2013-05-26", "2013-06-23", "2013-07-21", "2013-08-18", "2013-09-15", "2013-10-13", "2013-11-10", "2013-12-08", "2014-01-05", "2014-02-02", "2014-03-02"];
    const weeks = starts.map((date, i) => ({supplier: SUPPLIERS[i % 6]!, pence: 2_000 * (i + 1), date}));
    await expectRead([write("spend-2013-14.csv", csv(["Period", "Supplier", "Amount"], weeks.map((w, i) => [`P${i + 1}`, w.supplier, pounds(w.pence)])))], weeks);
  });

  it("takes a four-week period from a file's name as the fallback for a missing date", async () => {
    const want = rows(5, "2014-03-02", "2014-03-31");
    const body = csv(["Clearing Date", "Vendor Name", "Amount"], want.map((w, i) => [i === 2 ? "" : w.date, w.supplier, pounds(w.pence)]));
    const {report, stored} = await expectRead([write("Period-13-2013-14.csv", body)], want.map((w, i) => (i === 2 ? {...w, date: "2014-03-02"} : w)));
    expect(report.files[0]!.dates_from_period).toBe(1);
    expect(stored[2]!.precision).toBe("month");
  });
});

describe("where the data is in a file", () => {
  it("finds a header below title rows and notes in a CSV", async () => {
    const want = rows(8, "2022-07-01", "2022-07-29");
    const body = "Northshire District Council\r\nPayments over £500, July 2022\r\nPublished under the Local Government Transparency Code\r\n,,,\r\n" +
      csv(["Date Paid", "Creditor Name", "Service", "Amount (£)"], want.map((w) => [`${d(w.date)}/${m(w.date)}/${y(w.date)}`, w.supplier, "Leisure", pounds(w.pence)]));
    const {report} = await expectRead([write("july-2022.csv", body)], want);
    expect(report.files[0]!.header_row).toBe(5);
  });

  it("reads the data sheet of a workbook with notes and a pivot of totals beside it", async () => {
    const want = rows(10, "2021-10-01", "2021-10-30");
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["Notes"], ["Amounts exclude VAT"], ["Contact: transparency@example.org"]]), "Read me");
    const data = [["Spend over £500"], [], ["Payment Date", "Beneficiary", "Expense Type", "Net Amount"], ...want.map((w) => [new Date(`${w.date}T00:00:00Z`), w.supplier, "Grants", w.pence / 100])];
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(data, {cellDates: true}), "Data");
    const totals = new Map<string, number>();
    for (const w of want) totals.set(w.supplier, (totals.get(w.supplier) ?? 0) + w.pence);
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["Supplier Name", "Total"], ...[...totals].map(([s, p]) => [s, p / 100])]), "Pivot");
    const path = write("spend-october-2021.xlsx", new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx"}) as ArrayBuffer));
    const run = await read([path]);
    const file = run.report.files[0]!;
    expect(file.kept).toBe(want.length);
    expect(file.amount_kept).toBe(pounds(sum(want)));
    // The notes and the pivot are counted and rejected as not payments, never stored as payments.
    expect(file.rejected_by_reason).toEqual({not_data: 3 + totals.size});
    expect(run.stored.map((s) => [s.date, Number(s.pence)])).toEqual(want.map((w) => [w.date, w.pence]));
  });

  it("reads an Excel 97-2003 workbook of 2010 with date cells", async () => {
    const want = rows(12, "2010-12-01", "2010-12-31");
    const sheet = XLSX.utils.aoa_to_sheet([["Date", "Supplier", "Service Area", "Expenses Type", "Amount"], ...want.map((w) => [new Date(`${w.date}T00:00:00Z`), w.supplier, "Adults", "Grants", w.pence / 100])], {cellDates: true});
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "Sheet1");
    await expectRead([write("Payments-Dec-2010.xls", new Uint8Array(XLSX.write(book, {type: "array", bookType: "biff8"}) as ArrayBuffer))], want);
  });
});

describe("one file holding many years", () => {
  it("lets the dates decide the periods, not the file's name", async () => {
    const want = rows(600, "2017-04-03", "2022-03-25");
    const body = csv(["Payment Date", "Supplier Name", "Expense Type", "Net Amount"], want.map((w, i) => [w.date, w.supplier, i < 300 ? "" : "Grants", pounds(w.pence)]));
    const {report, stored} = await expectRead([write("spending-2019-20.csv", body)], want);
    expect(report.files[0]!.dates_from_period).toBe(0);
    const byYear = new Map<string, number>();
    for (const w of want) {
      const fy = +y(w.date) - (+m(w.date) < 4 ? 1 : 0);
      const key = `${fy}-${String((fy + 1) % 100).padStart(2, "0")}`;
      byYear.set(key, (byYear.get(key) ?? 0) + w.pence);
    }
    const storedByYear = new Map<string, number>();
    for (const s of stored) storedByYear.set(s.fy, (storedByYear.get(s.fy) ?? 0) + Number(s.pence));
    expect(storedByYear).toEqual(byYear);
    expect(report.files[0]!.financial_years).toEqual(["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]);
    // A column empty in the early years and filled later is still read.
    expect(stored.filter((s) => s.expense_type === "Grants")).toHaveLength(300);
  });

  it("reads a history joined from yearly files, the header repeated where they meet", async () => {
    const early = rows(40, "2011-04-01", "2012-03-30");
    const late = rows(40, "2012-04-02", "2013-03-28");
    const body = csv(["Date", "Supplier", "Amount"], early.map((w) => [`${d(w.date)}/${m(w.date)}/${y(w.date)}`, w.supplier, pounds(w.pence)])) +
      csv(["Date", "Supplier", "Amount"], late.map((w) => [`${d(w.date)}/${m(w.date)}/${y(w.date)}`, w.supplier, pounds(w.pence)]));
    const run = await read([write("all.csv", body)]);
    expect(run.report.total.rejected_by_reason).toEqual({not_data: 1});
    expect(run.report.total.kept).toBe(80);
    expect(run.report.total.amount_kept).toBe(pounds(sum(early) + sum(late)));
  });
});
