import {cpSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {csvParseRows} from "d3-dsv";
import {unzipSync} from "fflate";
import iconv from "iconv-lite";
import {DuckDBInstance} from "@duckdb/node-api";
import {beforeAll, describe, expect, it} from "vitest";
import {ingest, type IngestReport} from "../pipeline/ingest/ingest.ts";
import {layoutFor, readManifests} from "../pipeline/sources/manifest.ts";
import {councilYearsFullSql} from "../pipeline/compact/council-years.ts";
import {queryRows} from "../pipeline/compact/query.ts";
import {readMonthOnce} from "./month-once-oracle.ts";
import {embeddedStore} from "./embedded-store.ts";

/**
 * The whole pipeline over every embedded council, checked against an oracle written independently here:
 * d3-dsv instead of our CSV reader, fflate and iconv directly, a plain amount reader, and the manifest's
 * amount column found by a simple name comparison. Row counts and amount sums must agree per file. The store and
 * its report are the embedded store the tests share (embedded-store.ts), built for the code and data as they are.
 */

interface Oracle {
  rows: number;
  pence: bigint;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function oraclePence(text: string): bigint | null {
  let s = text.trim().replace(/[£\s]|\u0153/g, "").replaceAll(",", "");
  let sign = 1n;
  const strip = (test: boolean, start: number, end: number) => {
    if (!test) return;
    s = s.slice(start, s.length - end);
    sign = -sign;
  };
  strip(/^\(.*\)$/.test(s), 1, 1);
  strip(/cr$/i.test(s), 0, 2);
  strip(s.endsWith("-"), 0, 1);
  if (!/^-?\d*\.?\d*$/.test(s) || !/\d/.test(s)) return null;
  strip(s.startsWith("-"), 1, 0);
  const [whole = "0", fraction = ""] = s.split(".");
  if (fraction.replace(/0+$/, "").length > 2) return null;
  return sign * (BigInt(whole || "0") * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2)));
}

function oracleText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", {fatal: true}).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return iconv.decode(Buffer.from(bytes), "windows-1252");
  }
}

function oracle(path: string, amountNames: string[], headerless?: string[]): Oracle {
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith(".zip")) bytes = Object.values(unzipSync(bytes))[0]!;
  const rows = csvParseRows(oracleText(bytes));
  const wanted = amountNames.map(squash);
  let header = rows.slice(0, 40).findIndex((r) => r.filter((c) => c.trim()).length >= 2 && r.some((c) => wanted.includes(squash(c))));
  const names = header >= 0 ? rows[header]! : headerless!;
  if (header < 0 && !headerless) throw new Error(`${path}: oracle found no header`);
  if (header < 0) header = -1;
  const amountAt = names.findIndex((c) => squash(c) === wanted.find((w) => names.some((n) => squash(n) === w)));
  const width = names.length;
  let count = 0;
  let pence = 0n;
  for (const row of rows.slice(header + 1)) {
    if (!row.some((c) => c.trim())) continue;
    count++;
    let value = oraclePence(row[amountAt] ?? "");
    if (value === null && row.length === width - 1) {
      const merged = row.find((c) => /^\d{1,2}\/\d{1,2}\/\d{4}\d/.test(c.trim()));
      if (merged) value = oraclePence(merged.trim().slice(merged.trim().indexOf("/", 3) + 5));
    }
    pence += value ?? 0n;
  }
  return {rows: count, pence};
}

const toPence = (pounds: string) => BigInt(pounds.replace(".", ""));

let report: IngestReport;
let store: string;

beforeAll(async () => {
  ({dir: store, report} = await embeddedStore());
}, 600_000);

