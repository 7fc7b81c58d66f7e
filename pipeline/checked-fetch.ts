/**
 * fetch for discovery and fetch, on node's http and https with a lookup of our own (checkedLookup): the connection
 * goes to an address that was checked, never to one a second resolution of the name gives; an address written in the
 * URL is checked before anything (checkAddress). Node's built-in fetch
 * takes no lookup. Enough of fetch for what they ask: GET and HEAD, request headers, redirects left to the caller,
 * an abort signal, and a body decoded as it is read (gzip, deflate, br), as fetch does.
 */
import http from "node:http";
import https from "node:https";
import {Readable, pipeline} from "node:stream";
import zlib from "node:zlib";
import {checkAddress, checkedLookup, privateAllowedByDefault, type Resolver} from "./address-check.ts";

export interface CheckedFetchOptions {
  /** Connect to private and loopback addresses too (default: only when VCSE_SPEND_ALLOW_PRIVATE=1, as in the tests). */
  allowPrivate?: boolean;
  /** How names are resolved (default: the system's resolver). */
  resolve?: Resolver;
}

/** Statuses whose response has no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress()
};

export function checkedFetch(o: CheckedFetchOptions = {}): typeof fetch {
  const allowPrivate = o.allowPrivate ?? privateAllowedByDefault();
  const lookup = checkedLookup(allowPrivate, o.resolve);
  // One pool per client, so that a connection made under other rules is never reused.
  const agents = {"http:": new http.Agent({keepAlive: true}), "https:": new https.Agent({keepAlive: true})};
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // An address written as such is never looked up: it is checked here.
    await checkAddress(url.href, allowPrivate);
    if (init.body !== undefined && init.body !== null) throw new TypeError("a request body is not supported");
    if (init.redirect !== "manual") throw new TypeError('redirects are the caller\'s to follow: pass redirect: "manual"');
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers));
    headers["accept-encoding"] ??= "gzip, deflate, br";
    const client = url.protocol === "https:" ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const req = client.request(url, {method, headers, agent: agents[url.protocol as "http:"], lookup, signal: init.signal ?? undefined}, (res) => {
        try {
          resolve(toResponse(res, method));
        } catch (e) {
          res.destroy();
          reject(e as Error);
        }
      });
      req.on("error", reject);
      req.end();
    });
  };
}

function toResponse(res: http.IncomingMessage, method: string): Response {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) throw new TypeError(`invalid HTTP status ${status}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  let body: Readable | null = null;
  if (method !== "HEAD" && !NULL_BODY.has(status)) {
    const decode = DECODERS[(res.headers["content-encoding"] ?? "").trim().toLowerCase()];
    body = decode ? (pipeline(res, decode(), () => {}) as unknown as Readable) : res;
  } else res.resume();
  return new Response(body && (Readable.toWeb(body) as ReadableStream<Uint8Array>), {status, statusText: res.statusMessage ?? "", headers});
}
