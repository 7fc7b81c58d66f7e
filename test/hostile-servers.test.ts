import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {zipSync} from "fflate";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {checkAddress, privateReason, type Resolver} from "../pipeline/address-check.ts";
import {checkedFetch} from "../pipeline/checked-fetch.ts";
import {crawlPage, MAX_ASKED, MAX_LINKS} from "../pipeline/discover/crawl-page.ts";
import {PoliteClient} from "../pipeline/discover/polite-client.ts";
import {fetchSources, type FetchTarget} from "../pipeline/fetch/fetch-source.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {councilSite, page, type CouncilSite} from "./council-site.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * Hostile or careless servers: discovery and fetch ask only http(s), never a private address unless allowed (the
 * tests' own 127.0.0.1 servers are allowed by vitest.config.ts, and refused here with allowPrivate: false), stay on
 * the council's site, and bound what one page, one body and one request may cost.
 */

const temp = tempDirs();
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const CSV = "Payment Date,Supplier Name,Amount\r\n01/04/2025,Age UK Hyndburn,100.00\r\n02/04/2025,Lancashire Mind,50.00\r\n";
const MIB = 1024 * 1024;
const quick = (o: ConstructorParameters<typeof PoliteClient>[0] = {}) => new PoliteClient({delayMs: 0, timeoutMs: 2000, ...o});

/** A server whose handler writes the answer itself (a drip, a changing file). */
async function rawServer(handler: http.RequestListener): Promise<{base: string; close: () => Promise<void>}> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    })
  };
}

function fetchOne(target: Omit<FetchTarget, "council">, o: {maxBytes?: number; allowPrivate?: boolean; timeoutMs?: number; resolve?: Resolver} = {}) {
  const cacheDir = temp("vcse-hostile-");
  return fetchSources([{council: "E07000120", ...target}], {cacheDir, lockPath: join(cacheDir, "lock.json"), retries: 1, backoffMs: 1, log: () => {}, ...o}).then(([e]) => ({entry: e!, cacheDir}));
}

