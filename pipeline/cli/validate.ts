import {mkdtempSync, rmdirSync, statSync, type Stats} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {councils} from "../sources/councils.ts";
import {UsageError} from "./args.ts";
import {editDistance} from "./nearest.ts";

/**
 * A council's GSS code, checked against the reference list; a council's exact name is read as its code (said on
 * stderr). Anything else is refused with the nearest councils by code and by name.
 */
export function councilCode(given: string, dataDir: string, option = "--council"): string {
  const list = councils(dataDir);
  const code = given.trim().toUpperCase();
  const byCode = list.get(code);
  if (byCode) {
    if (!code.startsWith("E")) throw new UsageError(`${option} ${given}: ${byCode.name} is not an English council`);
    return code;
  }
  const named = [...list.values()].filter((c) => c.name.toLowerCase() === given.trim().toLowerCase() && c.code.startsWith("E"));
  if (named.length === 1) {
    process.stderr.write(`${option} ${given}: read as ${named[0]!.code} (${named[0]!.name})\n`);
    return named[0]!.code;
  }
  const score = (c: {code: string; name: string}) =>
    Math.min(editDistance(code, c.code), editDistance(given.trim().toLowerCase(), c.name.toLowerCase()));
  const near = [...list.values()]
    .filter((c) => c.code.startsWith("E"))
    .map((c) => ({c, d: score(c)}))
    .sort((a, b) => a.d - b.d || a.c.code.localeCompare(b.c.code))
    .slice(0, 3)
    .map(({c}) => `${c.code} ${c.name}`);
  throw new UsageError(`${option} ${given}: no such council; nearest: ${near.join(", ")}`);
}

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A file to read: it must exist and not be a folder. Errors name the path as written. */
export function inputFile(path: string, option: string): string {
  const s = stat(path);
  if (!s) throw new UsageError(`${option} ${path}: no such file`);
  if (s.isDirectory()) throw new UsageError(`${option} ${path}: is a folder, not a file`);
  return path;
}

/** A folder to read: it must exist and be a folder. */
export function inputFolder(path: string, option: string): string {
  const s = stat(path);
  if (!s) {
    // The default data folder is the project's, relative to where the command runs.
    const hint = option === "--data" && path === "data" ? ` in ${process.cwd()} (run vcse-spend from the project's folder, or give --data PROJECT/data)` : "";
    throw new UsageError(`${option} ${path}: no such folder${hint}`);
  }
  if (!s.isDirectory()) throw new UsageError(`${option} ${path}: is a file, not a folder`);
  return path;
}

/** A folder to write in: a folder or nothing yet, under a folder this process can create files in. */
export function outputFolder(path: string, option: string): string {
  const s = stat(path);
  if (s && !s.isDirectory()) throw new UsageError(`${option} ${path}: is a file, not a folder`);
  writable(path, option, s ? resolve(path) : existingAncestor(path, option));
  return path;
}

/** A file to write: not a folder, in a folder that exists and can be written. */
export function outputFile(path: string, option: string): string {
  const s = stat(path);
  if (s?.isDirectory()) throw new UsageError(`${option} ${path}: is a folder, not a file`);
  const parent = stat(dirname(resolve(path)));
  if (!parent?.isDirectory()) throw new UsageError(`${option} ${path}: its folder does not exist`);
  writable(path, option, dirname(resolve(path)));
  return path;
}

function existingAncestor(path: string, option: string): string {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const s = stat(dir);
    if (s?.isDirectory()) return dir;
    if (s) throw new UsageError(`${option} ${path}: a part of it is a file, not a folder`);
    if (dir === dirname(dir)) return dir;
  }
}

/** Tried, not asked of access(): permission bits say nothing of read-only mounts, and root passes every access() check. */
function writable(path: string, option: string, dir: string): void {
  try {
    rmdirSync(mkdtempSync(join(dir, ".vcse-spend-probe-")));
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
