import {cpSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import type {Classifier} from "../pipeline/classify/classify.ts";
import {ingest, type IngestOptions} from "../pipeline/ingest/ingest.ts";
import {IngestRun} from "../pipeline/ingest/ingest-run.ts";
import type {IngestStats} from "../pipeline/ingest/ingest-stats.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import type {Sector} from "../pipeline/types.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * Two ingests in one process share nothing: each run's classifier is asked about its own files (no answer
 * remembered from an earlier run, even with the same classifier), and each run's stats count its own files.
 */

const temp = tempDirs();
const SUPPLIERS = ["Acme Ltd", "Village Hall", "Scout Group", "Hospice"];

/** A data folder of one council whose files (all plain, so the fast path reads each) pay the suppliers in turn. */
function dataFolder(code: string, files: number): {dataDir: string; rows: number} {
  const dataDir = temp("vcse-run-data-");
  mkdirSync(join(dataDir, "sources"));
  mkdirSync(join(dataDir, "spending"));
  cpSync("data/source.schema.json", join(dataDir, "source.schema.json"));
  const names = Array.from({length: files}, (_, i) => `spend-${i + 1}.csv`);
  names.forEach((name, i) => {
    const lines = SUPPLIERS.map((s, k) => `0${k + 1}/04/2019,${s},${100 * (i + 1) + k}.00`);
    writeFileSync(join(dataDir, "spending", name), ["Date,Supplier Name,Amount", ...lines].join("\n") + "\n");
  });
  writeFileSync(join(dataDir, "sources", `${code}.json`), JSON.stringify({
    council: {code, name: `Council ${code}`},
    publisher: "test", licence: "test",
    layouts: [{from: "2019-04", columns: {payment_date: ["Date"], supplier_name: ["Supplier Name"], amount: ["Amount"]}}],
    files: names.map((f) => ({period: "2019-04", path: `spending/${f}`}))
  }));
  return {dataDir, rows: files * SUPPLIERS.length};
}

/** A classifier that answers every supplier with whatever sector the table holds when it is asked. */
function tableClassifier(table: {sector: Sector}): Classifier & {asked: number} {
  const c = {
    asked: 0,
    classify() {
      c.asked++;
      return {sector: table.sector, kind: null, basis: "override" as const, confidence: 1, matched_id: null};
    }
  };
  return c;
}

async function sectors(storeDir: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(`SELECT sector, count(*)::INTEGER AS n FROM ${storedTableSql(storeDir, "payments")} GROUP BY ALL`);
    return Object.fromEntries(result.getRows() as [string, number][]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function run(options: IngestOptions): Promise<{stats: IngestStats; rows: number; storeDir: string}> {
  const storeDir = temp("vcse-run-store-");
  let stats: IngestStats | undefined;
  const report = await ingest({...options, outDir: storeDir, engine: "fast", onStats: (s) => (stats = s)});
  return {stats: stats!, rows: report.total.kept, storeDir};
}

describe("two ingests in one process", () => {
  it("ask the same classifier again: a run remembers no answer from the run before it", async () => {
    const {dataDir, rows} = dataFolder("E09000001", 3);
    const table: {sector: Sector} = {sector: "vcse"};
    const classifier = tableClassifier(table);
    const first = await run({dataDir, classifier});
    expect(first.rows).toBe(rows);
    expect(await sectors(first.storeDir)).toEqual({vcse: rows});
    const askedFirst = classifier.asked;
    expect(askedFirst).toBeGreaterThanOrEqual(SUPPLIERS.length);
    table.sector = "private";
    const second = await run({dataDir, classifier});
    expect(await sectors(second.storeDir)).toEqual({private: rows});
    expect(classifier.asked - askedFirst).toBe(askedFirst);
  });

  it("running side by side, give each its own classifier's answers and count only their own files", async () => {
    const a = dataFolder("E09000001", 3);
    const b = dataFolder("E07000120", 5);
    const [ra, rb] = await Promise.all([
      run({dataDir: a.dataDir, classifier: tableClassifier({sector: "vcse"})}),
      run({dataDir: b.dataDir, classifier: tableClassifier({sector: "public"})})
    ]);
    expect(await sectors(ra.storeDir)).toEqual({vcse: a.rows});
    expect(await sectors(rb.storeDir)).toEqual({public: b.rows});
    expect([ra.stats.taken, ra.stats.declined]).toEqual([3, 0]);
    expect([rb.stats.taken, rb.stats.declined]).toEqual([5, 0]);
    expect(ra.stats).not.toBe(rb.stats);
    const again = await run({dataDir: a.dataDir, classifier: tableClassifier({sector: "unknown"})});
    expect([again.stats.taken, again.stats.declined]).toEqual([3, 0]);
    expect(await sectors(again.storeDir)).toEqual({unknown: a.rows});
  });

  it("given no classifier, each load their own default one, once", async () => {
    const a = new IngestRun();
    const b = new IngestRun();
    const [a1, a2, b1] = await Promise.all([a.classifier(), a.classifier(), b.classifier()]);
    expect(a1).toBe(a2);
    expect(b1).not.toBe(a1);
    expect(a1.classify({name: "Village Hall"})).toEqual(b1.classify({name: "Village Hall"}));
  });
});