describe("addresses: http(s) only, no private or loopback address unless allowed", () => {
  it("names each private, loopback and link-local range, and lets public addresses through", () => {
    const reasons = Object.fromEntries(
      ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "[::1]", "8.8.8.8", "172.32.0.1", "2a00:1450:4009::1"].map((a) => [a, privateReason(a) ?? "public"])
    );
    expect(reasons).toEqual({
      "127.0.0.1": "a loopback address", "10.1.2.3": "a private address", "172.16.0.1": "a private address", "172.31.255.255": "a private address",
      "192.168.1.1": "a private address", "169.254.169.254": "a link-local address", "100.64.0.1": "a shared (carrier-grade NAT) address",
      "0.0.0.0": "not a unicast address", "::1": "a loopback address", "fd00::1": "a private address", "fe80::1": "a link-local address",
      "::ffff:127.0.0.1": "a loopback address", "[::1]": "a loopback address", "8.8.8.8": "public", "172.32.0.1": "public", "2a00:1450:4009::1": "public"
    });
  });

  it("refuses other schemes and local names before any request", async () => {
    await expect(checkAddress("file:///etc/passwd", true)).rejects.toThrow("only http and https are followed, not file:");
    await expect(checkAddress("ftp://example.org/spend.csv", true)).rejects.toThrow("not ftp:");
    await expect(checkAddress("http://localhost:8080/", false)).rejects.toThrow("localhost is a loopback address");
    await expect(checkAddress("http://10.0.0.8/spend", false)).rejects.toThrow("10.0.0.8 is a private address, not asked");
  });

  let site: CouncilSite;
  beforeAll(async () => {
    site = await councilSite();
    site.routes.set("/spend", page("Spend", `<a href="/f/april.csv">April 2025 spending (CSV)</a>`));
    site.routes.set("/f/april.csv", {headers: {"content-type": "text/csv"}, body: CSV});
    site.routes.set("/to-file", {status: 302, headers: {location: "file:///etc/passwd"}});
  });
  afterAll(() => site.close());

  it("discovery and fetch ask nothing of a loopback server unless allowed", async () => {
    await expect(quick({allowPrivate: false}).get(`${site.base}/spend`)).rejects.toThrow(/127\.0\.0\.1 is a loopback address, not asked/);
    const {entry} = await fetchOne({url: `${site.base}/f/april.csv`, path: "E07000120/april.csv"}, {allowPrivate: false});
    expect(entry.status).toBe("failed");
    expect(entry.error).toMatch(/127\.0\.0\.1 is a loopback address, not asked/);
    expect(site.requests).toHaveLength(0);
    // Allowed (as every other test is), the same server is read.
    expect((await crawlPage(`${site.base}/spend`, quick({allowPrivate: true}))).files.map((f) => f.url)).toEqual([`${site.base}/f/april.csv`]);
  });

  it("a name resolving to a private address is refused as the connection is made: the address checked is the one connected to (no DNS rebinding)", async () => {
    const port = new URL(site.base).port;
    // Names of the test's own: one that resolves to this machine, one to a public address and this machine.
    const asked: string[] = [];
    const resolve: Resolver = async (host) => {
      asked.push(host);
      if (host === "council.example") return [{address: "127.0.0.1", family: 4}];
      if (host === "mixed.example") return [{address: "93.184.216.34", family: 4}, {address: "127.0.0.1", family: 4}];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {code: "ENOTFOUND"});
    };
    const before = site.requests.length;
    for (const host of ["council.example", "mixed.example"]) {
      const url = `http://${host}:${port}/f/april.csv`;
      // A name is not refused by its look before any request: it is checked when it is resolved to connect.
      await expect(checkAddress(url, false)).resolves.toBeUndefined();
      asked.length = 0;
      const {entry} = await fetchOne({url, path: "E07000120/april.csv"}, {allowPrivate: false, resolve});
      expect(entry.status).toBe("failed");
      expect(entry.error).toBe(`${url}: ${host} resolves to 127.0.0.1, which is a loopback address, not asked`);
      // Resolved once, for the connection, and not tried again.
      expect(asked).toEqual([host]);
      await expect(quick({allowPrivate: false, resolve}).get(`http://${host}:${port}/spend`)).rejects.toThrow(`${host} resolves to 127.0.0.1, which is a loopback address, not asked`);
    }
    // The client alone refuses an address written as such, which no lookup sees.
    await expect(checkedFetch({allowPrivate: false, resolve})(`${site.base}/f/april.csv`, {redirect: "manual"})).rejects.toThrow("127.0.0.1 is a loopback address, not asked");
    expect(site.requests.length).toBe(before);
    // Allowed, the same name reaches the server through the address the resolver gave: no second lookup elsewhere.
    const {entry, cacheDir} = await fetchOne({url: `http://council.example:${port}/f/april.csv`, path: "E07000120/april.csv"}, {allowPrivate: true, resolve});
    expect(entry).toMatchObject({status: "fetched", sha256: sha(CSV)});
    expect(readFileSync(join(cacheDir, "E07000120/april.csv"), "utf8")).toBe(CSV);
    expect(site.requests.length).toBe(before + 1);
  });

  it("a redirect to a file: URL is not followed by discovery or fetch", async () => {
    await expect(quick().get(`${site.base}/to-file`)).rejects.toThrow(`${site.base}/to-file: redirects to file:///etc/passwd: only http and https are followed, not file:`);
    const {entry} = await fetchOne({url: `${site.base}/to-file`, path: "E07000120/x.csv"});
    expect(entry.error).toMatch(/redirect to unsupported URL file:\/\/\/etc\/passwd/);
  });
});

