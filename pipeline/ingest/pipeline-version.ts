import {createHash} from "node:crypto";
import {join, relative} from "node:path";
import {fingerprint, importClosure} from "../fingerprint.ts";

const PIPELINE = join(import.meta.dirname, "..");

/**
 * A fingerprint of everything besides a file's bytes that decides what ingesting it produces: the code ingest
 * imports, the classification overrides, the reference tables and the grants registers the classifier reads,
 * all by content, and the fetched charity register by the sha256 its folder records (none for the embedded names).
 * A stored file is reused only under the same fingerprint, so a change to the code or the registers re-reads
 * everything rather than mixing results.
 */
export function pipelineVersion(dataDir = "data", registerSha256 = ""): string {
  const version = fingerprint([join(PIPELINE, "ingest/ingest.ts")], ["overrides.csv", "reference", "grants"].map((p) => join(dataDir, p)), PIPELINE);
  return registerSha256 ? createHash("sha256").update(version).update(registerSha256).digest("hex").slice(0, 16) : version;
}

/**
 * ingest.ts and every module it imports, directly or not, relative to the pipeline folder: the code that decides
 * what ingest stores. The site's loaders, the CLI and fetch are left out, so editing a page's data does not
 * re-read every file.
 */
export function ingestModules(pipeline = PIPELINE): string[] {
  return importClosure(join(pipeline, "ingest/ingest.ts")).map((f) => relative(pipeline, f));
}

/** The fingerprint of one file's ingest: pipeline version, layout and period. */
export function recipeKey(version: string, layout: unknown, period: unknown): string {
  return createHash("sha256").update(version).update(JSON.stringify(layout)).update(JSON.stringify(period)).digest("hex").slice(0, 16);
}
