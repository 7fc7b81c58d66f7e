import {dsvFormat} from "d3-dsv";
import fc from "fast-check";
import iconv from "iconv-lite";
import {copyFileSync, mkdirSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, expect, it} from "vitest";
import {conform, type UnclassifiedPayment} from "../pipeline/conform/conform.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {Ledger} from "../pipeline/conform/ledger.ts";
import {formatPence} from "../pipeline/conform/parse-amount.ts";
import {periodFromName} from "../pipeline/sources/period-from-name.ts";
import {readBytes} from "../pipeline/read/read-file.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import {SYNONYMS} from "../pipeline/conform/synonyms.ts";
import type {Reject} from "../pipeline/types.ts";
import {memoryDb} from "./memory-db.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * Property: whatever a publisher's CSV looks like (headers from the synonym dictionary in any order and case,
 * valid and invalid amounts and dates, quotes, line breaks inside quotes, blank and junk lines, any of four
 * delimiters, LF / CRLF / CR line ends, UTF-8 with or without a BOM, Windows-1252, or both in one file),
 * every non-blank record after the header is either kept or rejected, exactly once; the amounts reconcile to
 * the penny; and the amount read in is exactly the sum of the valid amounts written, as the generator knows
 * them. The record count is checked against d3-dsv reading the same text, a parser independent of ours.
 */

const COUNCIL = {code: "E07000120", name: "Hyndburn"};
const temp = tempDirs();

// ---------------------------------------------------------------------------------------------
// The generator's model of a file: what was written, and what each cell means.

type Field = "payment_date" | "amount" | "supplier_name" | "service" | "purpose" | "transaction_ref" | "supplier_id";

interface Cell {
  text: string;
  quoted: boolean;
}

interface DataRecord {
  kind: "data";
  cells: Cell[];
  /** Pence when the amount cell is present and valid; null otherwise. */
  pence: number | null;
  supplier: string | null;
}

type Line = DataRecord | {kind: "blank"; text: string} | {kind: "junk"; text: string};

interface Spec {
  delimiter: string;
  lineEnds: string[];
  encoding: "utf-8" | "utf-8-bom" | "windows-1252" | "mixed";
  finalLineEnd: boolean;
  fileName: string;
  preamble: string[];
  columns: {field: Field; name: string}[];
  lines: Line[];
  /** Per line (preamble, header, then lines): encode as Windows-1252 rather than UTF-8 (mixed files). */
  eightBit: boolean[];
}

const SUPPLIERS = [
  "Age UK", "Citizens Advice Hyndburn", "Café Nero", "Crèche Club", "Müller & Sons", "O’Brien Builders", "A–Z Cleaning",
  "Smith, Jones & Co", 'The "Best" Bakery', "Mind; Accrington", "Tab\tLtd", "Pipe|Works", "Hospice at Home", "£1 Shop Ltd",
  "  Padded   Name  ", "St Mary’s PCC", "REDACTED PERSONAL DATA", "Line\nBreak Trust", "CR\r\nLF Trust"
];
const TEXTS = ["Grant", "Adult Social Care", "Rent, April", "Repairs\nand maintenance", "Café supplies £", "50% deposit", "Ref: 12/34", "", "  "];
const JUNK = ["Page 2 of 3", "*** continued ***", "Report run by SYSTEM", "End of report", "Printed 01/05/2019 10:15", "Spending over £500 – continued"];
const PREAMBLE = ["Hyndburn Borough Council", "Spending over £500", "Published under the Transparency Code", "Café and crèche payments included"];

