/** Where a target lands in the cache, refusing paths and symbolic links that lead out of it. */
import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {realpath, stat} from "node:fs/promises";
import {dirname, extname, isAbsolute, join, normalize, sep} from "node:path";
import type {FetchTarget, SourceKind} from "./fetch-options.ts";

const KINDS = new Set<string>(["csv", "zip", "xlsx", "xls"]);

export function targetKind(target: FetchTarget): SourceKind | undefined {
  if (target.kind) return target.kind;
  let urlPath = "";
  try {
    urlPath = new URL(target.url).pathname;
  } catch {
    // checked elsewhere
  }
  for (const p of [target.path, urlPath]) {
    const ext = extname(p).slice(1).toLowerCase();
    if (KINDS.has(ext)) return ext as SourceKind;
  }
  return undefined;
}

export function resolveDest(cacheDir: string, path: string): string {
  if (!path || isAbsolute(path)) throw new Error(`target path ${JSON.stringify(path)} must be relative to the cache`);
  const norm = normalize(path);
  if (norm === ".." || norm.startsWith(".." + sep) || norm === "." || norm.endsWith(sep)) {
    throw new Error(`target path ${JSON.stringify(path)} is outside the cache or not a file`);
  }
  return join(cacheDir, norm);
}

/**
 * Where dest (or the nearest of its folders that exists) really is, when following symbolic links leads out
 * of the cache; undefined when it stays inside or nothing exists yet (what is missing is created as folders).
 */
export async function leavesCache(cacheDir: string, dest: string): Promise<string | undefined> {
  let root: string;
  try {
    root = await realpath(cacheDir);
  } catch {
    return undefined;
  }
  for (let path = dest; ; ) {
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
      const up = dirname(path);
      if (up === path) return undefined;
      path = up;
      continue;
    }
    return real === root || real.startsWith(root + sep) ? undefined : real;
  }
}

export function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("invalid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`unsupported protocol ${parsed.protocol}`);
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

export async function hashFile(path: string): Promise<{sha256: string; bytes: number; mtime: Date}> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const {mtime} = await stat(path);
  return {sha256: hash.digest("hex"), bytes, mtime};
}
