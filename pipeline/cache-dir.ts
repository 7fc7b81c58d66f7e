import {readdir, rm, stat} from "node:fs/promises";
import {join} from "node:path";

/** The one folder where the pipeline keeps what it computed, each file named for what it depends on. */
export const CACHE_DIR = join("node_modules", ".cache", "vcse-spend");

/** A temporary file older than this was left by a process that died. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes all but the `keep` newest complete files named `prefix…suffix` in `dir`, and temporary files of that
 * name left by a process that died. Another process's temporary file that is still being written, and the
 * versions other checkouts of the same code base use, are left alone.
 */
export async function pruneCache(dir: string, prefix: string, suffix: string, keep: number): Promise<void> {
  const now = Date.now();
  const complete: {path: string; mtime: number}[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const path = join(dir, name);
    const mtime = await stat(path).then((s) => s.mtimeMs, () => null);
    if (mtime === null) continue;
    if (name.endsWith(suffix)) complete.push({path, mtime});
    else if (name.endsWith(".tmp") && now - mtime > STALE_TEMP_MS) await rm(path, {force: true});
  }
  complete.sort((a, b) => b.mtime - a.mtime);
  for (const {path} of complete.slice(keep)) await rm(path, {force: true});
}
