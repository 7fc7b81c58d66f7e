import {spawn, spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, unlink, utimes, writeFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {zipSync} from "fflate";
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {fetchSources, readLock, type FetchOptions, type FetchTarget, type LockEntry} from "../pipeline/fetch/fetch-source.ts";

// ---------------------------------------------------------------------------------------------
// A real HTTP server on 127.0.0.1 with one handler per path, counting requests and concurrency.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
const requestHeaders = new Map<string, http.IncomingHttpHeaders[]>();
let active = 0;
let maxActive = 0;
const activeByHost = new Map<string, number>();
const maxActiveByHost = new Map<string, number>();
let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // Fetch asks HEAD after a download with an ETag or Last-Modified, to see the file did not change meanwhile
    // (test/hostile-servers.test.ts); this server does not answer HEAD, which fetch takes as no change.
    if (req.method === "HEAD") return void res.writeHead(405).end();
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    requestHeaders.set(path, [...(requestHeaders.get(path) ?? []), req.headers]);
    const host = String(req.headers["x-host"] ?? req.headers.host ?? "");
    active++;
    maxActive = Math.max(maxActive, active);
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
    maxActiveByHost.set(host, Math.max(maxActiveByHost.get(host) ?? 0, activeByHost.get(host) ?? 0));
    let open = true;
    const finished = () => {
      if (!open) return;
      open = false;
      active--;
      activeByHost.set(host, (activeByHost.get(host) ?? 1) - 1);
    };
    res.on("close", finished);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, {"content-type": "text/plain"});
      res.end("no such route");
      return;
    }
    handler(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// ---------------------------------------------------------------------------------------------
// Per-test temp dirs and options.

let dir: string;
let cacheDir: string;
let lockPath: string;
let logs: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fetch-source-test-"));
  cacheDir = join(dir, "raw");
  lockPath = join(dir, "raw.lock.json");
  logs = [];
  routes.clear();
  maxActive = 0;
  maxActiveByHost.clear();
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

const T1 = new Date("2024-05-01T10:00:00.000Z");
const T2 = new Date("2024-06-01T10:00:00.000Z");
const T3 = new Date("2024-07-01T10:00:00.000Z");

function opts(extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    cacheDir,
    lockPath,
    retries: 2,
    backoffMs: 5,
    timeoutMs: 3000,
    now: () => T1,
    log: (m) => logs.push(m),
    ...extra
  };
}

function sha(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function target(path: string, urlPath: string, extra: Partial<FetchTarget> = {}): FetchTarget {
  return {council: "E07000120", url: base + urlPath, path, ...extra};
}

function serve(body: string | Uint8Array, headers: http.OutgoingHttpHeaders = {"content-type": "text/csv"}): Handler {
  return (_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  };
}

/** Every file under the cache (relative paths), to prove no temp or partial files are left behind. */
async function cacheFiles(): Promise<string[]> {
  if (!existsSync(cacheDir)) return [];
  const entries = await readdir(cacheDir, {recursive: true, withFileTypes: true});
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(cacheDir.length + 1))
    .sort();
}

const CSV1 = "Date,Supplier,Amount\n2019-04-01,Age UK,1200.00\n";
const CSV2 = "Date,Supplier,Amount\n2019-04-01,Age UK,1200.00\n2019-04-02,Citizens Advice,650.00\n";

// ---------------------------------------------------------------------------------------------