describe("the council's own site", () => {
  let council: CouncilSite, other: CouncilSite, files: CouncilSite;
  beforeAll(async () => {
    [council, other, files] = await Promise.all([councilSite(), councilSite(), councilSite()]);
    council.routes.set(
      "/spend",
      page("Spending", `<ul><li><a href="${other.base}/spend/2024">2024</a></li><li><a href="${other.base}/downloads/77">Spending April 2025</a></li><li><a href="${files.base}/cdn/may-2025.csv">Spending May 2025 (CSV)</a></li><li><a href="/spend/2023">2023</a></li></ul>`)
    );
    council.routes.set("/spend/2023", {status: 302, headers: {location: `${other.base}/spend/2023`}});
    council.routes.set("/f/moved.csv", {status: 302, headers: {location: `${other.base}/f/moved.csv`}});
    council.routes.set("/f/cdn.csv", {status: 302, headers: {location: `${files.base}/cdn/may-2025.csv`}});
    other.routes.set("/f/moved.csv", {headers: {"content-type": "text/csv"}, body: CSV});
    files.routes.set("/cdn/may-2025.csv", {headers: {"content-type": "text/csv"}, body: CSV});
  });
  afterAll(() => Promise.all([council, other, files].map((s) => s.close())));

  it("discovery reads no page and probes no link off the site; a file elsewhere is kept by its link", async () => {
    const crawl = await crawlPage(`${council.base}/spend`, quick());
    expect(other.requests).toHaveLength(0);
    expect(files.requests).toHaveLength(0);
    expect(crawl.files.map((f) => f.url)).toEqual([`${files.base}/cdn/may-2025.csv`]);
    expect(crawl.failed).toEqual([{url: `${council.base}/spend/2023`, reason: `${council.base}/spend/2023: redirects to ${other.base}/spend/2023, off the council's site`}]);
  });

  it("fetch follows a redirect only to a site the manifest names", async () => {
    const hosts = [council.base, files.base];
    const off = await fetchOne({url: `${council.base}/f/moved.csv`, path: "E07000120/moved.csv", hosts});
    expect(off.entry.error).toBe(`${council.base}/f/moved.csv: redirect to ${other.base}/f/moved.csv, off the sites the manifest names`);
    expect(other.requests).toHaveLength(0);
    const named = await fetchOne({url: `${council.base}/f/cdn.csv`, path: "E07000120/cdn.csv", hosts});
    expect(named.entry).toMatchObject({status: "fetched", sha256: sha(CSV)});
  });
});

