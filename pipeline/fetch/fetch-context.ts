

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

export const DEFAULT_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_PER_HOST = 2;
export const DEFAULT_TOTAL = 16;
export const DEFAULT_BACKOFF_MS = 500;
export const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
export const MAX_REDIRECTS = 5;
/** A server's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Bytes kept from the start of a body for sniffing. */
export const HEAD_BYTES = 1024;
/** The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes. */
export const EOCD_MIN = 22;
export const EOCD_SEARCH = 65_535 + EOCD_MIN;
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
export const KINDS = new Set<string>(["csv", "zip", "xlsx", "xls"]);
export const USER_AGENT = "vcse-spend-fetch/0.1 (+spending-over-500 ingest)";
/**
 * A part file whose writer still runs is stale anyway once untouched this long (twice the attempt timeout, at
 * least an hour): its pid has been taken by another program.
 */
export const STALE_PART_MIN_MS = 60 * 60_000;

/** A per-attempt failure; `retryable` decides whether another attempt is made. */
export class FetchError extends Error {
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
export class Semaphore {
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

export interface Ctx {
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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function nonNegative(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
  return v;
}
export function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}
export function nonNegativeInt(v: number | undefined, dflt: number, name: string): number {
  const n = nonNegative(v, dflt, name);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${v}`);
  return n;
}
export function positiveInt(v: number | undefined, dflt: number, name: string): number {
  const n = positive(v, dflt, name);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${v}`);
  return n;
}
