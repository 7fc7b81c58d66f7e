/**
 * Downloads councils' published spending files into the raw cache.
 *
 * Each target is fetched into `${cacheDir}/${path}` and recorded in a JSON lock file (keyed by path)
 * with its URL, sha256, size, time and validators (ETag / Last-Modified). Conditional requests make
 * re-runs cheap; retries with exponential backoff absorb flaky servers; content checks (empty body,
 * HTML error page served as data, truncated ZIP/XLSX, oversize) stop a bad response from replacing
 * a good cached copy. Files and the lock are written atomically (temp file + fsync + rename); the hidden
 * `.part` files a killed run leaves are removed by the next run before it fetches the same target, and are
 * never moved into place. A target whose cache path leads through a symbolic link out of the cache is refused.
 * A failing target never throws: it is reported as "kept_last_good" or "failed" with an error.
 */
import {mkdir, rename, unlink} from "node:fs/promises";
import {dirname} from "node:path";
import {checkUrl, fileSize, hashFile, leavesCache, resolveDest, targetKind} from "./cache-path.ts";
import {attemptOnce, cacheWriteError, type Conditional, type Outcome} from "./fetch-attempt.ts";
import {isDiskFull} from "../disk-full.ts";
import {FetchError, resolveOptions, type Ctx, type FetchOptions, type FetchTarget} from "./fetch-options.ts";
import {fsyncDir, readLock, removeStaleParts, writeLock, type LockEntry} from "./lock-file.ts";

export {readLock} from "./lock-file.ts";
export type {LockEntry, LockStatus} from "./lock-file.ts";
export type {FetchOptions, FetchTarget, SourceKind} from "./fetch-options.ts";

/** A server's Retry-After is honoured up to this long. */
const MAX_RETRY_AFTER_MS = 60_000;

/** A tiny counting semaphore; release hands the slot straight to the next waiter. */
class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}

export async function fetchSources(targets: FetchTarget[], opts: FetchOptions): Promise<LockEntry[]> {
  const {ctx, perHost, total: totalLimit} = resolveOptions(opts);
  const total = new Semaphore(totalLimit);
  const hosts = new Map<string, Semaphore>();
  const hostSemaphore = (url: string): Semaphore => {
    let host: string;
    try {
      host = new URL(url).host.toLowerCase();
    } catch {
      host = "";
    }
    let sem = hosts.get(host);
    if (!sem) hosts.set(host, (sem = new Semaphore(perHost)));
    return sem;
  };

  const lock = readLock(opts.lockPath);
  await mkdir(dirname(opts.lockPath), {recursive: true});
  const staleLockParts = await removeStaleParts(opts.lockPath, ctx.staleAfterMs);
  if (staleLockParts.length) ctx.log(`removed ${staleLockParts.length} partial lock file(s) left by a killed run: ${staleLockParts.join(", ")}`);

  // Intermediate lock writes (coalesced) so a killed run keeps what it finished; the final write is awaited.
  let pendingWrite: Promise<void> = Promise.resolve();
  let writeQueued = false;
  const scheduleLockWrite = () => {
    if (writeQueued) return;
    writeQueued = true;
    pendingWrite = pendingWrite.then(async () => {
      writeQueued = false;
      try {
        ctx.beforeWrite?.(opts.lockPath);
        await writeLock(opts.lockPath, lock);
      } catch (err) {
        ctx.log(`warning: could not write lock file ${opts.lockPath}: ${(err as Error).message}`);
      }
    });
  };

  const firstIndexOfPath = new Map<string, number>();
  let done = 0;
  const results = await Promise.all(
    targets.map(async (target, i): Promise<LockEntry> => {
      const first = firstIndexOfPath.get(target.path);
      if (first !== undefined) {
        // Two targets racing for one file would corrupt each other's result; the first one wins.
        const entry = failedEntry(target, ctx, `duplicate target path (also target #${first + 1}, ${targets[first]?.url})`);
        ctx.log(`[${++done}/${targets.length}] failed ${target.path}: ${entry.error}`);
        return entry;
      }
      firstIndexOfPath.set(target.path, i);
      const releaseHost = await hostSemaphore(target.url).acquire();
      const releaseTotal = await total.acquire();
      let entry: LockEntry;
      try {
        entry = await fetchOne(target, lock[target.path], ctx);
      } finally {
        releaseTotal();
        releaseHost();
      }
      lock[target.path] = entry;
      scheduleLockWrite();
      ctx.log(`[${++done}/${targets.length}] ${describeResult(entry)}`);
      return entry;
    })
  );
  await pendingWrite;
  const finalWrite = async () => {
    ctx.beforeWrite?.(opts.lockPath);
    await writeLock(opts.lockPath, lock);
  };
  await finalWrite().catch((err: unknown) => {
    if (!isDiskFull(err)) throw err;
    throw new Error(
      `no space left on the device of the cache, writing the lock file ${opts.lockPath} (${(err as Error).message}): the files ` +
        "fetched are in place whole and the lock file is the one before, so the next fetch asks for them again; free space and run fetch again"
    );
  });
  return results;
}