/** Valid amounts, each with the pence it means, in the shapes councils publish. */
const validAmount: fc.Arbitrary<{text: string; pence: number}> = fc
  .tuple(fc.integer({min: -5_000_000_00, max: 5_000_000_00}), fc.constantFrom("plain", "pound", "parens", "cr", "trailing", "padded", "whole", "thousands"))
  .map(([pence, style]) => {
    const abs = Math.abs(pence);
    const pounds = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
    const thousands = Math.floor(abs / 100).toLocaleString("en-GB") + pounds.slice(pounds.indexOf("."));
    const neg = pence < 0;
    switch (style) {
      case "pound":
        return {text: `${neg ? "-" : ""}£${thousands}`, pence};
      case "parens":
        return {text: neg ? `(${thousands})` : thousands, pence};
      case "cr":
        return {text: neg ? `${pounds}CR` : pounds, pence};
      case "trailing":
        return {text: neg ? `${pounds}-` : pounds, pence};
      case "padded":
        return {text: `  ${neg ? "-" : ""}${pounds} `, pence};
      case "whole": {
        const whole = Math.floor(abs / 100) * 100;
        return {text: `${neg ? "-" : ""}${whole / 100}`, pence: neg && whole ? -whole : whole};
      }
      case "thousands":
        return {text: `${neg ? "-" : ""}${thousands}`, pence};
      default:
        return {text: `${neg ? "-" : ""}${pounds}`, pence};
    }
  });
const invalidAmount = fc.constantFrom("N/A", "TBC", "12.345", "1.2.3", "12,34", "1e5", "", "£", "-", "abc", "0x10");

const validDate = fc
  .tuple(fc.integer({min: Date.UTC(2012, 0, 1), max: Date.UTC(2024, 11, 31)}), fc.constantFrom("dmy", "iso", "named", "isotime", "short"))
  .map(([ms, style]) => {
    const d = new Date(ms);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const p = (n: number) => String(n).padStart(2, "0");
    const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]!;
    if (style === "iso") return `${y}-${p(m)}-${p(day)}`;
    if (style === "isotime") return `${y}-${p(m)}-${p(day)}T00:00:00`;
    if (style === "named") return `${day}-${month}-${String(y).slice(2)}`;
    if (style === "short") return `${day}/${m}/${y}`;
    return `${p(day)}/${p(m)}/${y}`;
  });
const invalidDate = fc.constantFrom("31/02/2019", "yesterday", "2019-13-01", "", "00:00:00", "01/01/1999", "01/01/2099", "TBC");

/** A header name from the dictionary, written as a publisher might. */
const headerName = (field: Field) =>
  fc.tuple(fc.constantFrom(...SYNONYMS[field]), fc.constantFrom("title", "upper", "lower")).map(([name, style]) => {
    if (style === "upper") return name.toUpperCase().replace(/ /g, "_");
    if (style === "lower") return name;
    return name.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  });