describe("bounds on what one page, body or request may cost", () => {
  let site: CouncilSite;
  let raw: Awaited<ReturnType<typeof rawServer>>;
  const LINKS = 6000;
  const bomb = gzipSync(Buffer.alloc(64 * MIB, " "));
  let version = "v1";
  const versions: Record<string, string> = {v1: CSV, v2: CSV + "03/04/2025,Accrington Food Bank,25.00\r\n"};
  beforeAll(async () => {
    site = await councilSite();
    // Thousands of links, each worth a probe (a document store, a month): far more than a crawl may follow.
    const many = Array.from({length: LINKS}, (_, i) => `<li><a href="/downloads/${i}">Spending April 2025 part ${i}</a></li>`).join("");
    site.routes.set("/many", page("Spending", `<ul>${many}</ul>`));
    // A loop: pages that call each other next, and redirects that lead back.
    site.routes.set("/loop", page("Spending", `<a href="/loop?page=2" rel="next">Next</a><a href="/r1">2023</a>`));
    site.routes.set("/loop?page=2", page("Spending", `<a href="/loop" rel="next">Next</a><a href="/loop?page=2">2</a>`));
    site.routes.set("/r1", {status: 302, headers: {location: "/r2"}});
    site.routes.set("/r2", {status: 302, headers: {location: "/r1"}});
    raw = await rawServer((req, res) => {
      if (req.url === "/robots.txt") return void res.writeHead(404).end();
      if (req.url === "/drip") {
        res.writeHead(200, {"content-type": "text/html"});
        const timer = setInterval(() => res.write("<p>"), 100);
        res.on("close", () => clearInterval(timer));
        return;
      }
      if (req.url === "/bomb.html" || req.url === "/bomb.csv") {
        return void res.writeHead(200, {"content-type": req.url.endsWith("html") ? "text/html" : "text/csv", "content-encoding": "gzip", "content-length": bomb.length}).end(bomb);
      }
      if (req.url === "/changing.csv") {
        // The file is replaced half way through the first download; HEAD tells the version now published.
        const body = versions[version]!;
        res.writeHead(200, {"content-type": "text/csv", etag: `"${version}"`, "content-length": Buffer.byteLength(body)});
        if (req.method === "HEAD") return void res.end();
        res.write(body.slice(0, 20));
        version = "v2";
        setTimeout(() => res.end(body.slice(20)), 50);
      }
    });
  });
  afterAll(() => Promise.all([site.close(), raw.close()]));

  it(`a page with ${LINKS} links: the first ${MAX_LINKS} are read and ${MAX_ASKED} requests made in all`, async () => {
    const crawl = await crawlPage(`${site.base}/many`, quick());
    // Each link says a year, so each is a year's page to read; none exists, and the crawl stops at its bound.
    expect(site.requests.filter((r) => r.path !== "/robots.txt")).toHaveLength(MAX_ASKED);
    expect(crawl.failed).toContainEqual({url: `${site.base}/many`, reason: `${LINKS} links, more than ${MAX_LINKS}: the first ${MAX_LINKS} were read`});
    expect(crawl.failed).toContainEqual({url: `${site.base}/many`, reason: `stopped after ${MAX_ASKED} requests, ${MAX_LINKS - MAX_ASKED + 1} link(s) not followed`});
  });

  it("a link loop: each page is read once, and a redirect loop is named", async () => {
    site.requests.length = 0;
    const crawl = await crawlPage(`${site.base}/loop`, quick());
    expect(crawl.pages).toEqual([`${site.base}/loop`, `${site.base}/loop?page=2`]);
    expect(site.hits("/loop")).toBe(1);
    expect(site.hits("/loop?page=2")).toBe(1);
    expect(crawl.failed).toEqual([{url: `${site.base}/r1`, reason: `${site.base}/r1: redirect loop (back to ${site.base}/r1)`}]);
  });

  it("a page that drips forever ends at the time allowed per request", async () => {
    const started = performance.now();
    await expect(quick({timeoutMs: 500}).get(`${raw.base}/drip`)).rejects.toThrow(`${raw.base}/drip: no answer within 500 ms`);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("a gzip bomb is cut off at the size allowed, counted as it unpacks, as a page and as a file", async () => {
    expect(bomb.length).toBeLessThan(MIB);
    await expect(quick({maxBytes: MIB}).get(`${raw.base}/bomb.html`)).rejects.toThrow(`${raw.base}/bomb.html: page of more than ${MIB} bytes`);
    const {entry} = await fetchOne({url: `${raw.base}/bomb.csv`, path: "E07000120/bomb.csv"}, {maxBytes: MIB});
    expect(entry.error).toBe(`${raw.base}/bomb.csv: body exceeds maxBytes (${MIB})`);
  });

  it("a ZIP bomb is fetched as the valid archive it is and refused by ingest at the unpack limit", async () => {
    const zip = zipSync({"bomb.csv": new Uint8Array(64 * MIB).fill(0x20)});
    site.routes.set("/zip-bomb.zip", {headers: {"content-type": "application/zip"}, body: zip});
    const {entry, cacheDir} = await fetchOne({url: `${site.base}/zip-bomb.zip`, path: "E07000120/2025-04.zip"});
    expect(entry).toMatchObject({status: "fetched", bytes: zip.length});
    const out = temp("vcse-hostile-store-");
    const report = await ingest({adhoc: {council: "E07000120", files: [join(cacheDir, "E07000120/2025-04.zip")]}, outDir: out, limits: {maxEntryBytes: MIB}, registersDir: null});
    expect(report.files[0]!.error).toMatch(new RegExp(`ZIP entry bomb\\.csv would unpack to ${64 * MIB} bytes, over the limit of ${MIB} \\(ZIP bomb\\?\\)`));
    expect(report.total.kept).toBe(0);
  });

  it("a file replaced while it downloads is asked again, and the version kept is whole", async () => {
    const {entry, cacheDir} = await fetchOne({url: `${raw.base}/changing.csv`, path: "E07000120/changing.csv"});
    expect(entry).toMatchObject({status: "fetched", sha256: sha(versions.v2!), etag: `"v2"`});
    expect(readFileSync(join(cacheDir, "E07000120/changing.csv"), "utf8")).toBe(versions.v2);
  });
});