function describeResult(e: LockEntry): string {
  const sha = e.sha256 ? ` sha256 ${e.sha256.slice(0, 12)}` : "";
  switch (e.status) {
    case "fetched":
      return `fetched ${e.path} (${e.bytes} bytes,${sha})`;
    case "not_modified":
      return `not modified ${e.path}`;
    case "kept_last_good":
      return `FAILED ${e.path}, kept last good copy (${e.bytes} bytes,${sha}): ${e.error}`;
    case "failed":
      return `FAILED ${e.path}: ${e.error}`;
  }
}

async function fetchOne(target: FetchTarget, prev: LockEntry | undefined, ctx: Ctx): Promise<LockEntry> {
  let dest: string;
  try {
    dest = resolveDest(ctx.cacheDir, target.path);
    checkUrl(target.url);
    const escaped = await leavesCache(ctx.cacheDir, dest);
    if (escaped) throw new Error(`cache path ${target.path} leads through a symbolic link out of the cache, to ${escaped}`);
    const stale = await removeStaleParts(dest, ctx.staleAfterMs);
    if (stale.length) ctx.log(`removed ${stale.length} partial download(s) of ${target.path} left by a killed run: ${stale.join(", ")}`);
  } catch (err) {
    return failedEntry(target, ctx, `${target.url}: ${(err as Error).message}`);
  }
  const cachedSize = await fileSize(dest);
  // The lock entry describes the cached file only if the file is there with the recorded size.
  const prevGood = prev && prev.sha256 && cachedSize === prev.bytes ? prev : undefined;
  const cond: Conditional | undefined =
    prevGood && prevGood.url === target.url && (prevGood.etag || prevGood.last_modified)
      ? {etag: prevGood.etag, lastModified: prevGood.last_modified}
      : undefined;
  const kind = targetKind(target);

  let failure: FetchError;
  for (let attempt = 0; ; attempt++) {
    let outcome: Outcome;
    try {
      outcome = await attemptOnce(target.url, kind, dest, cond, ctx, target.hosts);
    } catch (err) {
      const e = err instanceof FetchError ? err : new FetchError((err as Error).message ?? String(err), false);
      if (!e.retryable || attempt >= ctx.retries) {
        failure = e;
        break;
      }
      const base = ctx.backoffMs * 2 ** attempt;
      let delay = Math.round(base * (0.75 + Math.random() * 0.5));
      if (e.retryAfterMs !== undefined) delay = Math.max(delay, Math.min(e.retryAfterMs, MAX_RETRY_AFTER_MS));
      ctx.log(`retry ${attempt + 1}/${ctx.retries} for ${target.url} in ${delay} ms: ${e.message}`);
      await sleep(delay);
      continue;
    }

    const fetchedAt = ctx.now().toISOString();
    if (outcome.type === "not_modified") {
      // cond is only sent when prevGood exists
      const base = prevGood as LockEntry;
      const entry: LockEntry = {
        ...base,
        fetched_at: fetchedAt,
        etag: outcome.etag ?? base.etag,
        last_modified: outcome.lastModified ?? base.last_modified,
        status: "not_modified"
      };
      delete entry.error;
      return entry;
    }

    try {
      await rename(outcome.tmp, dest);
    } catch (err) {
      await unlink(outcome.tmp).catch(() => undefined);
      failure = isDiskFull(err) ? cacheWriteError(err, dest) : new FetchError(`cannot move download into place at ${dest}: ${(err as Error).message}`, false);
      break;
    }
    await fsyncDir(dirname(dest));
    if (prev?.sha256 && prev.sha256 !== outcome.sha256) {
      ctx.log(`content changed at ${target.url} (${target.path}): sha256 ${prev.sha256} -> ${outcome.sha256}`);
    }
    if (outcome.finalUrl !== target.url) ctx.log(`${target.url} redirected to ${outcome.finalUrl}`);
    const entry: LockEntry = {
      url: target.url,
      path: target.path,
      sha256: outcome.sha256,
      bytes: outcome.bytes,
      fetched_at: fetchedAt,
      status: "fetched"
    };
    if (outcome.etag) entry.etag = outcome.etag;
    if (outcome.lastModified) entry.last_modified = outcome.lastModified;
    if (outcome.contentType) entry.content_type = outcome.contentType;
    return entry;
  }

  const error = `${target.url}: ${failure.message}`;
  let lastGood: LockEntry | undefined = prevGood;
  if (!lastGood && cachedSize !== undefined) {
    // A cached file the lock does not describe (lock lost or file replaced by hand): still the last good copy.
    try {
      const {sha256, bytes, mtime} = await hashFile(dest);
      lastGood = {url: target.url, path: target.path, sha256, bytes, fetched_at: mtime.toISOString(), status: "fetched"};
    } catch {
      lastGood = undefined;
    }
  }
  if (lastGood) return {...lastGood, status: "kept_last_good", error};
  return failedEntry(target, ctx, error);
}

function failedEntry(target: FetchTarget, ctx: Ctx, error: string): LockEntry {
  return {
    url: target.url,
    path: target.path,
    sha256: "",
    bytes: 0,
    fetched_at: ctx.now().toISOString(),
    status: "failed",
    error
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
