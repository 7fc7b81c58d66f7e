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
import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {mkdir, open, realpath, rename, stat, unlink, type FileHandle} from "node:fs/promises";
import {STATUS_CODES} from "node:http";
import {dirname, extname, isAbsolute, join, normalize, sep} from "node:path";
import {fsyncDir, readLock, removeStaleParts, tempPathFor, writeLock, type LockEntry} from "./lock-file.ts";

export {readLock} from "./lock-file.ts";
export type {LockEntry, LockStatus} from "./lock-file.ts";

export type SourceKind = "csv" | "zip" | "xlsx" | "xls";

export interface FetchTarget {
  council: string;
  url: string;
  /** Cache-relative destination, e.g. "E07000120/2019-04.csv". */
  path: string;
  kind?: SourceKind;
}

export interface FetchOptions {
  cacheDir: string;
  lockPath: string;
  /** Retries after the first attempt (default 3), on 5xx, 408, 429, network errors and timeouts. */
  retries?: number;
  /** Per attempt, covering connect, headers and the whole body, so also any idle gap (default 30000). */
  timeoutMs?: number;
  /** Simultaneous requests per URL host (default 2). */
  perHostConcurrency?: number;
  /** Simultaneous requests overall, across hosts (default 16). */
  totalConcurrency?: number;
  /** First retry delay (default 500), doubled each retry, ±25% jitter. */
  backoffMs?: number;
  /** Largest body accepted (default 500 MB). */
  maxBytes?: number;
  now?: () => Date;
  log?: (msg: string) => void;
  fetchImpl?: typeof fetch;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PER_HOST = 2;
const DEFAULT_TOTAL = 16;
const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** A server's Retry-After is honoured up to this long. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Bytes kept from the start of a body for sniffing. */
const HEAD_BYTES = 1024;
/** The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes. */
const EOCD_MIN = 22;
const EOCD_SEARCH = 65_535 + EOCD_MIN;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const KINDS = new Set<string>(["csv", "zip", "xlsx", "xls"]);
const USER_AGENT = "vcse-spend-fetch/0.1 (+spending-over-500 ingest)";
/**
 * A part file whose writer still runs is stale anyway once untouched this long (twice the attempt timeout, at
 * least an hour): its pid has been taken by another program.
 */
const STALE_PART_MIN_MS = 60 * 60_000;

/** A per-attempt failure; `retryable` decides whether another attempt is made. */
class FetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number
  ) {
    super(message);
    this.name = "FetchError";
  }
}

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

interface Ctx {
  cacheDir: string;
  staleAfterMs: number;
  retries: number;
  timeoutMs: number;
  backoffMs: number;
  maxBytes: number;
  now: () => Date;
  log: (msg: string) => void;
  fetch: typeof fetch;
}

type Outcome =
  | {type: "not_modified"; etag?: string; lastModified?: string}
  | {
      type: "fetched";
      tmp: string;
      sha256: string;
      bytes: number;
      etag?: string;
      lastModified?: string;
      contentType?: string;
      finalUrl: string;
    };

interface Conditional {
  etag?: string;
  lastModified?: string;
}

