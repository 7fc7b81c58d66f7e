/** One HTTP attempt: request (following redirects), stream the body to a temp file, check it. */
import {createHash} from "node:crypto";
import {mkdir, open, unlink, type FileHandle} from "node:fs/promises";
import {STATUS_CODES} from "node:http";
import {dirname} from "node:path";
import {checkAddress, RefusedAddress, sameSite} from "../address-check.ts";
import {isDiskFull} from "../disk-full.ts";
import {checkZip, looksLikeHtml, startsWithTag} from "./check-body.ts";
import {FetchError, type Ctx, type SourceKind} from "./fetch-options.ts";
import {tempPathFor} from "./lock-file.ts";

const MAX_REDIRECTS = 5;
/** Bytes kept from the start of a body for sniffing. */
const HEAD_BYTES = 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = "vcse-spend-fetch/0.1 (+spending-over-500 ingest)";

export type Outcome =
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

export interface Conditional {
  etag?: string;
  lastModified?: string;
}

/**
 * One attempt: request (following redirects), stream the body to a temp file, check it. Every hop must be http(s)
 * and not a private address (checkAddress); with `hosts`, a redirect must stay on one of those sites.
 */
export async function attemptOnce(
  startUrl: string,
  kind: SourceKind | undefined,
  dest: string,
  cond: Conditional | undefined,
  ctx: Ctx,
  hosts?: string[]
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
  let url = startUrl;
  try {
    const headers: Record<string, string> = {"user-agent": USER_AGENT, accept: "*/*"};
    if (cond?.etag) headers["if-none-match"] = cond.etag;
    if (cond?.lastModified) headers["if-modified-since"] = cond.lastModified;

    const seen = new Set([url]);
    let res: Response;
    for (let hops = 0; ; hops++) {
      await checkAddress(url, ctx.allowPrivate).catch((e: Error) => {
        throw new FetchError(`${url}: ${e.message}`, false);
      });
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
      if (hosts && !hosts.some((h) => sameSite(next, h))) throw new FetchError(`redirect to ${next}, off the sites the manifest names`, false);
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
      throw cacheWriteError(err, dest);
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
        await writeAll(fh, value, tmp, dest, ctx);
      }
    }
    // The body is complete: the deadline no longer applies to local checks.
    clearTimeout(timer);

    if (bytes === 0) throw new FetchError("empty body", false);
    const headBuf = Buffer.concat(head);
    if (kind && labelledHtml && startsWithTag(headBuf)) throw new FetchError(`served an HTML page (${mediaType}), not a ${kind} file`, false);
    if (kind && looksLikeHtml(headBuf)) throw new FetchError(`served an HTML page (${mediaType ?? "no content-type"}, HTML body), not a ${kind} file`, false);
    if (kind === "zip" || kind === "xlsx") await checkZip(fh, headBuf, bytes);
    await checkUnchanged(url, res, headers, ctx);

    await fh.sync().catch((err: unknown) => {
      throw cacheWriteError(err, dest);
    });
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
    if (err instanceof RefusedAddress) throw new FetchError(err.message, false);
    if (timedOut) throw new FetchError(`timed out after ${ctx.timeoutMs} ms`, true);
    throw new FetchError(describeNetworkError(err), true);
  } finally {
    clearTimeout(timer);
    if (fh) await fh.close().catch(() => undefined);
    if (!ok && tmp) await unlink(tmp).catch(() => undefined);
  }
}

/**
 * A file replaced while it downloaded would be stored as a mix of two versions: when the answer named its version
 * (ETag or Last-Modified), it is asked again (HEAD) once the body is in, and a different version means another try.
 * A server that does not answer HEAD is taken at its word.
 */
async function checkUnchanged(url: string, res: Response, headers: Record<string, string>, ctx: Ctx): Promise<void> {
  const etag = res.headers.get("etag");
  const modified = res.headers.get("last-modified");
  if (!etag && !modified) return;
  let now: Response;
  try {
    const {"if-none-match": _, "if-modified-since": __, ...plain} = headers;
    now = await ctx.fetch(url, {method: "HEAD", headers: plain, redirect: "manual", signal: AbortSignal.timeout(ctx.timeoutMs)});
    await discard(now);
  } catch {
    return;
  }
  if (now.status !== 200) return;
  const changed = (etag && now.headers.get("etag") && now.headers.get("etag") !== etag) || (modified && now.headers.get("last-modified") && now.headers.get("last-modified") !== modified);
  if (changed) throw new FetchError(`the file changed while it downloaded (${etag ? `ETag ${etag} -> ${now.headers.get("etag")}` : `Last-Modified ${modified} -> ${now.headers.get("last-modified")}`})`, true);
}

async function writeAll(fh: FileHandle, data: Uint8Array, tmp: string, dest: string, ctx: Ctx): Promise<void> {
  let off = 0;
  try {
    ctx.beforeWrite?.(tmp);
    while (off < data.byteLength) {
      const {bytesWritten} = await fh.write(data, off, data.byteLength - off);
      off += bytesWritten;
    }
  } catch (err) {
    throw cacheWriteError(err, dest);
  }
}

/** A write into the cache that failed, said plainly: a full disk names the file and what is kept. Not retried. */
export function cacheWriteError(err: unknown, dest: string): FetchError {
  const message = (err as Error).message;
  if (!isDiskFull(err)) return new FetchError(`cannot write to the cache: ${message}`, false);
  return new FetchError(`no space left on the device of the cache, writing ${dest} (${message}): the download is discarded, the copy cached before it is kept; free space and run fetch again`, false);
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
