/**
 * The raw-cache lock file: one JSON object keyed by cache-relative path, recording where each cached
 * file came from and what it hashed to. Written atomically (temp file + fsync + rename) with sorted
 * keys so that diffs between runs are small and deterministic.
 */
import {randomBytes} from "node:crypto";
import {readFileSync} from "node:fs";
import {open, readdir, rename, stat, unlink} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import {alive} from "../run-lock.ts";

export type LockStatus = "fetched" | "not_modified" | "kept_last_good" | "failed";

export interface LockEntry {
  url: string;
  path: string;
  sha256: string;
  bytes: number;
  /** ISO timestamp. */
  fetched_at: string;
  etag?: string;
  last_modified?: string;
  content_type?: string;
  status: LockStatus;
  error?: string;
}

/** Reads the lock file; a missing file is an empty lock. A file that is not a JSON object throws. */
export function readLock(lockPath: string): Record<string, LockEntry> {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`lock file ${lockPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`lock file ${lockPath} is not a JSON object`);
  }
  return parsed as Record<string, LockEntry>;
}

/** JSON with object keys sorted at every level, two-space indent, trailing newline. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * This process's run. A part file named with this pid but another run was left by a killed process whose pid
 * has come round again (in a container, the next run often gets the same small pid).
 */
const RUN = randomBytes(4).toString("hex");

/**
 * A temp name next to `finalPath` (same filesystem, so rename is atomic) that no data glob matches:
 * `.<name>.<pid>.<run>.<random>.part`.
 */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}.${RUN}.${randomBytes(4).toString("hex")}.part`);
}

/** pid, and run when the name has one (names written before runs were recorded have none), of a part file of finalPath. */
function partOwner(finalPath: string, name: string): {pid: number; run?: string} | undefined {
  const prefix = `.${basename(finalPath)}.`;
  if (!name.startsWith(prefix) || !name.endsWith(".part")) return undefined;
  const m = /^(\d+)\.(?:([0-9a-f]{8})\.)?[0-9a-f]{8}$/.exec(name.slice(prefix.length, -".part".length));
  return m ? {pid: Number(m[1]), run: m[2]} : undefined;
}


/**
 * Removes the part files a killed writer left next to `finalPath`: those of a process that is gone, those of
 * an earlier run under this pid, and any untouched for `maxAgeMs` (its pid now belongs to another program).
 * A live writer's part file is left alone. Returns the names removed; a missing folder removes nothing.
 */
export async function removeStaleParts(finalPath: string, maxAgeMs: number): Promise<string[]> {
  const dir = dirname(finalPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = partOwner(finalPath, name);
    if (!owner) continue;
    let stale = owner.pid === process.pid ? owner.run !== RUN : !alive(owner.pid);
    if (!stale) {
      const modified = await stat(join(dir, name)).then((s) => s.mtimeMs, () => undefined);
      stale = modified !== undefined && Date.now() - modified > maxAgeMs;
    }
    if (!stale) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  return removed;
}

/** fsync a directory so a rename inside it survives a crash; best effort (not every platform allows it). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Directories cannot be opened/synced on some platforms (e.g. Windows); the rename is still atomic.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Writes `data` to `finalPath` via temp file + fsync + rename; never leaves a partial file under the final name. */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(finalPath);
  try {
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, finalPath);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(finalPath));
}

export async function writeLock(lockPath: string, lock: Record<string, LockEntry>): Promise<void> {
  await writeFileAtomic(lockPath, stableStringify(lock));
}