describe("fetchSources", () => {
  it("200 OK: writes the file, records url/sha/bytes/time/validators, lock pretty-printed with sorted keys", async () => {
    routes.set("/ok.csv", serve(CSV1, {"content-type": "text/csv", etag: '"abc"', "last-modified": "Wed, 01 May 2024 09:00:00 GMT"}));
    const [entry, ...rest] = await fetchSources([target("E07000120/2019-04.csv", "/ok.csv")], opts());
    expect(rest).toEqual([]);
    const expected: LockEntry = {
      bytes: Buffer.byteLength(CSV1),
      content_type: "text/csv",
      etag: '"abc"',
      fetched_at: "2024-05-01T10:00:00.000Z",
      last_modified: "Wed, 01 May 2024 09:00:00 GMT",
      path: "E07000120/2019-04.csv",
      sha256: sha(CSV1),
      status: "fetched",
      url: `${base}/ok.csv`
    };
    expect(entry).toEqual(expected);
    expect(await readFile(join(cacheDir, "E07000120/2019-04.csv"), "utf8")).toBe(CSV1);
    expect(hits.get("/ok.csv")).toBe(1);
    // Keys written in alphabetical order above, so this is the exact expected text.
    expect(await readFile(lockPath, "utf8")).toBe(JSON.stringify({"E07000120/2019-04.csv": expected}, null, 2) + "\n");
    expect(readLock(lockPath)).toEqual({"E07000120/2019-04.csv": expected});
    expect(await cacheFiles()).toEqual(["E07000120/2019-04.csv"]);
    expect((await readdir(dir)).sort()).toEqual(["raw", "raw.lock.json"]);
    expect(logs.some((l) => l.includes("fetched E07000120/2019-04.csv"))).toBe(true);
  });

  it("readLock: a missing file is {}; entries for paths not fetched this run are preserved", async () => {
    expect(readLock(join(dir, "nope.json"))).toEqual({});
    const other: LockEntry = {url: "http://example.invalid/x.csv", path: "X/x.csv", sha256: "f".repeat(64), bytes: 3, fetched_at: "2020-01-01T00:00:00.000Z", status: "fetched"};
    await writeFile(lockPath, JSON.stringify({"X/x.csv": other}));
    routes.set("/keep.csv", serve(CSV1));
    await fetchSources([target("A/a.csv", "/keep.csv")], opts());
    const lock = readLock(lockPath);
    expect(Object.keys(lock)).toEqual(["A/a.csv", "X/x.csv"]);
    expect(lock["X/x.csv"]).toEqual(other);
  });

  it("304: the second run sends If-None-Match / If-Modified-Since and records not_modified; no conditional once the file is gone", async () => {
    const lastModified = "Tue, 30 Apr 2024 12:00:00 GMT";
    routes.set("/etag.csv", (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, {etag: '"v1"'});
        res.end();
        return;
      }
      res.writeHead(200, {"content-type": "text/csv", etag: '"v1"', "last-modified": lastModified});
      res.end(CSV1);
    });
    const t = target("E1/etag.csv", "/etag.csv");
    const [first] = await fetchSources([t], opts({now: () => T1}));
    expect(first?.status).toBe("fetched");
    const [second] = await fetchSources([t], opts({now: () => T2}));
    expect(second).toEqual({
      url: `${base}/etag.csv`,
      path: "E1/etag.csv",
      sha256: sha(CSV1),
      bytes: Buffer.byteLength(CSV1),
      fetched_at: T2.toISOString(),
      etag: '"v1"',
      last_modified: lastModified,
      content_type: "text/csv",
      status: "not_modified"
    });
    expect(hits.get("/etag.csv")).toBe(2);
    const [h1, h2] = requestHeaders.get("/etag.csv") ?? [];
    expect(h1?.["if-none-match"]).toBeUndefined();
    expect(h2?.["if-none-match"]).toBe('"v1"');
    expect(h2?.["if-modified-since"]).toBe(lastModified);
    expect(await readFile(join(cacheDir, "E1/etag.csv"), "utf8")).toBe(CSV1);
    expect(readLock(lockPath)["E1/etag.csv"]).toEqual(second);

    // Cached copy deleted: an unconditional request, full download again.
    await unlink(join(cacheDir, "E1/etag.csv"));
    const [third] = await fetchSources([t], opts({now: () => T3}));
    expect(third?.status).toBe("fetched");
    expect(requestHeaders.get("/etag.csv")?.[2]?.["if-none-match"]).toBeUndefined();
    expect(hits.get("/etag.csv")).toBe(3);
    expect(await readFile(join(cacheDir, "E1/etag.csv"), "utf8")).toBe(CSV1);
  });

  it("304 via Last-Modified only", async () => {
    const lastModified = "Tue, 30 Apr 2024 12:00:00 GMT";
    routes.set("/lm.csv", (req, res) => {
      if (req.headers["if-modified-since"] === lastModified) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, {"content-type": "text/csv", "last-modified": lastModified});
      res.end(CSV1);
    });
    const t = target("E1/lm.csv", "/lm.csv");
    await fetchSources([t], opts());
    const [second] = await fetchSources([t], opts({now: () => T2}));
    expect(second?.status).toBe("not_modified");
    expect(second?.sha256).toBe(sha(CSV1));
    expect(requestHeaders.get("/lm.csv")?.[1]?.["if-none-match"]).toBeUndefined();
    expect(hits.get("/lm.csv")).toBe(2);
  });

  it("404: failed after exactly one request, no file, lock records the failure", async () => {
    const [entry] = await fetchSources([target("E1/missing.csv", "/missing.csv")], opts({retries: 3}));
    expect(entry).toEqual({
      url: `${base}/missing.csv`,
      path: "E1/missing.csv",
      sha256: "",
      bytes: 0,
      fetched_at: T1.toISOString(),
      status: "failed",
      error: `${base}/missing.csv: HTTP 404 Not Found`
    });
    expect(hits.get("/missing.csv")).toBe(1);
    expect(await cacheFiles()).toEqual([]);
    expect(readLock(lockPath)["E1/missing.csv"]).toEqual(entry);
  });

  it("500 then 200: retried once, fetched", async () => {
    routes.set("/flaky.csv", (_req, res, n) => {
      if (n === 1) {
        res.writeHead(500);
        res.end("oops");
      } else serve(CSV1)(_req, res, n);
    });
    const [entry] = await fetchSources([target("E1/flaky.csv", "/flaky.csv")], opts());
    expect(entry?.status).toBe("fetched");
    expect(entry?.sha256).toBe(sha(CSV1));
    expect(hits.get("/flaky.csv")).toBe(2);
    expect(await readFile(join(cacheDir, "E1/flaky.csv"), "utf8")).toBe(CSV1);
    expect(logs.filter((l) => l.startsWith("retry 1/2") && l.includes("HTTP 500 Internal Server Error"))).toHaveLength(1);
  });

  it.each([429, 408, 503])("%i then 200: retried, fetched", async (status) => {
    routes.set(`/s${status}.csv`, (_req, res, n) => {
      if (n === 1) {
        res.writeHead(status);
        res.end();
      } else serve(CSV1)(_req, res, n);
    });
    const [entry] = await fetchSources([target(`E1/s${status}.csv`, `/s${status}.csv`)], opts());
    expect(entry?.status).toBe("fetched");
    expect(hits.get(`/s${status}.csv`)).toBe(2);
  });

  it("always 500: exactly 1 + retries requests, then failed", async () => {
    routes.set("/down.csv", (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const [entry] = await fetchSources([target("E1/down.csv", "/down.csv")], opts({retries: 3}));
    expect(entry?.status).toBe("failed");
    expect(entry?.error).toBe(`${base}/down.csv: HTTP 500 Internal Server Error`);
    expect(hits.get("/down.csv")).toBe(4);

    routes.set("/down0.csv", (_req, res) => {
      res.writeHead(502);
      res.end();
    });
    const [e0] = await fetchSources([target("E1/down0.csv", "/down0.csv")], opts({retries: 0}));
    expect(e0?.error).toBe(`${base}/down0.csv: HTTP 502 Bad Gateway`);
    expect(hits.get("/down0.csv")).toBe(1);
    expect(await cacheFiles()).toEqual([]);
  });

  it("connection reset: retried as a network error, bounded, failed", async () => {
    routes.set("/reset.csv", (req) => {
      req.socket.destroy();
    });
    const [entry] = await fetchSources([target("E1/reset.csv", "/reset.csv")], opts({retries: 2}));
    expect(entry?.status).toBe("failed");
    expect(entry?.error).toMatch(new RegExp(`^${base}/reset\\.csv: network error: `));
    expect(hits.get("/reset.csv")).toBe(3);
    expect(await cacheFiles()).toEqual([]);
  });

  it("connection reset mid-body, then OK: the partial body never lands, the retry does", async () => {
    routes.set("/midreset.csv", (req, res, n) => {
      if (n === 1) {
        res.writeHead(200, {"content-type": "text/csv", "content-length": String(Buffer.byteLength(CSV2))});
        res.write(CSV2.slice(0, 10), () => setTimeout(() => req.socket.destroy(), 20));
      } else serve(CSV2)(req, res, n);
    });
    const [entry] = await fetchSources([target("E1/midreset.csv", "/midreset.csv")], opts());
    expect(entry?.status).toBe("fetched");
    expect(entry?.sha256).toBe(sha(CSV2));
    expect(hits.get("/midreset.csv")).toBe(2);
    expect(await readFile(join(cacheDir, "E1/midreset.csv"), "utf8")).toBe(CSV2);
    expect(await cacheFiles()).toEqual(["E1/midreset.csv"]);
  });

  it("slow drip past the timeout: timed out, retried, bounded, no partial file", async () => {
    routes.set("/drip.csv", (_req, res) => {
      res.writeHead(200, {"content-type": "text/csv"});
      const iv = setInterval(() => res.write("1,2\n"), 40);
      const stop = setTimeout(() => {
        clearInterval(iv);
        res.end();
      }, 5000);
      res.on("close", () => {
        clearInterval(iv);
        clearTimeout(stop);
      });
    });
    const [entry] = await fetchSources([target("E1/drip.csv", "/drip.csv")], opts({timeoutMs: 300, retries: 1}));
    expect(entry?.status).toBe("failed");
    expect(entry?.error).toBe(`${base}/drip.csv: timed out after 300 ms`);
    expect(hits.get("/drip.csv")).toBe(2);
    expect(await cacheFiles()).toEqual([]);
  });

  it("redirects: a chain of 5 is followed, 6 is too many, a loop fails with 'redirect loop'", async () => {
    for (let i = 1; i <= 6; i++) {
      routes.set(`/hop${i}`, (_req, res) => {
        res.writeHead(i % 2 ? 302 : 301, {location: `/hop${i - 1}`});
        res.end();
      });
    }
    routes.set("/hop0", serve(CSV1));
    routes.set("/loop-a", (_req, res) => {
      res.writeHead(302, {location: `${base}/loop-b`});
      res.end();
    });
    routes.set("/loop-b", (_req, res) => {
      res.writeHead(307, {location: "/loop-a"});
      res.end();
    });
    const [five, six, loop] = await fetchSources(
      [target("E1/five.csv", "/hop5"), target("E1/six.csv", "/hop6"), target("E1/loop.csv", "/loop-a")],
      opts({perHostConcurrency: 1})
    );
    expect(five?.status).toBe("fetched");
    expect(five?.url).toBe(`${base}/hop5`);
    expect(five?.sha256).toBe(sha(CSV1));
    expect(await readFile(join(cacheDir, "E1/five.csv"), "utf8")).toBe(CSV1);
    expect(six?.status).toBe("failed");
    expect(six?.error).toBe(`${base}/hop6: too many redirects (more than 5)`);
    expect(loop?.status).toBe("failed");
    expect(loop?.error).toMatch(new RegExp(`^${base}/loop-a: redirect loop`));
    // No retries for redirect failures; the loop is caught before re-requesting loop-a.
    expect(hits.get("/loop-a")).toBe(1);
    expect(hits.get("/loop-b")).toBe(1);
    expect(hits.get("/hop0")).toBe(1);
    expect(hits.get("/hop6")).toBe(1);
  });

  it("HTML served with 200 for a .csv: refused; the last good copy and its lock data are kept", async () => {
    routes.set("/page.csv", serve(CSV1, {"content-type": "text/csv"}));
    const t = target("E1/page.csv", "/page.csv");
    const [good] = await fetchSources([t], opts({now: () => T1}));
    expect(good?.status).toBe("fetched");

    routes.set("/page.csv", serve("<!DOCTYPE html><html><body>Page moved</body></html>", {"content-type": "text/html; charset=utf-8"}));
    const [kept] = await fetchSources([t], opts({now: () => T2}));
    expect(kept).toEqual({...good, status: "kept_last_good", error: `${base}/page.csv: served an HTML page (text/html), not a csv file`});
    expect(kept?.fetched_at).toBe(T1.toISOString());
    expect(await readFile(join(cacheDir, "E1/page.csv"), "utf8")).toBe(CSV1);
    expect(readLock(lockPath)["E1/page.csv"]).toEqual(kept);
    expect(hits.get("/page.csv")).toBe(2);
    expect(await cacheFiles()).toEqual(["E1/page.csv"]);
  });

  it("HTML body sniffed despite a data content-type (whitespace, BOM, any case); no previous copy -> failed", async () => {
    routes.set("/sniff.csv", serve("\uFEFF \r\n\t<!doctype HTML>\n<p>Error</p>", {"content-type": "application/octet-stream"}));
    routes.set("/sniff2.xlsx", serve("  <HTML><body>login</body></HTML>", {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}));
    const [a, b] = await fetchSources([target("E1/sniff.csv", "/sniff.csv"), target("E1/sniff2.xlsx", "/sniff2.xlsx")], opts());
    expect(a?.status).toBe("failed");
    expect(a?.error).toBe(`${base}/sniff.csv: served an HTML page (application/octet-stream, HTML body), not a csv file`);
    expect(b?.status).toBe("failed");
    expect(b?.error).toMatch(/served an HTML page .*not a xlsx file$/);
    expect(hits.get("/sniff.csv")).toBe(1);
    expect(await cacheFiles()).toEqual([]);
  });

  it("empty body: refused, failed, one request, nothing written", async () => {
    routes.set("/empty.csv", serve(""));
    const [entry] = await fetchSources([target("E1/empty.csv", "/empty.csv")], opts());
    expect(entry?.status).toBe("failed");
    expect(entry?.error).toBe(`${base}/empty.csv: empty body`);
    expect(hits.get("/empty.csv")).toBe(1);
    expect(await cacheFiles()).toEqual([]);
  });

  it("ZIP: a valid archive is accepted; a truncated one is refused and the last good copy kept; non-ZIP xlsx refused", async () => {
    const rows = Array.from({length: 3000}, (_, i) => `2019-04-${String((i % 28) + 1).padStart(2, "0")},Supplier ${i},${i}.00`).join("\n");
    const zip = zipSync({"spend.csv": new TextEncoder().encode(rows)}, {level: 0});
    expect(zip.length).toBeGreaterThan(50_000);
    routes.set("/spend.zip", serve(zip, {"content-type": "application/zip"}));
    const t = target("E1/spend.zip", "/spend.zip");
    const [good] = await fetchSources([t], opts());
    expect(good?.status).toBe("fetched");
    expect(good?.sha256).toBe(sha(zip));
    expect(good?.bytes).toBe(zip.length);

    const truncated = zip.subarray(0, Math.floor(zip.length / 2));
    routes.set("/spend.zip", serve(truncated, {"content-type": "application/zip"}));
    const [kept] = await fetchSources([t], opts({now: () => T2}));
    expect(kept).toEqual({...good, status: "kept_last_good", error: `${base}/spend.zip: truncated ZIP (no end of central directory)`});
    expect(Buffer.compare(await readFile(join(cacheDir, "E1/spend.zip")), Buffer.from(zip))).toBe(0);
    expect(hits.get("/spend.zip")).toBe(2);

    routes.set("/data", serve("a,b\n1,2\n", {"content-type": "application/octet-stream"}));
    const [notZip] = await fetchSources([target("E1/book.bin", "/data", {kind: "xlsx"})], opts());
    expect(notZip?.status).toBe("failed");
    expect(notZip?.error).toBe(`${base}/data: not a ZIP archive (no PK\\x03\\x04 signature at the start)`);
    expect(await cacheFiles()).toEqual(["E1/spend.zip"]);
  });

  it("different content at the same URL: replaced, sha changes, the log says so", async () => {
    routes.set("/changing.csv", serve(CSV1));
    const t = target("E1/changing.csv", "/changing.csv");
    const [v1] = await fetchSources([t], opts({now: () => T1}));
    routes.set("/changing.csv", serve(CSV2));
    const [v2] = await fetchSources([t], opts({now: () => T2}));
    expect(v1?.sha256).toBe(sha(CSV1));
    expect(v2).toEqual({
      url: `${base}/changing.csv`,
      path: "E1/changing.csv",
      sha256: sha(CSV2),
      bytes: Buffer.byteLength(CSV2),
      fetched_at: T2.toISOString(),
      content_type: "text/csv",
      status: "fetched"
    });
    expect(await readFile(join(cacheDir, "E1/changing.csv"), "utf8")).toBe(CSV2);
    expect(readLock(lockPath)["E1/changing.csv"]?.sha256).toBe(sha(CSV2));
    expect(logs.filter((l) => l.includes("content changed") && l.includes(`${sha(CSV1)} -> ${sha(CSV2)}`))).toHaveLength(1);
    expect(hits.get("/changing.csv")).toBe(2);
  });

  it("bodies over maxBytes are refused, with or without Content-Length", async () => {
    const big = "x".repeat(5000);
    routes.set("/big.csv", serve(big, {"content-type": "text/csv", "content-length": "5000"}));
    routes.set("/bigchunked.csv", (_req, res) => {
      res.writeHead(200, {"content-type": "text/csv"});
      for (let i = 0; i < 5; i++) res.write("y".repeat(1000));
      res.end();
    });
    const [a, b] = await fetchSources(
      [target("E1/big.csv", "/big.csv"), target("E1/bigchunked.csv", "/bigchunked.csv")],
      opts({maxBytes: 2000})
    );
    expect(a?.error).toBe(`${base}/big.csv: body of 5000 bytes exceeds maxBytes (2000)`);
    expect(b?.error).toBe(`${base}/bigchunked.csv: body exceeds maxBytes (2000)`);
    expect([a?.status, b?.status]).toEqual(["failed", "failed"]);
    expect(hits.get("/big.csv")).toBe(1);
    expect(hits.get("/bigchunked.csv")).toBe(1);
    expect(await cacheFiles()).toEqual([]);
  });

  it("per-host concurrency: 6 targets with limit 2 never exceed 2 simultaneous requests", async () => {
    for (let i = 1; i <= 6; i++) {
      routes.set(`/slow${i}.csv`, (_req, res) => {
        setTimeout(() => serve(`${CSV1}${i}\n`)(_req, res, 1), 120);
      });
    }
    const targets = Array.from({length: 6}, (_, k) => target(`E1/slow${k + 1}.csv`, `/slow${k + 1}.csv`));
    const results = await fetchSources(targets, opts({perHostConcurrency: 2}));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill("fetched"));
    expect(results.map((r) => r.path)).toEqual(targets.map((t) => t.path));
    expect(maxActive).toBe(2);
    for (let i = 1; i <= 6; i++) expect(hits.get(`/slow${i}.csv`)).toBe(1);
  });

  it("per-host concurrency is keyed by host: limit 1 on two hosts allows 2 at once, 1 per host", async () => {
    for (const h of ["a", "b"]) {
      for (let i = 1; i <= 3; i++) {
        routes.set(`/${h}${i}.csv`, (_req, res) => {
          setTimeout(() => serve(CSV1)(_req, res, 1), 100);
        });
      }
    }
    // Two host names, both served by the test server: the fetchImpl maps them to 127.0.0.1.
    const fetchImpl: typeof fetch = (input, init) => {
      const u = new URL(String(input));
      const host = u.hostname;
      u.hostname = "127.0.0.1";
      return fetch(u, {...init, headers: {...(init?.headers as Record<string, string>), "x-host": host}});
    };
    const targets: FetchTarget[] = [];
    for (const h of ["a", "b"]) {
      for (let i = 1; i <= 3; i++) targets.push({council: h, url: `http://${h}.test:${port}/${h}${i}.csv`, path: `${h}/${i}.csv`});
    }
    const results = await fetchSources(targets, opts({perHostConcurrency: 1, fetchImpl}));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill("fetched"));
    expect(maxActive).toBe(2);
    expect(maxActiveByHost.get("a.test")).toBe(1);
    expect(maxActiveByHost.get("b.test")).toBe(1);
    const seen = [...requestHeaders.entries()].filter(([p]) => /^\/[ab]\d\.csv$/.test(p)).flatMap(([, hs]) => hs.map((h) => h["x-host"]));
    expect(seen.sort()).toEqual(["a.test", "a.test", "a.test", "b.test", "b.test", "b.test"]);
  });

  it("one failing target does not stop the others; results in target order, all in the lock", async () => {
    routes.set("/good1.csv", serve(CSV1));
    routes.set("/good2.csv", serve(CSV2));
    routes.set("/boom.csv", (req) => req.socket.destroy());
    routes.set("/html.csv", serve("<html></html>", {"content-type": "text/html"}));
    const targets = [
      target("A/good1.csv", "/good1.csv"),
      target("A/gone.csv", "/gone.csv"),
      target("A/boom.csv", "/boom.csv"),
      target("A/html.csv", "/html.csv"),
      target("../escape.csv", "/good1.csv"),
      target("A/good2.csv", "/good2.csv")
    ];
    const results = await fetchSources(targets, opts({retries: 1}));
    expect(results.map((r) => [r.path, r.status])).toEqual([
      ["A/good1.csv", "fetched"],
      ["A/gone.csv", "failed"],
      ["A/boom.csv", "failed"],
      ["A/html.csv", "failed"],
      ["../escape.csv", "failed"],
      ["A/good2.csv", "fetched"]
    ]);
    expect(results[4]?.error).toMatch(/outside the cache/);
    expect(Object.keys(readLock(lockPath)).sort()).toEqual(targets.map((t) => t.path).sort());
    expect(await cacheFiles()).toEqual(["A/good1.csv", "A/good2.csv"]);
    expect(await readFile(join(cacheDir, "A/good2.csv"), "utf8")).toBe(CSV2);
    expect(hits.get("/good1.csv")).toBe(1);
    expect(hits.get("/boom.csv")).toBe(2);
    expect(existsSync(join(dir, "escape.csv"))).toBe(false);
  });

  it("a cached file without a lock entry still counts as the last good copy", async () => {
    await mkdir(join(cacheDir, "E1"), {recursive: true});
    await writeFile(join(cacheDir, "E1/orphan.csv"), CSV1);
    const [entry] = await fetchSources([target("E1/orphan.csv", "/orphan-gone.csv")], opts());
    expect(entry?.status).toBe("kept_last_good");
    expect(entry?.sha256).toBe(sha(CSV1));
    expect(entry?.bytes).toBe(Buffer.byteLength(CSV1));
    expect(entry?.error).toBe(`${base}/orphan-gone.csv: HTTP 404 Not Found`);
    expect(await readFile(join(cacheDir, "E1/orphan.csv"), "utf8")).toBe(CSV1);
  });
});

