import {cpus, freemem, loadavg, totalmem, type as osType, release} from "node:os";
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";

export interface Machine {
  description: string;
  cpu: string;
  cores: number;
  memory_gb: number;
  free_memory_gb: number;
  os: string;
  node: string;
  duckdb: string;
  /** 1-minute load average when the run started: other work on a shared machine slows every figure. */
  load_average: number[];
}

/** What the figures were measured on; ratios to the baseline, measured in the same run, travel better than seconds. */
export function machine(): Machine {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const gb = (b: number) => Math.round((b / 2 ** 30) * 10) / 10;
  const require = createRequire(import.meta.url);
  let duckdb = "unknown";
  try {
    duckdb = (JSON.parse(readFileSync(require.resolve("@duckdb/node-api/package.json"), "utf8")) as {version: string}).version;
  } catch {
    // left unknown
  }
  const m = {
    cpu, cores: cpus().length, memory_gb: gb(totalmem()), free_memory_gb: gb(freemem()), os: `${osType()} ${release()}`,
    node: process.version, duckdb: `@duckdb/node-api ${duckdb}`, load_average: loadavg().map((l) => Math.round(l * 100) / 100)
  };
  return {description: `${m.cores} × ${cpu}, ${m.memory_gb} GB, ${m.os}, Node ${m.node}, ${m.duckdb}; load ${m.load_average[0]} at start`, ...m};
}
