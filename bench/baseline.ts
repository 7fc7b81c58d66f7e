import {isUtf8} from "node:buffer";
import {mkdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";

export interface BaselineResult {
  seconds: number;
  files: number;
  failed: number;
  rows: number;
  bytes: number;
}

/**
 * The yardstick: DuckDB's own CSV-to-Parquet copy, `COPY (SELECT * FROM read_csv(...)) TO … (FORMAT parquet)`,
 * file by file over the same CSV bytes the pipeline reads. Every column as text (the pipeline reads text
 * too), DuckDB's sniffer for the dialect, lenient about broken rows so that it finishes; Latin-1 for files
 * that are not UTF-8 (DuckDB has no Windows-1252 without an extension).
 */
export async function runBaseline(files: string[], outDir: string): Promise<BaselineResult> {
  rmSync(outDir, {recursive: true, force: true});
  mkdirSync(outDir, {recursive: true});
  const started = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  let failed = 0;
  let rows = 0;
  let bytes = 0;
  try {
    for (const [i, file] of files.entries()) {
      const head = readFileSync(file);
      bytes += head.length;
      const encoding = head[0] === 0xff && head[1] === 0xfe ? "utf-16" : isUtf8(head) ? "utf-8" : "latin-1";
      const options = `all_varchar = true, strict_mode = false, ignore_errors = true, encoding = '${encoding}'`;
      try {
        const result = await connection.runAndReadAll(
          `COPY (SELECT * FROM read_csv('${file.replaceAll("'", "''")}', ${options})) TO '${join(outDir, `${i}.parquet`)}' (FORMAT parquet)`
        );
        rows += Number(result.getRows()[0]?.[0] ?? 0);
      } catch {
        failed++;
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const seconds = (performance.now() - started) / 1000;
  rmSync(outDir, {recursive: true, force: true});
  return {seconds, files: files.length, failed, rows, bytes};
}