// ---------------------------------------------------------------------------------------------
// What a killed run leaves behind, and symbolic links in the cache.

/** A pid no process has: a child's, once it has exited (pids are not reused this quickly). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid;
}

const partsOf = async (name: string) => (await readdir(join(cacheDir, "E1"))).filter((f) => f.startsWith(`.${name}.`) && f.endsWith(".part")).sort();

describe("partial downloads left by a killed run", () => {
  it("are removed before the same target is fetched again (dead pid, earlier run under this pid, old name, stale age); a live writer's are kept", async () => {
    routes.set("/a.csv", serve(CSV1));
    await fetchSources([target("E1/a.csv", "/a.csv")], opts());
    const dead = deadPid();
    const parts = {
      dead: `.a.csv.${dead}.0123abcd.89abcdef.part`,
      earlierRun: `.a.csv.${process.pid}.deadbeef.00000000.part`,
      oldName: `.a.csv.${dead}.12345678.part`,
      liveFresh: `.a.csv.${process.ppid}.aaaaaaaa.bbbbbbbb.part`,
      liveOld: `.a.csv.${process.ppid}.cccccccc.dddddddd.part`,
      otherTarget: `.b.csv.${dead}.0123abcd.89abcdef.part`
    };
    for (const name of Object.values(parts)) await writeFile(join(cacheDir, "E1", name), CSV2.slice(0, 30));
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(cacheDir, "E1", parts.liveOld), twoHoursAgo, twoHoursAgo);
    const lockPart = join(dir, `.raw.lock.json.${dead}.0123abcd.89abcdef.part`);
    await writeFile(lockPart, "{");

    routes.set("/a.csv", serve(CSV2));
    const [entry] = await fetchSources([target("E1/a.csv", "/a.csv")], opts());
    expect(entry).toMatchObject({status: "fetched", sha256: sha(CSV2)});
    expect(await readFile(join(cacheDir, "E1/a.csv"), "utf8")).toBe(CSV2);
    expect(await partsOf("a.csv")).toEqual([parts.liveFresh]);
    expect(await partsOf("b.csv")).toEqual([parts.otherTarget]);
    expect(existsSync(lockPart)).toBe(false);
    expect(logs.some((l) => l.startsWith("removed 4 partial download(s) of E1/a.csv left by a killed run: "))).toBe(true);
    expect(logs).toContain(`removed 1 partial lock file(s) left by a killed run: ${lockPart.split("/").pop()}`);
  });

  it("are never published: when the server then fails, the last good copy stays and the part file goes", async () => {
    routes.set("/a.csv", serve(CSV1));
    await fetchSources([target("E1/a.csv", "/a.csv")], opts());
    // A complete-looking newer body, left under a part name by a run killed before its rename.
    await writeFile(join(cacheDir, "E1", `.a.csv.${deadPid()}.0123abcd.89abcdef.part`), CSV2);
    routes.set("/a.csv", (_req, res) => res.writeHead(500).end());
    const [entry] = await fetchSources([target("E1/a.csv", "/a.csv")], opts({retries: 1}));
    expect(entry).toMatchObject({status: "kept_last_good", sha256: sha(CSV1)});
    expect(await readFile(join(cacheDir, "E1/a.csv"), "utf8")).toBe(CSV1);
    expect(await cacheFiles()).toEqual(["E1/a.csv"]);
  });

  it("a fetch SIGKILLed mid-body leaves a part file; the next run removes it and publishes the whole file", async () => {
    const body = Buffer.from(CSV2.repeat(400));
    let sent = 0;
    routes.set("/slow.csv", (_req, res) => {
      res.writeHead(200, {"content-type": "text/csv", "content-length": String(body.length)});
      const timer = setInterval(() => {
        if (sent >= body.length) return clearInterval(timer);
        res.write(body.subarray(sent, sent + 256));
        sent += 256;
      }, 20);
      res.on("close", () => clearInterval(timer));
    });
    const script = join(dir, "child.mts");
    await writeFile(
      script,
      `import {fetchSources} from ${JSON.stringify(resolve("pipeline/fetch/fetch-source.ts"))};
await fetchSources([{council: "E1", url: ${JSON.stringify(`${base}/slow.csv`)}, path: "E1/slow.csv"}], {cacheDir: ${JSON.stringify(cacheDir)}, lockPath: ${JSON.stringify(lockPath)}, log: () => {}});\n`
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], {stdio: "ignore"});
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_code, signal) => done(signal)));
    const partBytes = async () => {
      const [part] = existsSync(join(cacheDir, "E1")) ? await partsOf("slow.csv") : [];
      return part ? (await stat(join(cacheDir, "E1", part)).catch(() => ({size: 0}))).size : 0;
    };
    for (let i = 0; i < 3000 && (await partBytes()) < 2048; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect((await partsOf("slow.csv")).length).toBe(1);
    expect(existsSync(join(cacheDir, "E1/slow.csv"))).toBe(false);

    routes.set("/slow.csv", serve(body));
    const [entry] = await fetchSources([target("E1/slow.csv", "/slow.csv")], opts());
    expect(entry).toMatchObject({status: "fetched", sha256: sha(body), bytes: body.length});
    expect(await cacheFiles()).toEqual(["E1/slow.csv"]);
  });
});

describe("symbolic links in the cache", () => {
  it("a target whose folder or file is a link out of the cache is refused, and nothing outside is written or read", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "fetch-elsewhere-"));
    try {
      await writeFile(join(elsewhere, "secret.csv"), "not the council's");
      await mkdir(cacheDir, {recursive: true});
      await symlink(elsewhere, join(cacheDir, "linked"));
      await symlink(join(elsewhere, "secret.csv"), join(cacheDir, "out.csv"));
      routes.set("/a.csv", serve(CSV1));
      const results = await fetchSources([target("linked/a.csv", "/a.csv"), target("out.csv", "/a.csv"), target("E1/a.csv", "/a.csv")], opts());
      const real = await realpath(elsewhere);
      expect(results.map((r) => [r.status, r.error])).toEqual([
        ["failed", `${base}/a.csv: cache path linked/a.csv leads through a symbolic link out of the cache, to ${real}`],
        ["failed", `${base}/a.csv: cache path out.csv leads through a symbolic link out of the cache, to ${join(real, "secret.csv")}`],
        ["fetched", undefined]
      ]);
      expect((await readdir(elsewhere)).sort()).toEqual(["secret.csv"]);
      expect(await readFile(join(elsewhere, "secret.csv"), "utf8")).toBe("not the council's");
    } finally {
      await rm(elsewhere, {recursive: true, force: true});
    }
  });
});
