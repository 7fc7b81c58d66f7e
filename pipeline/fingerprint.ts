import {createHash, type Hash} from "node:crypto";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";

const RELATIVE_IMPORT = /\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g;

/** A module and every module it imports through relative paths, directly or not, as sorted absolute paths. */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>([resolve(entry)]);
  const queue = [...seen];
  for (let file = queue.pop(); file; file = queue.pop()) {
    for (const [, spec] of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(file), spec!);
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].sort();
}

/** Every file under `path` (or `path` itself), by name relative to `base` and content, in a stable order. */
export function hashContent(hash: Hash, path: string, base = path): Hash {
  if (!existsSync(path)) return hash.update(`${relative(base, path)}:absent`);
  if (statSync(path).isFile()) return hash.update(relative(base, path)).update(readFileSync(path));
  for (const name of (readdirSync(path, {recursive: true}) as string[]).sort()) {
    const file = join(path, name);
    if (statSync(file).isFile()) hash.update(relative(base, file)).update(readFileSync(file));
  }
  return hash;
}

/** A short hex fingerprint of code (by import closure, named relative to `root`) and data paths (by content). */
export function fingerprint(entries: string[], dataPaths: string[], root: string): string {
  const hash = createHash("sha256");
  const modules = new Set(entries.flatMap(importClosure));
  for (const file of [...modules].sort()) hash.update(relative(root, file)).update(readFileSync(file));
  for (const path of dataPaths) hashContent(hash, path, root);
  return hash.digest("hex").slice(0, 16);
}
