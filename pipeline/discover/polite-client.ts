import {checkAddress, checkScheme, privateAllowedByDefault, type Resolver} from "../address-check.ts";
import {checkedFetch} from "../checked-fetch.ts";
import {isPageType} from "./file-format.ts";
import type {PageCache} from "./page-cache.ts";
import {robotsRules, type RobotsRules} from "./robots.ts";

export interface PoliteOptions {
  /** Pause between the end of one request to a host and the start of the next (default 1000). */
  delayMs?: number;
  /** Who to write to about this crawler: an e-mail address or a URL, sent in the User-Agent. */
  contact?: string;
  timeoutMs?: number;
  /** Largest page accepted (default 20 MB). */
  maxBytes?: number;
  fetchImpl?: typeof fetch;
  log?: (message: string) => void;
  /** Pages read before: asked again with If-None-Match / If-Modified-Since, and reused on 304. */
  cache?: PageCache;
  /** Ask private and loopback addresses too (default: only when VCSE_SPEND_ALLOW_PRIVATE=1, as in the tests). */
  allowPrivate?: boolean;
  /** How host names are resolved (default: the system's resolver); every address is checked as the connection is made. */
  resolve?: Resolver;
}

export interface Fetched {
  /** Where the page was found, after redirects. */
  url: string;
  status: number;
  contentType: string;
  /** "" for a file. */
  text: string;
  /** The server sent a file rather than a page: its body is left unread, for fetch to download. */
  file?: true;
  disposition?: string;
}

export class DiscoverError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`${url}: ${reason}`);
  }
}

const MAX_REDIRECTS = 5;
export const DEFAULT_CONTACT = "no contact given";

export function userAgent(contact = DEFAULT_CONTACT): string {
  return `vcse-spend-discover/0.1 (finds English councils' spending files; contact: ${contact})`;
}

/**
 * A crawler that asks each host one thing at a time with a pause between requests, names itself and a contact,
 * and asks nothing robots.txt forbids (an unreachable robots.txt forbids all, a missing one nothing).
 */
export class PoliteClient {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per origin, its rules, or why nothing may be asked of it. */
  private readonly robots = new Map<string, Promise<RobotsRules | string>>();
  private readonly agent: string;
  private readonly delayMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly fetch: typeof fetch;
  readonly log: (message: string) => void;
  private readonly cache?: PageCache;
  private readonly allowPrivate: boolean;
  /** Every request made, in order (robots.txt included). */
  readonly requested: string[] = [];

  constructor(options: PoliteOptions = {}) {
    this.agent = userAgent(options.contact);
    this.delayMs = options.delayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.log = options.log ?? (() => {});
    this.cache = options.cache;
    this.allowPrivate = options.allowPrivate ?? privateAllowedByDefault();
    this.fetch = options.fetchImpl ?? checkedFetch({allowPrivate: this.allowPrivate, resolve: options.resolve});
  }

  /**
   * A page's text, following redirects (each hop is asked of robots.txt too); throws DiscoverError on failure.
   * undefined when a redirect leads to a page `known` says was read already.
   */
  async get(
    url: string,
    accept = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.5",
    known?: (url: string) => boolean,
    within?: (url: string) => boolean
  ): Promise<Fetched | undefined> {
    const seen = new Set<string>();
    for (let current = url, hops = 0; ; hops++) {
      if (seen.has(current)) throw new DiscoverError(url, `redirect loop (back to ${current})`);
      seen.add(current);
      try {
        checkScheme(current);
      } catch (e) {
        throw new DiscoverError(url, current === url ? (e as Error).message : `redirects to ${current}: ${(e as Error).message}`);
      }
      const allowed = await this.mayAsk(current);
      if (allowed !== true) throw new DiscoverError(current, allowed || "robots.txt disallows it");
      const res = await this.request(current, accept);
      if (res.location === undefined) {
        if (res.status >= 400) throw new DiscoverError(current, `HTTP ${res.status}`);
        const {location: _, ...page} = res;
        return {url: current, ...page};
      }
      if (hops >= MAX_REDIRECTS) throw new DiscoverError(url, `more than ${MAX_REDIRECTS} redirects`);
      if (within && !within(res.location)) throw new DiscoverError(url, `redirects to ${res.location}, off the council's site`);
      current = res.location;
      if (known?.(current)) return undefined;
    }
  }

  /** Whether robots.txt lets this crawler ask for url: true, or why not ("" when it disallows the path). */
  mayAsk(url: string): Promise<true | string> {
    const u = new URL(url);
    let rules = this.robots.get(u.origin);
    if (!rules) {
      rules = this.robotsOf(u.origin);
      this.robots.set(u.origin, rules);
    }
    return rules.then((allow) => (typeof allow === "string" ? allow : allow(u.pathname + u.search) || ""));
  }

