import type {Period} from "../conform/parse-period.ts";
import type {FileReport} from "../conform/ledger.ts";
import type {InferOptions} from "../conform/infer-layout.ts";
import type {Layout} from "../sources/manifest.ts";

/** One file to ingest, with what is known about it before reading. */
export interface Job {
  council: {code: string; name: string};
  /** Absolute path on disk. */
  path: string;
  /** Stable id: path relative to the data folder, or as given on the command line. */
  sourceFile: string;
  period: Period | null;
  /** `infer` (files no manifest describes): columns inferred from header words and cells, `forced` ones first. */
  layout: Omit<Layout, "from"> & {infer?: InferOptions};
}

/** A file for the fast path: its job, its bytes and what names its outputs. */
export interface FastJob {
  job: Job;
  bytes: Uint8Array;
  sha256: string;
  recipe: string;
}

export interface Ingested {
  report: FileReport;
  headers: string[][];
}

/** What read a file: DuckDB's fast path or the JavaScript path. */
export type Engine = "fast" | "javascript";
