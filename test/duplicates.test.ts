import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {findDuplicates, paymentsSql} from "../pipeline/store/duplicates.ts";
import type {FileReport} from "../pipeline/conform/ledger.ts";
import {Store, storedTableSql} from "../pipeline/store/store.ts";
import type {Payment} from "../pipeline/types.ts";

/**
 * The duplicate rule for single payments, written the plain way (windows over every payment): paymentsSql and
 * findDuplicates compute it over only the payments whose key is in more than one file, and must agree with it
 * (plus the months a file publishes again, which the test names).
 */
function reference(storeDir: string): string {
  return `
    WITH p AS (SELECT * FROM ${storedTableSql(storeDir, "payments")}),
    files AS (SELECT source_file, row_number() OVER (ORDER BY min(payment_date), source_file) AS file_order FROM p GROUP BY source_file),
    keyed AS (
      SELECT p.*, f.file_order,
        row_number() OVER (PARTITION BY p.council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, ''), p.source_file ORDER BY source_row) AS copy
      FROM p JOIN files f USING (source_file)
    ),
    per_file AS (
      SELECT council_code, payment_date, supplier_key, amount_pence, coalesce(transaction_ref, '') AS ref, file_order, max(copy) AS copies
      FROM keyed GROUP BY ALL
    ),
    earlier AS (
      SELECT *, coalesce(max(copies) OVER (PARTITION BY council_code, payment_date, supplier_key, amount_pence, ref ORDER BY file_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM per_file
    )
    SELECT k.* EXCLUDE (copy, file_order), k.copy <= e.before AS duplicate
    FROM keyed k JOIN earlier e
      ON k.council_code = e.council_code AND k.payment_date = e.payment_date AND k.supplier_key = e.supplier_key
      AND k.amount_pence = e.amount_pence AND coalesce(k.transaction_ref, '') = e.ref AND k.file_order = e.file_order`;
}

let dir: string;

function payment(council: string, file: string, row: number, date: string, key: string, pence: number, ref: string | null): Payment {
  return {
    council_code: council, council_name: council, source_file: file, source_sha256: "x", source_row: row, payment_date: date,
    date_precision: "day", financial_year: "2019-20", amount_pence: pence, supplier_name: key, supplier_key: key, supplier_id: null,
    charity_number: null, company_number: null, service: null, expense_type: null, purpose: null, transaction_ref: ref,
    council_flag: null, redacted: false, row_kind: "transaction", sector: "private", kind: null, basis: "none", confidence: 0, matched_id: null
  };
}