export async function fetchSources(targets: FetchTarget[], opts: FetchOptions): Promise<LockEntry[]> {
  const ctx: Ctx = {
    cacheDir: opts.cacheDir,
    retries: nonNegativeInt(opts.retries, DEFAULT_RETRIES, "retries"),
    timeoutMs: positive(opts.timeoutMs, DEFAULT_TIMEOUT_MS, "timeoutMs"),
    backoffMs: nonNegative(opts.backoffMs, DEFAULT_BACKOFF_MS, "backoffMs"),
    maxBytes: positive(opts.maxBytes, DEFAULT_MAX_BYTES, "maxBytes"),
    now: opts.now ?? (() => new Date()),
    log: opts.log ?? ((msg) => void process.stderr.write(msg + "\n")),
    fetch: opts.fetchImpl ?? globalThis.fetch,
    staleAfterMs: 0
  };
  ctx.staleAfterMs = Math.max(2 * ctx.timeoutMs, STALE_PART_MIN_MS);
  const perHost = positiveInt(opts.perHostConcurrency, DEFAULT_PER_HOST, "perHostConcurrency");
  const total = new Semaphore(positiveInt(opts.totalConcurrency, DEFAULT_TOTAL, "totalConcurrency"));
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
  await writeLock(opts.lockPath, lock);
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
      outcome = await attemptOnce(target.url, kind, dest, cond, ctx);
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
      failure = new FetchError(`cannot move download into place at ${dest}: ${(err as Error).message}`, false);
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

/** One attempt: request (following redirects), stream the body to a temp file, check it. */
async function attemptOnce(
  startUrl: string,
  kind: SourceKind | undefined,
  dest: string,
  cond: Conditional | undefined,
  ctx: Ctx
): Promise<Outcome> {
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, ctx.timeoutMs);
  let tmp: string | undefined;
  let fh: FileHandle | undefined;
  let ok = false;
  try {
    const headers: Record<string, string> = {"user-agent": USER_AGENT, accept: "*/*"};
    if (cond?.etag) headers["if-none-match"] = cond.etag;
    if (cond?.lastModified) headers["if-modified-since"] = cond.lastModified;

    let url = startUrl;
    const seen = new Set([url]);
    let res: Response;
    for (let hops = 0; ; hops++) {
      res = await ctx.fetch(url, {headers, redirect: "manual", signal: ac.signal});
      if (!REDIRECT_STATUSES.has(res.status)) break;
      await discard(res);
      const location = res.headers.get("location");
      if (!location) throw new FetchError(`HTTP ${res.status} redirect without a Location header`, false);
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new FetchError(`HTTP ${res.status} redirect to an invalid Location ${JSON.stringify(location)}`, false);
      }
      if (seen.has(next)) throw new FetchError(`redirect loop (${url} -> ${next} again)`, false);
      if (hops + 1 > MAX_REDIRECTS) throw new FetchError(`too many redirects (more than ${MAX_REDIRECTS})`, false);
      if (!/^https?:$/.test(new URL(next).protocol)) throw new FetchError(`redirect to unsupported URL ${next}`, false);
      seen.add(next);
      url = next;
    }

    if (res.status === 304) {
      await discard(res);
      if (!cond) throw new FetchError("HTTP 304 Not Modified to an unconditional request", false);
      return {
        type: "not_modified",
        etag: res.headers.get("etag") ?? undefined,
        lastModified: res.headers.get("last-modified") ?? undefined
      };
    }
    if (res.status < 200 || res.status > 299 || res.status === 206) {
      await discard(res);
      const text = res.statusText || STATUS_CODES[res.status] || "";
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new FetchError(`HTTP ${res.status}${text ? " " + text : ""}`, retryable, retryAfter(res, ctx.now()));
    }

    const contentType = res.headers.get("content-type") ?? undefined;
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
    // Council servers label files carelessly (a CSV as text/html, a CSV as application/zip): the bytes decide.
    const labelledHtml = mediaType === "text/html" || mediaType === "application/xhtml+xml";
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (!res.headers.get("content-encoding") && Number.isFinite(declared) && declared > ctx.maxBytes) {
      await discard(res);
      throw new FetchError(`body of ${declared} bytes exceeds maxBytes (${ctx.maxBytes})`, false);
    }

    try {
      await mkdir(dirname(dest), {recursive: true});
      tmp = tempPathFor(dest);
      fh = await open(tmp, "w+");
    } catch (err) {
      await discard(res);
      throw new FetchError(`cannot write to the cache: ${(err as Error).message}`, false);
    }
    const hash = createHash("sha256");
    const head: Buffer[] = [];
    let headLen = 0;
    let bytes = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > ctx.maxBytes) {
          ac.abort();
          throw new FetchError(`body exceeds maxBytes (${ctx.maxBytes})`, false);
        }
        hash.update(value);
        if (headLen < HEAD_BYTES) {
          const part = Buffer.from(value.subarray(0, HEAD_BYTES - headLen));
          head.push(part);
          headLen += part.length;
        }
        await writeAll(fh, value);
      }
    }
    // The body is complete: the deadline no longer applies to local checks.
    clearTimeout(timer);

    if (bytes === 0) throw new FetchError("empty body", false);
    const headBuf = Buffer.concat(head);
    if (kind && labelledHtml && startsWithTag(headBuf)) throw new FetchError(`served an HTML page (${mediaType}), not a ${kind} file`, false);
    if (kind && looksLikeHtml(headBuf)) throw new FetchError(`served an HTML page (${mediaType ?? "no content-type"}, HTML body), not a ${kind} file`, false);
    if (kind === "zip" || kind === "xlsx") await checkZip(fh, headBuf, bytes);

    await fh.sync();
    await fh.close();
    fh = undefined;
    ok = true;
    return {
      type: "fetched",
      tmp,
      sha256: hash.digest("hex"),
      bytes,
      etag: res.headers.get("etag") ?? undefined,
      lastModified: res.headers.get("last-modified") ?? undefined,
      contentType,
      finalUrl: url
    };
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (timedOut) throw new FetchError(`timed out after ${ctx.timeoutMs} ms`, true);
    throw new FetchError(describeNetworkError(err), true);
  } finally {
    clearTimeout(timer);
    if (fh) await fh.close().catch(() => undefined);
    if (!ok && tmp) await unlink(tmp).catch(() => undefined);
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let off = 0;
  try {
    while (off < data.byteLength) {
      const {bytesWritten} = await fh.write(data, off, data.byteLength - off);
      off += bytesWritten;
    }
  } catch (err) {
    throw new FetchError(`cannot write to the cache: ${(err as Error).message}`, false);
  }
}

