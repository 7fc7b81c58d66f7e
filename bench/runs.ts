import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {BaselineResult} from "./baseline.ts";

export interface IngestRun {
  seconds: number;
  cpu_seconds: number;
  max_rss_bytes: number;
  files: number;
  failed_files: number;
  rows_in: number;
  kept: number;
  rejected: number;
  duplicates: number;
  fast_files: number;
  js_files: number;
  /** Wall seconds in each step of the fast path, summed over batches (steps overlap). */
  phases: Record<string, number>;
}

export type BaselineRun = BaselineResult & {cpu_seconds: number; max_rss_bytes: number};

/** Runs bench/child.ts in a fresh Node process and returns what it printed. */
function child<T>(args: string[]): T {
  const result = spawnSync(process.execPath, ["--import", "tsx", "bench/child.ts", ...args], {
    encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"]
  });
  if (result.status !== 0) throw new Error(`bench/child.ts ${args[0]} failed (exit ${result.status})`);
  const last = result.stdout.trim().split("\n").pop()!;
  return JSON.parse(last) as T;
}

/** The whole pipeline (read, conform, classify, store, duplicates) over a data folder, into outDir. */
export function ingestRun(dataDir: string, outDir: string, mode: "fast" | "js" = "fast"): IngestRun {
  return child<IngestRun>(["ingest", dataDir, outDir, mode]);
}

/** DuckDB's CSV-to-Parquet copy over the same files. */
export function baselineRun(files: string[]): BaselineRun {
  const dir = mkdtempSync(join(tmpdir(), "vcse-bench-baseline-"));
  try {
    const list = join(dir, "files.json");
    writeFileSync(list, JSON.stringify(files));
    return child<BaselineRun>(["baseline", join(dir, "out"), list]);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