  /** A site's robots.txt rules, following its redirects; a missing file allows all, an unreadable one nothing. */
  private async robotsOf(origin: string): Promise<RobotsRules | string> {
    let url = `${origin}/robots.txt`;
    try {
      for (let hops = 0; hops <= MAX_REDIRECTS; hops++) {
        const r = await this.request(url, "text/plain");
        if (r.location === undefined) {
          if (r.status >= 500) return `robots.txt answered HTTP ${r.status}, so nothing is asked of this site`;
          return r.status >= 400 ? () => true : robotsRules(r.text, this.agent);
        }
        url = r.location;
      }
      return "robots.txt redirects too often, so nothing is asked of this site";
    } catch (e) {
      return `robots.txt could not be read, so nothing is asked of this site (${(e as Error).message})`;
    }
  }

  /** One request, queued behind the others to its host. */
  private request(url: string, accept: string): Promise<Omit<Fetched, "url"> & {location?: string}> {
    return this.queued(url, () => this.once(url, accept));
  }

  /** Runs ask once the host's earlier requests are done and the pause after them has passed. */
  private queued<T>(url: string, ask: () => Promise<T>): Promise<T> {
    const host = new URL(url).host;
    const previous = this.queues.get(host) ?? Promise.resolve(false);
    const next = previous.then(async (waited) => {
      if (waited && this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      return ask();
    });
    this.queues.set(host, next.then(() => true, () => true));
    return next;
  }

  /**
   * A fetch for other stages' downloads (fetch's): queued per host with the same pause, under this crawler's
   * User-Agent. A host's next request waits for the answer's headers, not its whole body.
   */
  readonly fetchThrough: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    headers.set("user-agent", this.agent);
    return this.queued(url, () => {
      this.requested.push(url);
      return this.fetch(input, {...init, headers});
    });
  };

  /** A body read as it arrives (decompressed, so a gzip bomb counts what it unpacks to), up to maxBytes. */
  private async readCapped(url: string, res: Response, ac: AbortController): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let bytes = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const chunk = reader ? await reader.read() : {done: true as const, value: undefined};
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > this.maxBytes) {
        ac.abort();
        throw new DiscoverError(url, `page of more than ${this.maxBytes} bytes`);
      }
      parts.push(chunk.value);
    }
    return Buffer.concat(parts);
  }

  private async once(url: string, accept: string): Promise<Omit<Fetched, "url"> & {location?: string}> {
    this.requested.push(url);
    this.log(`GET ${url}`);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    try {
      const cached = this.cache?.get(url);
      const headers: Record<string, string> = {"user-agent": this.agent, accept};
      if (cached?.etag) headers["if-none-match"] = cached.etag;
      if (cached?.last_modified) headers["if-modified-since"] = cached.last_modified;
      await checkAddress(url, this.allowPrivate).catch((e: Error) => {
        throw new DiscoverError(url, e.message);
      });
      const res = await this.fetch(url, {headers, redirect: "manual", signal: ac.signal});
      if (res.status === 304 && cached) {
        await res.body?.cancel();
        return {status: 200, contentType: cached.contentType, text: cached.text};
      }
      const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
      if (location !== null) {
        await res.body?.cancel();
        return {status: res.status, contentType: "", text: "", location: new URL(location, url).href};
      }
      const contentType = res.headers.get("content-type") ?? "";
      const disposition = res.headers.get("content-disposition") ?? "";
      if (/attachment/i.test(disposition) || !isPageType(contentType)) {
        // A file, not a page: what it is is in the headers, and its body is fetch's to download.
        await res.body?.cancel();
        return {status: res.status, contentType, text: "", file: true, disposition};
      }
      const length = Number(res.headers.get("content-length") ?? 0);
      if (length > this.maxBytes) throw new DiscoverError(url, `page of ${length} bytes, more than ${this.maxBytes}`);
      const body = await this.readCapped(url, res, ac);
      const page = {status: res.status, contentType, text: new TextDecoder().decode(body)};
      const etag = res.headers.get("etag") ?? undefined;
      const lastModified = res.headers.get("last-modified") ?? undefined;
      if (this.cache && res.status === 200 && (etag || lastModified)) {
        this.cache.put({url, etag, last_modified: lastModified, contentType: page.contentType, text: page.text, fetched_at: new Date().toISOString()});
      }
      return page;
    } catch (e) {
      if (e instanceof DiscoverError) throw e;
      throw new DiscoverError(url, ac.signal.aborted ? `no answer within ${this.timeoutMs} ms` : (e as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }
}