/** ZIP (and XLSX, which is a ZIP): local-file-header magic at the start, end-of-central-directory near the end. */
async function checkZip(fh: FileHandle, head: Buffer, bytes: number): Promise<void> {
  if (!(head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    throw new FetchError("not a ZIP archive (no PK\\x03\\x04 signature at the start)", false);
  }
  const len = Math.min(bytes, EOCD_SEARCH);
  const tail = Buffer.alloc(len);
  const {bytesRead} = await fh.read(tail, 0, len, bytes - len);
  for (let i = bytesRead - EOCD_MIN; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      const commentLen = tail.readUInt16LE(i + 20);
      if (i + EOCD_MIN + commentLen <= bytesRead) return;
    }
  }
  throw new FetchError("truncated ZIP (no end of central directory)", false);
}

/** Optional BOM and whitespace, then `<!doctype html` or `<html`, case-insensitively. */
function looksLikeHtml(head: Buffer): boolean {
  const start = head.subarray(textStart(head), textStart(head) + 14).toString("latin1").toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html");
}

/** A body labelled HTML is HTML when it opens with a tag (no data file does); otherwise the label is wrong. */
function startsWithTag(head: Buffer): boolean {
  return head[textStart(head)] === 0x3c;
}

/** Index of the first byte after an optional UTF-8 BOM and whitespace. */
function textStart(head: Buffer): number {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x0c)) i++;
  return i;
}

function retryAfter(res: Response, now: Date): number | undefined {
  const value = res.headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : undefined;
}

function describeNetworkError(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (cur instanceof Error) {
      const code = (cur as NodeJS.ErrnoException).code;
      const msg = cur.message || cur.name;
      parts.push(code && !msg.includes(code) ? `${msg} (${code})` : msg);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return `network error: ${parts.join(": ") || "unknown"}`;
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Already closed or errored; nothing to free.
  }
}

function targetKind(target: FetchTarget): SourceKind | undefined {
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

function resolveDest(cacheDir: string, path: string): string {
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
async function leavesCache(cacheDir: string, dest: string): Promise<string | undefined> {
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

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("invalid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`unsupported protocol ${parsed.protocol}`);
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

async function hashFile(path: string): Promise<{sha256: string; bytes: number; mtime: Date}> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const {mtime} = await stat(path);
  return {sha256: hash.digest("hex"), bytes, mtime};
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nonNegative(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
  return v;
}
function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}
function nonNegativeInt(v: number | undefined, dflt: number, name: string): number {
  const n = nonNegative(v, dflt, name);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${v}`);
  return n;
}
function positiveInt(v: number | undefined, dflt: number, name: string): number {
  const n = positive(v, dflt, name);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${v}`);
  return n;
}