const report = (file: string, council: string) => ({file, council}) as unknown as FileReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vcse-dups-"));
  const store = await Store.open(dir);
  // Council A: file 1 (April), file 2 (April again, a correction holding two of file 1's payments, one twice),
  // file 3 (May, repeating a payment of its own and one of file 1 with another reference).
  const a1 = [
    payment("E09000001", "a1.csv", 2, "2019-04-02", "ACME", 100, "R1"),
    payment("E09000001", "a1.csv", 3, "2019-04-02", "ACME", 100, "R1"),
    payment("E09000001", "a1.csv", 4, "2019-04-03", "HALL", 250, null),
    payment("E09000001", "a1.csv", 5, "2019-04-04", "TRUST", 999, "R9")
  ];
  const a2 = [
    payment("E09000001", "a2.csv", 2, "2019-04-02", "ACME", 100, "R1"),
    payment("E09000001", "a2.csv", 3, "2019-04-02", "ACME", 100, "R1"),
    payment("E09000001", "a2.csv", 4, "2019-04-02", "ACME", 100, "R1"),
    payment("E09000001", "a2.csv", 5, "2019-04-03", "HALL", 250, null),
    payment("E09000001", "a2.csv", 6, "2019-04-05", "NEW", 10, null)
  ];
  const a3 = [
    payment("E09000001", "a3.csv", 2, "2019-04-03", "HALL", 250, null),
    payment("E09000001", "a3.csv", 3, "2019-04-04", "TRUST", 999, "R8"),
    payment("E09000001", "a3.csv", 4, "2019-05-01", "SAME", 5, null),
    payment("E09000001", "a3.csv", 5, "2019-05-01", "SAME", 5, null)
  ];
  // Council B repeats council A's payments: duplicates never cross councils.
  const b1 = [payment("E09000002", "b1.csv", 2, "2019-04-02", "ACME", 100, "R1"), payment("E09000002", "b1.csv", 3, "2019-04-03", "HALL", 250, null)];
  // Council C: June published three times. c2 is a copy of c1 that lost the sign of the credit note (so only
  // 9 of its 10 June payments match exactly, all 10 by size), with a July payment of its own; c3 holds 8 of
  // c1's 10 June payments and 2 of its own: under nine in ten, so only its exact matches are duplicates.
  const june = (file: string, i: number, pence: number) => payment("E09000003", file, i + 1, "2019-06-03", `S${i}`, pence, `R${i}`);
  const c1 = [...Array.from({length: 9}, (_, i) => june("c1.csv", i + 1, 100 * (i + 1))), june("c1.csv", 10, -50)];
  const c2 = [...Array.from({length: 9}, (_, i) => june("c2.csv", i + 1, 100 * (i + 1))), june("c2.csv", 10, 50), payment("E09000003", "c2.csv", 12, "2019-07-01", "JULY", 7, "J1")];
  const c3 = [...Array.from({length: 8}, (_, i) => june("c3.csv", i + 1, 100 * (i + 1))), june("c3.csv", 11, 3), june("c3.csv", 12, 4)];
  for (const [file, rows] of [["a1.csv", a1], ["a2.csv", a2], ["a3.csv", a3], ["b1.csv", b1], ["c1.csv", c1], ["c2.csv", c2], ["c3.csv", c3]] as const) {
    await store.write(file, `sha-${file}`, "recipe", rows, [], report(file, rows[0]!.council_code));
  }
  store.close();
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("duplicate rule", () => {
  it("flags the same payments as the rule written over every payment", async () => {
    const flags = (sql: string) => query(`SELECT source_file, source_row, duplicate FROM (${sql}) ORDER BY ALL`);
    const got = await flags(paymentsSql(dir));
    // The row rule alone, and c2's June as a copy of c1's June on top of it.
    const copyJune = new Set(Array.from({length: 10}, (_, i) => `c2.csv:${i + 2}`));
    const want = (await flags(reference(dir))).map((r) => ({...r, duplicate: r.duplicate || copyJune.has(`${r.source_file}:${r.source_row}`)}));
    expect(got).toEqual(want);
    expect(got.filter((r) => r.duplicate).map((r) => `${r.source_file}:${r.source_row}`)).toEqual([
      "a2.csv:2", "a2.csv:3", "a2.csv:5", "a3.csv:2", ...copyJune, ...Array.from({length: 8}, (_, i) => `c3.csv:${i + 2}`)
    ]);
  });

  it("keeps every payment and every column", async () => {
    const count = await query(`SELECT count(*)::INTEGER AS n FROM (${paymentsSql(dir)})`);
    expect(count[0]!.n).toBe(46);
    const columns = (sql: string) => query(`SELECT column_name FROM (DESCRIBE ${sql})`);
    expect(await columns(paymentsSql(dir))).toEqual(await columns(reference(dir)));
  });

  it("counts duplicates per file, for all councils or only some", async () => {
    const all = await findDuplicates(dir);
    expect(Object.fromEntries(all)).toEqual({
      "a2.csv": {rows: 3, amount: "4.50"}, "a3.csv": {rows: 1, amount: "2.50"}, "c2.csv": {rows: 10, amount: "45.50"}, "c3.csv": {rows: 8, amount: "36.00"}
    });
    expect(Object.fromEntries(await findDuplicates(dir, undefined, ["E09000002"]))).toEqual({});
    expect(Object.fromEntries(await findDuplicates(dir, undefined, ["E09000001"]))).toEqual({"a2.csv": all.get("a2.csv"), "a3.csv": all.get("a3.csv")});
  });
});