const cellOf = (text: string, forceQuote = false): fc.Arbitrary<Cell> =>
  fc.boolean().map((quote) => ({text, quoted: forceQuote || quote || /[,;\t|"\r\n]/.test(text)}));

function dataRecord(columns: {field: Field}[]): fc.Arbitrary<DataRecord> {
  const parts = columns.map(({field}) => {
    if (field === "amount") return fc.oneof({weight: 4, arbitrary: validAmount}, {weight: 1, arbitrary: invalidAmount.map((text) => ({text, pence: null}))});
    if (field === "payment_date") return fc.oneof({weight: 4, arbitrary: validDate}, {weight: 1, arbitrary: invalidDate});
    if (field === "supplier_name") return fc.oneof({weight: 9, arbitrary: fc.constantFrom(...SUPPLIERS)}, {weight: 1, arbitrary: fc.constant("")});
    if (field === "transaction_ref" || field === "supplier_id") return fc.integer({min: 1, max: 99999}).map((n) => `T${n}`);
    return fc.constantFrom(...TEXTS);
  });
  return fc
    .tuple(fc.tuple(...parts), fc.constantFrom("full", "full", "full", "full", "short", "extra"), fc.integer({min: 1, max: 10}))
    .chain(([values, shape, cut]) => {
      let texts = values.map((v) => (typeof v === "string" ? v : v.text));
      if (shape === "short") texts = texts.slice(0, Math.max(1, Math.min(cut, texts.length - 1)));
      if (shape === "extra") texts = [...texts, "extra", ""];
      const amountAt = columns.findIndex((c) => c.field === "amount");
      const supplierAt = columns.findIndex((c) => c.field === "supplier_name");
      const amount = values[amountAt] as {text: string; pence: number | null};
      return fc.tuple(...texts.map((t) => cellOf(t))).map((cells) => ({
        kind: "data" as const,
        cells,
        pence: amountAt < texts.length ? amount.pence : null,
        supplier: supplierAt < texts.length ? (values[supplierAt] as string) : null
      }));
    });
}

const spec: fc.Arbitrary<Spec> = fc
  .record({
    delimiter: fc.constantFrom(",", ";", "\t", "|"),
    lineEnd: fc.constantFrom<string[]>(["\n"], ["\r\n"], ["\r"], ["\n", "\r\n", "\r"]),
    encoding: fc.constantFrom("utf-8", "utf-8-bom", "windows-1252", "mixed") as fc.Arbitrary<Spec["encoding"]>,
    finalLineEnd: fc.boolean(),
    fileName: fc.constantFrom("spend.csv", "2019-04.csv", "Spend-over-500-Jan-2020.csv"),
    preamble: fc.array(fc.constantFrom(...PREAMBLE, ""), {maxLength: 3}),
    extras: fc.subarray(["service", "purpose", "transaction_ref", "supplier_id"] as Field[]),
    order: fc.array(fc.nat(), {minLength: 7, maxLength: 7})
  })
  .chain(({extras, order, lineEnd, ...rest}) => {
    const fields: Field[] = ["payment_date", "amount", "supplier_name", ...extras];
    const shuffled = fields.map((f, i) => ({f, k: order[i]!})).sort((a, b) => a.k - b.k).map((x) => x.f);
    return fc.tuple(...shuffled.map((f) => headerName(f).map((name) => ({field: f, name})))).chain((columns) =>
      fc
        .array(
          fc.oneof(
            {weight: 12, arbitrary: dataRecord(columns) as fc.Arbitrary<Line>},
            {weight: 2, arbitrary: fc.constantFrom("", "   ", rest.delimiter.repeat(columns.length - 1)).map((text) => ({kind: "blank" as const, text}))},
            {weight: 1, arbitrary: fc.constantFrom(...JUNK).map((text) => ({kind: "junk" as const, text}))}
          ),
          {maxLength: 60, size: "max"}
        )
        .chain((lines) =>
          fc
            .tuple(
              fc.array(fc.constantFrom(...lineEnd), {minLength: rest.preamble.length + lines.length + 1, maxLength: rest.preamble.length + lines.length + 1}),
              fc.array(fc.boolean(), {minLength: rest.preamble.length + lines.length + 1, maxLength: rest.preamble.length + lines.length + 1})
            )
            .map(([lineEnds, eightBit]) => ({...rest, columns, lines, lineEnds, eightBit}))
        )
    );
  });

// ---------------------------------------------------------------------------------------------
// Writing the file, and the model's expectations.

function cellText(cell: Cell): string {
  return cell.quoted ? `"${cell.text.replace(/"/g, '""')}"` : cell.text;
}

interface Written {
  bytes: Uint8Array;
  text: string;
  /** 1-based line on which each non-blank data record (data or junk) starts, with the record. */
  records: {line: number; record: Line}[];
}

function writeSpec(s: Spec): Written {
  const rows = [...s.preamble, s.columns.map((c) => cellText({text: c.name, quoted: false})).join(s.delimiter)];
  const lines: string[] = [...rows, ...s.lines.map((l) => (l.kind === "data" ? l.cells.map(cellText).join(s.delimiter) : l.text))];
  let text = "";
  const parts: Buffer[] = [];
  const starts: number[] = [];
  lines.forEach((line, i) => {
    const end = i < lines.length - 1 || s.finalLineEnd ? s.lineEnds[i]! : "";
    starts.push(text.length);
    text += line + end;
    const eightBit = s.encoding === "windows-1252" || (s.encoding === "mixed" && s.eightBit[i]);
    parts.push(eightBit ? iconv.encode(line + end, "windows-1252") : Buffer.from(line + end, "utf8"));
  });
  if (s.encoding === "utf-8-bom") parts.unshift(Buffer.from([0xef, 0xbb, 0xbf]));
  const lineAt = (offset: number) => 1 + countBreaks(text.slice(0, offset));
  const records = s.lines
    .map((record, i) => ({line: lineAt(starts[rows.length + i]!), record}))
    .filter(({record}) => record.kind === "junk" || (record.kind === "data" && record.cells.some((c) => c.text.trim() !== "")));
  return {bytes: new Uint8Array(Buffer.concat(parts)), text, records};
}

/** Line breaks as parseCsv counts them: CRLF, CR or LF, one each. */
function countBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** Records after the header that have some content, as d3-dsv reads the same text. */
function independentCount(s: Spec, text: string): number {
  const rows = dsvFormat(s.delimiter).parseRows(text);
  const header = rows.findIndex((row) => row.join("\u0000") === s.columns.map((c) => c.name).join("\u0000"));
  expect(header).toBeGreaterThanOrEqual(0);
  return rows.slice(header + 1).filter((row) => row.some((c) => c.trim() !== "")).length;
}

interface Outcome {
  error?: string;
  ledger: Ledger;
  payments: UnclassifiedPayment[];
  rejects: Reject[];
}

/** What ingest does with one file, without the store: read, then conform every table into one ledger. */
function read(s: Spec, bytes: Uint8Array): Outcome {
  const ledger = new Ledger();
  ledger.open(s.fileName, COUNCIL.code, "sha");
  const payments: UnclassifiedPayment[] = [];
  const rejects: Reject[] = [];
  try {
    for (const table of readBytes(bytes, s.fileName)) {
      ledger.describe(s.fileName, {encoding: table.encoding});
      const out = conform(
        {...table, entry: s.fileName},
        {council: COUNCIL, sha256: "sha", period: periodFromName(s.fileName), columns: SYNONYMS, repairs: ["date_amount_merged"]},
        ledger
      );
      payments.push(...out.payments);
      rejects.push(...out.rejects);
    }
  } catch (e) {
    return {error: (e as Error).message, ledger, payments: [], rejects: []};
  }
  return {ledger, payments, rejects};
}

const toPence = (pounds: string) => BigInt(pounds.replace(".", ""));
let runs = 0;
let layoutRefusals = 0;
let records = 0;
let mixedFiles = 0;

function check(s: Spec): void {
  runs++;
  const written = writeSpec(s);
  const {error, ledger, payments, rejects} = read(s, written.bytes);
  const report = ledger.reports()[0]!;
  expect(report.rows_in).toBe(report.kept + report.rejected);
  expect(toPence(report.amount_in)).toBe(toPence(report.amount_kept) + toPence(report.amount_rejected));
  if (error) {
    // A column whose values are mostly unreadable is not taken for the field; the file is then refused whole.
    expect(error.startsWith(`${s.fileName}: no column for `)).toBe(true);
    expect(error).toMatch(/: no column for (amount|payment_date|supplier_name) \(looked for /);
    layoutRefusals++;
    return;
  }
  expect(payments.length).toBe(report.kept);
  expect(rejects.length).toBe(report.rejected);
  expect(BigInt(payments.reduce((a, p) => a + p.amount_pence, 0))).toBe(toPence(report.amount_kept));
  expect(BigInt(rejects.reduce((a, r) => a + (r.amount_pence ?? 0), 0))).toBe(toPence(report.amount_rejected));

  // Every non-blank record is kept or rejected, once, at the line where it starts.
  const lines = [...payments.map((p) => p.source_row), ...rejects.map((r) => r.source_row)].sort((a, b) => a - b);
  expect(lines).toEqual(written.records.map((r) => r.line));
  expect(report.rows_in).toBe(independentCount(s, written.text));

  // The amount read in is what the generator wrote; each kept payment is the record it came from, decoded right.
  const byLine = new Map(written.records.map((r) => [r.line, r.record]));
  const expectedIn = written.records.reduce((a, {record}) => a + (record.kind === "data" && record.pence !== null ? record.pence : 0), 0);
  expect(report.amount_in).toBe(formatPence(expectedIn));
  records += written.records.length;
  if (s.encoding === "mixed" && report.encoding?.startsWith("mixed:")) mixedFiles++;
  for (const p of payments) {
    const record = byLine.get(p.source_row) as DataRecord;
    expect(p.amount_pence).toBe(record.pence);
    expect(p.supplier_name).toBe(record.supplier!.trim().replace(/\s+/g, " ") || "(name not published)");
  }
}

describe("reconciliation over generated CSV files", () => {
  it("every non-blank record is kept or rejected once, and the amounts reconcile exactly (200 files)", () => {
    fc.assert(fc.property(spec, check), {numRuns: 200, seed: 20_261_125});
    expect(runs).toBe(200);
    // The generator writes mostly valid columns: a refused layout must stay the exception.
    expect(layoutRefusals).toBeLessThan(20);
    // The runs are not trivially small, and files with both encodings really were read as mixed.
    expect(records).toBeGreaterThan(2000);
    expect(mixedFiles).toBeGreaterThan(10);
    // The generator writes mostly valid columns: a refused layout must stay the exception.
  });
});

describe("the same, through ingest() and the store", () => {
  const dir = temp("vcse-property-");
  const db = memoryDb();

  /**
   * Half the files go in ad hoc (`--files`), half through a manifest whose layout names every synonym: a
   * layout with no repairs, which ingest may hand to its DuckDB fast path rather than read in JavaScript.
   */
  it("the store holds exactly the kept rows and the rejects the report counts, at the lines written (30 files)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(spec, fc.boolean(), async (s, viaManifest) => {
        const written = writeSpec(s);
        const folder = join(dir, String(n++));
        mkdirSync(join(folder, "sources"), {recursive: true});
        mkdirSync(join(folder, "spend"));
        const path = join(folder, "spend", s.fileName);
        writeFileSync(path, written.bytes);
        const outDir = join(folder, "store");
        if (viaManifest) {
          copyFileSync("data/source.schema.json", join(folder, "source.schema.json"));
          const layout = {from: "2012-01", columns: Object.fromEntries(Object.entries(SYNONYMS).filter(([field]) => field !== "period"))};
          const manifest = {council: COUNCIL, publisher: "generated", licence: "OGL", layouts: [layout], files: [{period: "2019-04", path: `spend/${s.fileName}`}]};
          writeFileSync(join(folder, "sources", "generated.json"), JSON.stringify(manifest));
        }
        const classifier = await defaultClassifier();
        const report = viaManifest ? await ingest({dataDir: folder, outDir, classifier}) : await ingest({adhoc: {council: COUNCIL.code, files: [path]}, outDir, classifier});
        const f = report.files[0]!;
        expect(f.file).toBe(viaManifest ? `spend/${s.fileName}` : relative(process.cwd(), path));
        expect(f.rows_in).toBe(f.kept + f.rejected);
        expect(toPence(f.amount_in)).toBe(toPence(f.amount_kept) + toPence(f.amount_rejected));
        const sum = async (table: "payments" | "rejects") =>
          (
            await db().runAndReadAll(`SELECT count(*)::INTEGER AS n, coalesce(sum(amount_pence), 0)::VARCHAR AS pence FROM ${storedTableSql(outDir, table)}`)
          ).getRowObjects()[0]!;
        const [payments, rejects] = [await sum("payments"), await sum("rejects")];
        expect([payments.n, BigInt(payments.pence as string)]).toEqual([f.kept, toPence(f.amount_kept)]);
        expect([rejects.n, BigInt(rejects.pence as string)]).toEqual([f.rejected, toPence(f.amount_rejected)]);
        if (f.error) return;
        const rows = (
          await db().runAndReadAll(
            `SELECT source_row FROM ${storedTableSql(outDir, "payments")} UNION ALL SELECT source_row FROM ${storedTableSql(outDir, "rejects")} ORDER BY 1`
          )
        ).getRowObjects().map((r) => r.source_row);
        expect(rows).toEqual(written.records.map((r) => r.line));
        const expectedIn = written.records.reduce((a, {record}) => a + (record.kind === "data" && record.pence !== null ? record.pence : 0), 0);
        expect(f.amount_in).toBe(formatPence(expectedIn));
      }),
      {numRuns: 30, seed: 7}
    );
  });
});
