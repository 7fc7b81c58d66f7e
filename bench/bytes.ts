import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {gzipSync} from "node:zlib";
import {DuckDBInstance} from "@duckdb/node-api";
import {councilDetail, councilsSummary} from "../pipeline/compact/council-pages.ts";
import {recipients} from "../pipeline/compact/recipients.ts";
import {councilYearsOverview} from "../pipeline/compact/council-years.ts";
import {storedTableSql} from "../pipeline/store/store.ts";

export interface Size {
  bytes: number;
  gzip_bytes: number;
}

export interface PageBytes {
  /** The overview page's data: council-years.json (src/index.md's only FileAttachment). */
  overview: Size & {files: Record<string, Size>; target_bytes: number; met: boolean};
  /** One council's page: council/<code>.json, for the council with the most payments. */
  council: Size & {code: string; payments: number; target_bytes: number; met: boolean};
  /** Data of other pages, for the record: the Recipients page's index, the Councils page's summary. */
  other: Record<string, Size>;
  /** Engines the pages load besides their data (not counted above). */
  engines: Record<string, Size>;
  seconds: number;
}

const size = (bytes: Uint8Array): Size => ({bytes: bytes.length, gzip_bytes: gzipSync(bytes).length});

/** Bytes of the data the pages load, computed from a store by the same functions the data loaders call. */
export async function pageBytes(storeDir: string, dataDir: string): Promise<PageBytes> {
  const started = performance.now();
  const councilYears = new TextEncoder().encode(JSON.stringify(await councilYearsOverview(storeDir)));
  const biggest = await largestCouncil(storeDir);
  const detail = new TextEncoder().encode(JSON.stringify(await councilDetail(biggest.code, storeDir, dataDir)));
  const overview = size(councilYears);
  const council = size(detail);
  const other = {
    "data/recipients.parquet": size(await recipients("parquet", storeDir)),
    "data/council/summary.json": size(new TextEncoder().encode(JSON.stringify(await councilsSummary(storeDir, dataDir))))
  };
  return {
    overview: {...overview, files: {"data/council-years.json": overview}, target_bytes: 2e6, met: overview.bytes <= 2e6},
    council: {...council, code: biggest.code, payments: biggest.payments, target_bytes: 1e6, met: council.bytes <= 1e6},
    other,
    engines: engines(),
    seconds: (performance.now() - started) / 1000
  };
}

async function largestCouncil(storeDir: string): Promise<{code: string; payments: number}> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const rows = await connection.runAndReadAll(
      `SELECT council_code, count(*)::INTEGER AS n FROM ${storedTableSql(storeDir, "payments")} GROUP BY ALL ORDER BY n DESC, council_code LIMIT 1`
    );
    const [code, payments] = rows.getRows()[0] as [string, number];
    return {code, payments};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** DuckDB-WASM (the exception-handling build Chromium gets, and its worker) and parquet-wasm, as shipped. */
function engines(): Record<string, Size> {
  const require = createRequire(import.meta.url);
  const duckdb = join(dirname(require.resolve("@duckdb/duckdb-wasm")), "..");
  const parquet = join(dirname(require.resolve("parquet-wasm")), "..");
  const file = (path: string) => size(readFileSync(path));
  const sum = (a: Size, b: Size): Size => ({bytes: a.bytes + b.bytes, gzip_bytes: a.gzip_bytes + b.gzip_bytes});
  return {
    "duckdb-wasm (duckdb-eh.wasm + worker)": sum(file(join(duckdb, "dist/duckdb-eh.wasm")), file(join(duckdb, "dist/duckdb-browser-eh.worker.js"))),
    "parquet-wasm (parquet_wasm_bg.wasm)": file(join(parquet, "esm/parquet_wasm_bg.wasm"))
  };
}