describe("ingest of every embedded council", () => {
  const manifests = readManifests("data");
  const files = manifests.flatMap((m) => m.files.map((f) => ({m, f})));

  it("reads every file of every manifest, and none fails", () => {
    expect(report.files.map((f) => f.file).sort()).toEqual(files.map(({f}) => f.path).sort());
    expect(report.files.filter((f) => f.error)).toEqual([]);
    expect(manifests.length).toBeGreaterThanOrEqual(10);
  });

  it("agrees with the independent oracle on rows and amounts, file by file", () => {
    const mismatches: string[] = [];
    for (const {m, f} of files) {
      const layout = layoutFor(m, f);
      const want = oracle(join("data", f.path), layout.columns.amount!, layout.headerless_columns);
      const got = report.files.find((r) => r.file === f.path)!;
      if (got.rows_in !== want.rows || toPence(got.amount_in) !== want.pence) {
        mismatches.push(`${f.path}: pipeline ${got.rows_in} rows £${got.amount_in}, oracle ${want.rows} rows ${want.pence}p`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("reconciles every file: rows in = kept + rejected, and amounts to the penny", () => {
    for (const f of report.files) {
      expect(f.rows_in, f.file).toBe(f.kept + f.rejected);
      expect(toPence(f.amount_in), f.file).toBe(toPence(f.amount_kept) + toPence(f.amount_rejected));
      expect(Object.values(f.rejected_by_reason).reduce((a, b) => a + b, 0), f.file).toBe(f.rejected);
    }
    const t = report.total;
    expect(t.rows_in).toBe(report.files.reduce((a, f) => a + f.rows_in, 0));
    expect(t.kept + t.rejected).toBe(t.rows_in);
  });

  it("rejects under 1% of rows for every council", () => {
    for (const c of report.councils) expect(c.rejected / c.rows_in, c.council_name).toBeLessThan(0.01);
  });

  it("stores exactly the kept rows and amounts, and every reject", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const read = async (table: string) =>
      (
        await connection.runAndReadAll(
          `SELECT source_file, count(*)::INTEGER AS n, coalesce(sum(amount_pence), 0)::VARCHAR AS pence FROM read_parquet('${store}/${table}/**/*.parquet', hive_partitioning = true) GROUP BY source_file`
        )
      ).getRowObjects();
    const payments = new Map((await read("payments")).map((r) => [r.source_file as string, r]));
    const rejects = new Map((await read("rejects")).map((r) => [r.source_file as string, r]));
    for (const f of report.files) {
      expect(payments.get(f.file)?.n ?? 0, f.file).toBe(f.kept);
      expect(BigInt((payments.get(f.file)?.pence as string) ?? "0"), f.file).toBe(toPence(f.amount_kept));
      expect(rejects.get(f.file)?.n ?? 0, f.file).toBe(f.rejected);
    }
    connection.closeSync();
    instance.closeSync();
  });

  it("marks Lambeth's 2011-12 supplier totals as totals and its June 2012 rows as transactions", () => {
    const lambeth = report.councils.find((c) => c.council === "E09000022")!;
    expect(lambeth.financial_years).toEqual(["2010-11", "2011-12", "2012-13"]);
    const june = report.files.find((f) => f.file.endsWith("2012-06-payments.csv"))!;
    expect(june.repaired).toBeGreaterThan(600);
    expect(june.preamble_lines).toBe(9);
  });

  it("sums the Greater London Authority's years as an independent reading of its four-weekly files does", async () => {
    const gla = manifests.find((m) => m.council.code === "E61000001")!;
    const want = new Map<string, bigint>();
    for (const f of gla.files) {
      const [header, ...rows] = csvParseRows(oracleText(Object.values(unzipSync(readFileSync(join("data", f.path))))[0]!));
      const [amount, date] = ["Amount", "Clearing Date"].map((n) => header!.indexOf(n));
      for (const row of rows) {
        if (!row.some((c) => c.trim())) continue;
        // A line with no clearing date is dated by its file's period, as the pipeline dates it.
        const day = row[date!]?.trim() || `${f.period.slice(0, 7)}-01`;
        const start = +day.slice(0, 4) - (+day.slice(5, 7) < 4 ? 1 : 0);
        const year = `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
        want.set(year, (want.get(year) ?? 0n) + (oraclePence(row[amount!]!) ?? 0n));
      }
    }
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const got = (await connection.runAndReadAll(
      `SELECT financial_year AS fy, sum(amount_pence)::VARCHAR AS pence FROM read_parquet('${store}/payments/**/*.parquet', hive_partitioning = true) WHERE council_code = 'E61000001' GROUP BY 1`
    )).getRowObjects();
    connection.closeSync();
    instance.closeSync();
    expect(new Map(got.map((r) => [r.fy as string, BigInt(r.pence as string)]))).toEqual(want);
    expect([...want.keys()].sort()).toEqual(["2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]);
  });

  it("sums Manchester's years as an independent reading does, each month its own files and a copy both hold counted once", async () => {
    const manchester = manifests.find((m) => m.council.code === "E08000003")!;
    const reading = readMonthOnce("data", manchester.files, {date: "Invoice Payment Date", amount: ["Net Amount", "Amount"], supplier: "Supplier Name"});
    // FY 2019-20 is held twice: the council's own files (listed first) and a copy whose credit notes lost their sign.
    expect(reading.copies.map((c) => c.month)).toEqual(["2019-04", "2019-05", "2019-06", "2019-07", "2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01", "2020-02", "2020-03"]);
    for (const c of reading.copies) {
      expect(c.kept, c.month).toMatch(/manchester-archive\//);
      expect(c.rows[0], c.month).toBe(c.rows[1]);
      expect(c.same_sizes, c.month).toBe(true);
      expect(c.pence[1], c.month).toBeGreaterThan(c.pence[0]);
    }
    // The copy's months, whole, are the only duplicates anywhere: its rows that lost a sign are found too.
    expect(report.files.filter((f) => (f.duplicates ?? 0) > 0).map((f) => [f.file, f.duplicates]).sort()).toEqual(
      reading.copies.map((c) => [c.left_out, c.rows[1]]).sort()
    );
    // The payments that count (duplicates left out), as every figure of the site reads them.
    const got = await queryRows((counted) => `SELECT financial_year AS fy, sum(amount_pence)::VARCHAR AS pence FROM ${counted} WHERE council_code = 'E08000003' GROUP BY 1`, store);
    expect(new Map(got.map((r) => [r.fy as string, BigInt(r.pence as string)]))).toEqual(reading.years);
    // The council page's years, by the query its data comes from (a full year has all twelve months covered).
    const years = (await queryRows((counted) => `SELECT financial_year, any_value(months) AS months FROM (${councilYearsFullSql(counted)}) WHERE council_code = 'E08000003' GROUP BY 1 ORDER BY 1`, store)) as {financial_year: string; months: number}[];
    expect(years.map((y) => y.financial_year)).toEqual([...reading.years.keys()].sort());
    expect(years.filter((y) => y.months === 12).map((y) => y.financial_year)).toEqual(["2011-12", "2012-13", "2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21"]);
    expect(years.map((y) => y.months)).toEqual([4, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 9]);
  });

  it("does not read an unchanged file again", async () => {
    const copy = mkdtempSync(join(tmpdir(), "vcse-ingest-again-"));
    try {
      cpSync(store, copy, {recursive: true});
      const read: string[] = [];
      const again = await ingest({outDir: copy, log: (m) => read.push(m)});
      expect(read).toEqual([]);
      expect(again.total).toEqual(report.total);
    } finally {
      rmSync(copy, {recursive: true, force: true});
    }
  });
});

describe("classification of the organisations named in the classification issue, on the embedded data", () => {
  // Each organisation as the councils' files spell it (a case-insensitive pattern over supplier names), with
  // the sector the design gives it. Every payment to it must carry that sector, and it must be paid.
  const named: [RegExp, string][] = [
    [/^(THE )?TOGETHER TRUST$/i, "vcse"],
    [/^IMAGINE ACT AND SUCCEED/i, "vcse"],
    [/^MAKING SPACE$/i, "vcse"],
    [/^(THE )?DAVID LEWIS CENTRE$/i, "vcse"],
    [/^SEASHELL TRUST/i, "vcse"],
    [/^(THE )?LOWRY CENTRE TRUST$/i, "vcse"],
    [/^SALFORD COMMUNITY (&|AND) VOL/i, "vcse"],
    [/^(THE )?GROUNDWORK SOUTH TRUST/i, "vcse"],
    [/^(THE )?RIVERSIDE GROUP/i, "housing_association"],
    [/^WAKEFIELD (&|AND) DISTRICT HOUSING/i, "housing_association"],
    [/^(THE )?ABBEYFIELD/i, "housing_association"],
    [/^YORKSHIRE HOUSING FOUNDATION$/i, "housing_association"],
    [/^CHAIGELEY EDUCATION(AL)? FOUNDATION$/i, "public"],
    [/^THAMES REACH BONDWAY$/i, "vcse"],
    [/^BARNARDO SERVICES (LTD|LIMITED)/i, "vcse"],
    [/^NORWOOD SCHOOLS/i, "public"],
    [/^WAKEFIELD GIRLS HIGH SCHOOL$/i, "public"],
    [/^MOORLANDS SCHOOL$/i, "public"],
    [/NHS FT CHARITY$/i, "public"],
    [/^(THE )?CO-?OP(ERATIVE)? (FUNERAL ?CARE|CHILDCARE)/i, "private"],
    [/^LEGAL (&|AND) GENERAL ASSURANCE SOCIETY/i, "private"],
    [/^(THE )?FIRE PROTECTION ASSOCIATION$/i, "private"],
    [/^ROAD SAFETY MARKINGS ASSOCIATION$/i, "private"],
    [/^(THE )?ROYAL TOWN PLANNING INSTITUTE/i, "private"],
    [/^CHARTERED INSTITUTE OF HOUSING$/i, "private"],
    [/^GREATER MANCHESTER COMBINED AUTHORI$/i, "public"],
    [/^GMCA$/i, "public"],
    [/^GREATER MANCHESTER SUPERANN/i, "public"],
    [/^TEACHERS'? PENSIONS/i, "public"],
    [/^CENTRAL MCR UNI HOSPITAL/i, "public"],
    [/^GREATER MANCHESTER MENTAL HEALTH/i, "public"],
    [/^(MAN\. CITIZENS ADVICE BUREAUX|CITIZENS ADVICE MANCHESTER)$/i, "vcse"]
  ];

  it("gives every payment to each named organisation its expected sector", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        `SELECT supplier_name, sector, sum(amount_pence)::VARCHAR AS pence FROM read_parquet('${store}/payments/**/*.parquet', hive_partitioning = true) GROUP BY ALL`
      )
    ).getRowObjects() as {supplier_name: string; sector: string; pence: string}[];
    connection.closeSync();
    instance.closeSync();
    for (const [pattern, sector] of named) {
      const paid = rows.filter((r) => pattern.test(r.supplier_name));
      expect(paid.length, String(pattern)).toBeGreaterThan(0);
      expect(paid.filter((r) => r.sector !== sector).map((r) => `${r.supplier_name}: ${r.sector}`), String(pattern)).toEqual([]);
    }
  });

  it("leaves under 10% of the embedded pounds unknown", async () => {
    const [row] = (await queryRows(
      (counted) => `SELECT sum(amount_pence) FILTER (WHERE sector = 'unknown')::DOUBLE AS unknown, sum(amount_pence)::DOUBLE AS total FROM ${counted}`, store
    )) as {unknown: number; total: number}[];
    expect(row!.total).toBeGreaterThan(0);
    expect(row!.unknown / row!.total).toBeLessThan(0.1);
  });
});

describe("recipients on the embedded data", () => {
  it("joins councils under one VCSE organisation only where a register knows it, and keeps every pound of the named sectors", async () => {
        const {recipientsSql, NAMED_SECTORS} = await import("../pipeline/compact/recipients.ts");
    const rows = (await queryRows(recipientsSql, store)) as {key: string; sector: string; basis: string; council_code: string; amount: number}[];
    const councilsOf = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!councilsOf.has(r.key)) councilsOf.set(r.key, new Set());
      councilsOf.get(r.key)!.add(r.council_code);
    }
    const generic = rows.filter((r) => r.key.endsWith(` @${r.council_code}`));
    expect(generic.length).toBeGreaterThan(0);
    for (const r of rows) {
      if (r.sector === "vcse" && councilsOf.get(r.key)!.size > 1) expect(["registry_id", "registry_name", "registry_name_prefix", "override"], r.key).toContain(r.basis);
    }
    const sectors = NAMED_SECTORS.map((s) => `'${s}'`).join(", ");
    const [expected] = (await queryRows((counted) => `SELECT sum(amount_pence)::DOUBLE / 100 AS pounds FROM ${counted} WHERE sector IN (${sectors}) AND NOT redacted`, store)) as {pounds: number}[];
    expect(rows.reduce((s, r) => s + r.amount, 0)).toBeCloseTo(expected!.pounds, 0);
  });
});

describe("the supplier classification download on the embedded data", () => {
  it("holds every pound once, and no individual's or redacted name", async () => {
        const {suppliersSql} = await import("../pipeline/compact/suppliers.ts");
    const rows = (await queryRows(suppliersSql, store)) as {supplier_name: string; sector: string; amount: number; payments: number}[];
    // Every kept pound that counts: duplicates across files are left out of the download as of every figure.
    const total = report.files.reduce((s, f) => s + Number(f.amount_kept) - Number(f.amount_duplicates ?? 0), 0);
    expect(rows.reduce((s, r) => s + r.amount, 0)).toBeCloseTo(total, 0);
    expect(rows.reduce((s, r) => s + r.payments, 0)).toBe(report.files.reduce((s, f) => s + f.kept - (f.duplicates ?? 0), 0));
    for (const r of rows.filter((r) => r.sector === "individual")) expect(r.supplier_name).toBe("withheld");
  });
});
