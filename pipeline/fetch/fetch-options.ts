import {privateAllowedByDefault, type Resolver} from "../address-check.ts";
import {checkedFetch} from "../checked-fetch.ts";

/** What a fetch run is asked to do, its defaults, and the checked settings every attempt reads. */
export type SourceKind = "csv" | "zip" | "xlsx" | "xls";

export interface FetchTarget {
  council: string;
  url: string;
  /** Cache-relative destination, e.g. "E07000120/2019-04.csv". */
  path: string;
  kind?: SourceKind;
  /** The sites the council's manifest names (its page, its files' hosts): a redirect elsewhere is refused. */
  hosts?: string[];
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
  /** Ask private and loopback addresses too (default: only when VCSE_SPEND_ALLOW_PRIVATE=1, as in the tests). */
  allowPrivate?: boolean;
  /** How host names are resolved (default: the system's resolver); every address is checked as the connection is made. */
  resolve?: Resolver;
  /** Called with the path before each write into the cache (a download's temp file, the lock file): a seam for injecting faults (a full disk). */
  beforeWrite?: (path: string) => void;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PER_HOST = 2;
const DEFAULT_TOTAL = 16;
const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
/**
 * A part file whose writer still runs is stale anyway once untouched this long (twice the attempt timeout, at
 * least an hour): its pid has been taken by another program.
 */
const STALE_PART_MIN_MS = 60 * 60_000;

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
  allowPrivate: boolean;
  beforeWrite?: (path: string) => void;
}

/** The options with defaults applied and each value checked; throws RangeError on a bad one. */
export function resolveOptions(opts: FetchOptions): {ctx: Ctx; perHost: number; total: number} {
  const timeoutMs = positive(opts.timeoutMs, DEFAULT_TIMEOUT_MS, "timeoutMs");
  const allowPrivate = opts.allowPrivate ?? privateAllowedByDefault();
  const ctx: Ctx = {
    cacheDir: opts.cacheDir,
    retries: nonNegativeInt(opts.retries, DEFAULT_RETRIES, "retries"),
    timeoutMs,
    backoffMs: nonNegative(opts.backoffMs, DEFAULT_BACKOFF_MS, "backoffMs"),
    maxBytes: positive(opts.maxBytes, DEFAULT_MAX_BYTES, "maxBytes"),
    now: opts.now ?? (() => new Date()),
    log: opts.log ?? ((msg) => void process.stderr.write(msg + "\n")),
    fetch: opts.fetchImpl ?? checkedFetch({allowPrivate, resolve: opts.resolve}),
    allowPrivate,
    staleAfterMs: Math.max(2 * timeoutMs, STALE_PART_MIN_MS),
    beforeWrite: opts.beforeWrite
  };
  return {
    ctx,
    perHost: positiveInt(opts.perHostConcurrency, DEFAULT_PER_HOST, "perHostConcurrency"),
    total: positiveInt(opts.totalConcurrency, DEFAULT_TOTAL, "totalConcurrency")
  };
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
