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
  for (const name of ingestModules(code)) hash.update(name).update(readFileSync(join(code, name)));
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

/**
 * ingest.ts and every module it imports, directly or not (relative imports of loaders/): the code that decides
 * what ingest stores. The site's loaders, the CLI and fetch are left out, so editing a page's data does not
 * re-read every file.
 */
export function ingestModules(code: string): string[] {
  const seen = new Set<string>(["ingest.ts", "pipeline-version.ts"]);
  const queue = [...seen];
  for (let name = queue.pop(); name; name = queue.pop()) {
    for (const [, target] of readFileSync(join(code, name), "utf8").matchAll(/\bfrom\s+"\.\/([\w.-]+\.ts)"/g)) {
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].sort();
}

/** The fingerprint of one file's ingest: pipeline version, layout and period. */
export function recipeKey(version: string, layout: unknown, period: unknown): string {
  return createHash("sha256").update(version).update(JSON.stringify(layout)).update(JSON.stringify(period)).digest("hex").slice(0, 16);
}
