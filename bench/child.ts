/**
 * One timed run in its own process, so that its peak memory (maxRSS, DuckDB's native memory included) is its
 * own: `tsx bench/child.ts ingest <dataDir> <outDir>` or `tsx bench/child.ts baseline <outDir> <files.json>`.
 * Prints one JSON object.
 */
import {readFileSync} from "node:fs";
import {ingest} from "../pipeline/ingest/ingest.ts";
import type {IngestStats} from "../pipeline/ingest/ingest-stats.ts";
import {runBaseline} from "./baseline.ts";

const [mode, ...args] = process.argv.slice(2);
if (mode === "ingest") {
  const [dataDir, outDir, fast] = args as [string, string, string?];
  const started = performance.now();
  const cpu = process.cpuUsage();
  let stats!: IngestStats;
  const report = await ingest({dataDir, outDir, engine: fast === "js" ? "javascript" : "auto", onStats: (s) => (stats = s)});
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  const {total} = report;
  console.log(JSON.stringify({
    seconds, cpu_seconds: (used.user + used.system) / 1e6, max_rss_bytes: process.resourceUsage().maxRSS * 1024,
    files: total.files, failed_files: total.failed_files, rows_in: total.rows_in, kept: total.kept, rejected: total.rejected,
    duplicates: total.duplicates, fast_files: stats.taken, js_files: stats.declined,
    phases: Object.fromEntries(Object.entries(stats.phases).map(([k, v]) => [k, Math.round(v * 100) / 100]))
  }));
} else if (mode === "baseline") {
  const [outDir, list] = args as [string, string];
  const files = JSON.parse(readFileSync(list, "utf8")) as string[];
  const cpu = process.cpuUsage();
  const result = await runBaseline(files, outDir);
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({...result, cpu_seconds: (used.user + used.system) / 1e6, max_rss_bytes: process.resourceUsage().maxRSS * 1024}));
} else {
  throw new Error("usage: child.ts ingest <dataDir> <outDir> [js] | baseline <outDir> <files.json>");
}
