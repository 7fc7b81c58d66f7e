import {cpSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {zipSync} from "fflate";
import iconv from "iconv-lite";
import {describe, expect, it} from "vitest";
import {ingest, type IngestReport} from "../pipeline/ingest/ingest.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * The fast path (DuckDB) against the JavaScript path: the same files ingested both ways must give the same
 * reports (rows, amounts, reject counts by reason, encodings, layouts), the same payments and rejects column
 * for column, and the same store files. Real councils chosen for their quirks (code pages 850 and 1252,
 * byte-order marks, broken quoting that the fast path must decline, period numbers, repairs, totals,
 * register columns), and a made-up council that packs the awkward cases into a few files.
 */

const temp = tempDirs();

async function both(options: {dataDir?: string; councils?: string[]}) {
  const fastDir = temp("vcse-fast-");
  const jsDir = temp("vcse-js-");
  let taken = 0;
  // One classifier for both paths (and the file): the classifier is not what they differ in.
  const classifier = await defaultClassifier();
  const fast = await ingest({...options, outDir: fastDir, engine: "fast", classifier, onStats: (s) => (taken = s.taken)});
  const js = await ingest({...options, outDir: jsDir, engine: "javascript", classifier});
  return {fast, js, fastDir, jsDir, taken};
}

async function rows(storeDir: string, table: "payments" | "rejects"): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(`SELECT * FROM ${storedTableSql(storeDir, table)} ORDER BY ALL`);
    return result.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function outputs(storeDir: string): Record<string, string[]> {
  const state = JSON.parse(readFileSync(join(storeDir, "state.json"), "utf8")) as {files: Record<string, {outputs: string[]}>};
  return Object.fromEntries(Object.entries(state.files).map(([file, f]) => [file, [...f.outputs].sort()]).sort());
}

async function expectSame(r: {fast: IngestReport; js: IngestReport; fastDir: string; jsDir: string}) {
  expect(r.fast).toEqual(r.js);
  expect(outputs(r.fastDir)).toEqual(outputs(r.jsDir));
  expect(await rows(r.fastDir, "payments")).toEqual(await rows(r.jsDir, "payments"));
  expect(await rows(r.fastDir, "rejects")).toEqual(await rows(r.jsDir, "rejects"));
}

describe("fast path and JavaScript path", () => {
  it("give the same reports, payments, rejects and store files for real councils", async () => {
    // Hyndburn, Harrogate, Oxford, Lambeth, Wakefield, Gateshead.
    const r = await both({councils: ["E07000120", "E07000165", "E07000178", "E09000022", "E08000036", "E08000037"]});
    expect(r.taken).toBeGreaterThan(100);
    expect(r.fast.total.rows_in).toBeGreaterThan(100_000);
    await expectSame(r);
  }, 600_000);

  it("give the same results on files made of awkward cases", async () => {
    const dataDir = temp("vcse-awkward-");
    mkdirSync(join(dataDir, "sources"));
    mkdirSync(join(dataDir, "spending"));
    cpSync("data/source.schema.json", join(dataDir, "source.schema.json"));
    const header = "Date,Supplier Name,Net Amount,Charity Number,Service,Ref";
    const body = [
      "Spending over £500, April 2019",
      ",,,,,",
      header,
      '01/04/2019,"Acme, Ltd",1234.50,,Highways,A1',
      '02/04/2019,"The ""Quoted"" Trust","£1,234.56", 1234567 ,Social care,A2',
      "2019-04-03,Acme  Ltd,(500.00),,Highways,A3",
      "2019-04-03T10:00:00,\u00a0Acme Ltd\u00a0,500CR,,Highways,A4",
      "3-Apr-19,Village Hall, -12.5 ,,Community,A5",
      "43560,Scout Group,1\u00a0000.00,,Community,A6",
      "00:00:00,Hospice,750.00,1012345,Care,A7",
      ",Parish Council,100.00,,Grants,A8",
      "31/02/2019,Bad Date Ltd,100.00,,Highways,A9",
      "01/04/2030,Future Ltd,100.00,,Highways,A10",
      "13/04/2019,Day First Ltd,1.005,,Highways,A11",
      "14/04/2019,Too Many Places,1.000,,Highways,A12",
      "15/04/2019,No Amount,,,Highways,A13",
      "16/04/2019,Words,abc,,Highways,A14",
      "",
      ",,,,,",
      "  ,  ,\u00a0, , ,",
      ",Total,99999.00,,,",
      "Grand Total,,99999.00,,,",
      "17/04/2019,Short",
      header,
      "18/04/2019,,600.00,,Highways,A15",
      "18/04/2019,REDACTED PERSONAL DATA,700.00,,Care,A16",
      '19/04/2019,ab"c Ltd,800.00,,Highways,A17',
      '20/04/2019,"",900.00,"",Highways,A18',
      "21/04/2019,Acme Ltd,0.5,,Highways,",
      "21/04/2019,Acme Ltd,.5,,Highways,A19",
      "21/04/2019,Acme Ltd,5.,,Highways,A20",
      "22/04/2019,Acme Ltd,+5.00,,Highways,A21",
      "22/04/2019,Acme Ltd,GBP5.00,,Highways,A22",
      "22/04/2019,Acme Ltd,-(5.00),,Highways,A23",
      "22/04/2019,Acme Ltd,12345678901234,,Highways,A24",
      "23/04/2019,Acme Ltd,5,,Highways,A25,extra,cells"
    ];
    const crlf = body.join("\r\n") + "\r\n";
    writeFileSync(join(dataDir, "spending/a-utf8-bom.csv"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, "utf8")]));
    writeFileSync(join(dataDir, "spending/b-1252.csv"), iconv.encode(body.join("\n") + "\n", "windows-1252"));
    writeFileSync(join(dataDir, "spending/c.zip"), zipSync({"c.csv": Buffer.from(body.join("\n"), "utf8")}));
    writeFileSync(join(dataDir, "spending/d-tabs.csv"), body.map((l) => l.replaceAll(",", "\t")).join("\n"));
    // A quoted field over two lines: the fast path must decline the file, the reader copes.
    writeFileSync(join(dataDir, "spending/e-multiline.csv"), [header, '05/04/2019,"Two\nLines Ltd",100.00,,Highways,B1', "06/04/2019,Plain Ltd,200.00,,Highways,B2"].join("\n"));
    // Month-first dates: one value that cannot be day-first turns the whole column.
    writeFileSync(join(dataDir, "spending/f-mdy.csv"), [header, "04/01/2019,Acme Ltd,1.00,,Highways,C1", "04/13/2019,Acme Ltd,2.00,,Highways,C2"].join("\n"));
    // A NUL byte: text to the reader, but not something to hand DuckDB as a string; declined.
    writeFileSync(join(dataDir, "spending/g-nul.csv"), [header, "07/04/2019,Nul\u0000 Ltd,300.00,,Highways,D1"].join("\n"));
    const files = ["a-utf8-bom.csv", "b-1252.csv", "c.zip", "d-tabs.csv", "e-multiline.csv", "f-mdy.csv", "g-nul.csv"];
    writeFileSync(join(dataDir, "sources/awkward.json"), JSON.stringify({
      council: {code: "E09000001", name: "City of London Corporation"},
      publisher: "test", licence: "test",
      layouts: [{from: "2019-04", columns: {
        payment_date: ["Date"], supplier_name: ["Supplier Name"], amount: ["Net Amount"], charity_number: ["Charity Number"],
        service: ["Service"], transaction_ref: ["Ref"]
      }}],
      files: files.map((f) => ({period: "2019-04", path: `spending/${f}`}))
    }));
    const r = await both({dataDir});
    expect(r.taken).toBe(5);
    expect(r.fast.files.every((f) => !f.error)).toBe(true);
    expect(r.fast.total.rejected).toBeGreaterThan(20);
    await expectSame(r);
  }, 300_000);
});
