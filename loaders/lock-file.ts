/**
 * The raw-cache lock file: one JSON object keyed by cache-relative path, recording where each cached
 * file came from and what it hashed to. Written atomically (temp file + fsync + rename) with sorted
 * keys so that diffs between runs are small and deterministic.
 */
import {randomBytes} from "node:crypto";
import {readFileSync} from "node:fs";
import {open, rename, unlink} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

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

/** A temp name next to `finalPath` (same filesystem, so rename is atomic) that no data glob matches. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}.${randomBytes(4).toString("hex")}.part`);
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
