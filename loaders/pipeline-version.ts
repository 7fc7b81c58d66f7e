import {createHash} from "node:crypto";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

/**
 * A fingerprint of everything besides a file's bytes that decides what ingesting it produces: the pipeline's
 * code, the classification overrides and the reference tables. A stored file is reused only under the
 * same fingerprint, so a change to the code or the registers re-reads everything rather than mixing results.
 */
export function pipelineVersion(dataDir = "data"): string {
  const hash = createHash("sha256");
  const code = dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(code).filter((f) => f.endsWith(".ts")).sort()) hash.update(name).update(readFileSync(join(code, name)));
  const overrides = join(dataDir, "overrides.csv");
  if (existsSync(overrides)) hash.update(readFileSync(overrides));
  const reference = join(dataDir, "reference");
  if (existsSync(reference)) {
    for (const name of (readdirSync(reference, {recursive: true}) as string[]).sort()) {
      const stat = statSync(join(reference, name));
      if (stat.isFile()) hash.update(`${name}:${stat.size}:${stat.mtimeMs}`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** The fingerprint of one file's ingest: pipeline version, layout and period. */
export function recipeKey(version: string, layout: unknown, period: unknown): string {
  return createHash("sha256").update(version).update(JSON.stringify(layout)).update(JSON.stringify(period)).digest("hex").slice(0, 16);
}
