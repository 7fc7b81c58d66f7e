import {resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {conform, conformPlan, NO_HEADER, type ConformOptions} from "../pipeline/conform/conform.ts";
import {Ledger} from "../pipeline/conform/ledger.ts";
import {parsePeriod} from "../pipeline/conform/parse-period.ts";
import {readPath} from "../pipeline/read/read-file.ts";
import {layoutFor, readManifests} from "../pipeline/sources/manifest.ts";
import {SYNONYMS} from "../pipeline/conform/synonyms.ts";

const KEY = ["supplier_name", "amount", "payment_date"] as const;

/**
 * Each embedded council read as if its manifest were hidden: the inferred layout against the one its manifest
 * declares, and the kept rows and sum against what the manifest's reading keeps (which test/ingest.test.ts checks
 * against an independent reader).
 */
describe("leave one council out: inference against each embedded council's manifest", async () => {
  const rows: {council: string; files: number; tables: number; fieldsMatch: number; fields: number; rowsIn: number; rejected: number; refused: number; sumsEqual: number; headerless: number}[] = [];
  for (const m of readManifests("data")) {
    const row = {council: m.council.name, files: 0, tables: 0, fieldsMatch: 0, fields: 0, rowsIn: 0, rejected: 0, refused: 0, sumsEqual: 0, headerless: 0};
    for (const f of m.files) {
      const {from: _from, ...layout} = layoutFor(m, f);
      const period = parsePeriod(f.period);
      const base = {council: m.council, sha256: "sha", period, latest: "2030-12-31"};
      let tables;
      try {
        tables = await readPath(resolve("data", f.path), f.path);
      } catch {
        continue;
      }
      row.files++;
      for (const table of tables) {
        const declared: ConformOptions = {...base, ...layout};
        let plan;
        try {
          plan = conformPlan(table, declared);
        } catch {
          continue;
        }
        row.tables++;
        const hidden: ConformOptions = {...base, columns: SYNONYMS, repairs: ["date_amount_merged"], infer: {}};
        const run = (o: ConformOptions) => {
          const ledger = new Ledger();
          ledger.open(table.entry, m.council.code, "sha");
          conform(table, o, ledger);
          return ledger.reports()[0]!;
        };
        const want = run(declared);
        let got;
        try {
          got = run(hidden);
        } catch (e) {
          // A file published with no header row borrows a sibling's in ingest; read alone it has none to infer from.
          if (String(e).endsWith(NO_HEADER)) row.headerless++;
          row.refused++;
          row.fields += KEY.length;
          row.rowsIn += want.rows_in;
          row.rejected += want.rows_in;
          continue;
        }
        const inferred = conformPlan(table, hidden).map;
        for (const k of KEY) {
          row.fields++;
          if (inferred[k] === plan.map[k]) row.fieldsMatch++;
        }
        row.rowsIn += got.rows_in;
        row.rejected += got.rejected - (got.rejected_by_reason.missing_amount ?? 0);
        if (got.amount_kept === want.amount_kept && got.kept === want.kept) row.sumsEqual++;
      }
    }
    rows.push(row);
  }

  it("reports the table", () => {
    const lines = rows.map((r) => `| ${r.council} | ${r.files} | ${r.tables} | ${r.refused} | ${(100 * r.rejected / (r.rowsIn || 1)).toFixed(2)}% | ${r.fieldsMatch}/${r.fields} | ${r.sumsEqual}/${r.tables} |`);
    console.log(["| Council | Files read | Tables | Refused | Rows rejected (beyond no amount) | Supplier/amount/date as manifest | Tables kept equal to manifest's |", "|---|---|---|---|---|---|---|", ...lines].join("\n"));
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const r of rows) {
      expect(r.refused, r.council).toBe(r.headerless);
      expect(r.sumsEqual, r.council).toBe(r.tables - r.refused);
      expect(r.fieldsMatch / r.fields, r.council).toBeGreaterThanOrEqual(0.95);
    }
  });
});
