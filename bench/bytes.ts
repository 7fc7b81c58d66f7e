import {readFileSync, readdirSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {gzipSync} from "node:zlib";
import {councilPagesDir, councilsSummary} from "../pipeline/compact/council-pages.ts";
import {recipients} from "../pipeline/compact/recipients.ts";
import {councilYearsOverview} from "../pipeline/compact/council-years.ts";

export interface Size {
  bytes: number;
  gzip_bytes: number;
}

export interface PageBytes {
  /** The overview page's data: council-years.json (src/index.md's only FileAttachment). */
  overview: Size & {files: Record<string, Size>; target_bytes: number; met: boolean};
  /** One council's page: council/<code>.json, the largest gzipped of every council's (target: 50 KB gzipped). */
  council: Size & {code: string; councils: number; target_gzip_bytes: number; met: boolean};
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
  // Every council page's file as Framework serves it, from the folder the site build reads.
  const dir = await councilPagesDir(storeDir, dataDir);
  // A council's every-recipient file is fetched only for its download, not with the page.
  const pages = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "summary.json" && !f.endsWith("-recipients.json"))
    .map((f) => ({code: f.slice(0, -".json".length), ...size(readFileSync(join(dir, f)))}));
  const largest = pages.reduce((a, b) => (b.gzip_bytes > a.gzip_bytes ? b : a));
  const overview = size(councilYears);
  const council = {bytes: largest.bytes, gzip_bytes: largest.gzip_bytes};
  const other = {
    "data/recipients.parquet": size(await recipients("parquet", storeDir)),
    "data/council/summary.json": size(new TextEncoder().encode(JSON.stringify(await councilsSummary(storeDir, dataDir))))
  };
  return {
    overview: {...overview, files: {"data/council-years.json": overview}, target_bytes: 2e6, met: overview.bytes <= 2e6},
    council: {...council, code: largest.code, councils: pages.length, target_gzip_bytes: 50e3, met: council.gzip_bytes <= 50e3},
    other,
    engines: engines(),
    seconds: (performance.now() - started) / 1000
  };
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
