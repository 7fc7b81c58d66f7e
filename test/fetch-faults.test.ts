import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {strToU8, zipSync} from "fflate";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {fetchSources, readLock, type FetchTarget, type LockEntry} from "../pipeline/fetch/fetch-source.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";

/**
 * Network faults that test/fetch-source.test.ts does not inject: labels that lie about the content, and
 * `vcse-spend fetch` end to end against local servers where one council's server fails and the others work.
 *
 * Decided behaviour: the bytes decide, not the Content-Type. A body that is not HTML is kept whatever its label
 * (councils' servers send CSV as text/html, application/zip, application/octet-stream); a body labelled HTML is
 * refused when it opens with a tag; a body that opens like an HTML page is refused whatever its label; a target
 * whose manifest kind (or extension) is zip or xlsx must really be a complete ZIP. The reader sniffs again
 * (a ZIP saved as .csv is read as a ZIP).
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A server on 127.0.0.1 with one handler per path; `faults` counts the faulty responses it sent. */
async function serve(routes: Record<string, Handler>): Promise<{base: string; close: () => Promise<void>; hits: Map<string, number>}> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes[path];
    if (handler) handler(req, res);
    else {
      res.writeHead(404, {"content-type": "text/plain"});
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

const send = (body: string | Uint8Array, type: string): Handler => (_req, res) => {
  res.writeHead(200, {"content-type": type});
  res.end(body);
};

const sha = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const work = mkdtempSync(join(tmpdir(), "vcse-fetch-faults-"));
afterAll(() => rmSync(work, {recursive: true, force: true}));

const CSV = "Payment Date,Supplier Name,Amount\n01/04/2019,Age UK,100.00\n02/04/2019,Mind,50.00\n";
const HTML = "<!DOCTYPE html><html><body><h1>Site maintenance</h1></body></html>";
const ZIP = zipSync({"spend.csv": strToU8(CSV)});

describe("Content-Type that lies: the content decides", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let results: LockEntry[];
  const cacheDir = join(work, "labels");
  const cases: [string, Handler, Partial<FetchTarget>, Partial<LockEntry>][] = [
    ["/csv-as-zip.csv", send(CSV, "application/zip"), {}, {status: "fetched", sha256: sha(CSV), content_type: "application/zip"}],
    ["/csv-as-html.csv", send(CSV, "text/html; charset=utf-8"), {}, {status: "fetched", sha256: sha(CSV), content_type: "text/html; charset=utf-8"}],
    ["/csv-as-octets.csv", send(CSV, "application/octet-stream"), {}, {status: "fetched", sha256: sha(CSV)}],
    ["/zip-as-html.zip", send(ZIP, "text/html"), {}, {status: "fetched", sha256: sha(ZIP)}],
    ["/zip-as-csv.csv", send(ZIP, "text/csv"), {}, {status: "fetched", sha256: sha(ZIP)}],
    ["/html-as-csv.csv", send(HTML, "text/csv"), {}, {status: "failed", error: "served an HTML page (text/csv, HTML body), not a csv file"}],
    ["/html-as-zip.zip", send(HTML, "application/zip"), {}, {status: "failed", error: "served an HTML page (application/zip, HTML body), not a zip file"}],
    ["/fragment-as-html.csv", send("  <div class=error>Not found</div>", "text/html"), {}, {status: "failed", error: "served an HTML page (text/html), not a csv file"}],
    ["/csv-as-zip.zip", send(CSV, "application/zip"), {}, {status: "failed", error: "not a ZIP archive (no PK\\x03\\x04 signature at the start)"}],
    ["/csv-for-xlsx", send(CSV, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), {kind: "xlsx"}, {status: "failed", error: "not a ZIP archive (no PK\\x03\\x04 signature at the start)"}]
  ];

  beforeAll(async () => {
    server = await serve(Object.fromEntries(cases.map(([path, handler]) => [path, handler])));
    const targets = cases.map(([path, , extra], i): FetchTarget => ({council: "E07000120", url: server.base + path, path: `E07000120/${i}-${path.slice(1)}`, ...extra}));
    results = await fetchSources(targets, {cacheDir, lockPath: join(cacheDir, "lock.json"), retries: 0, log: () => {}});
  });
  afterAll(() => server.close());

  for (const [i, [path, , , expected]] of cases.entries()) {
    it(`${path}: ${expected.status}`, () => {
      const {error, ...rest} = expected;
      expect(results[i]).toMatchObject(rest);
      if (error) expect(results[i]!.error).toBe(`${server.base}${path}: ${error}`);
      expect(server.hits.get(path)).toBe(1);
    });
  }

  it("what was kept reads as data: the CSVs under any label, and the ZIP saved as .csv, through ingest", async () => {
    const kept = results.filter((r) => r.status === "fetched").map((r) => join(cacheDir, r.path));
    const report = await ingest({adhoc: {council: "E07000120", files: kept}, outDir: join(work, "labels-store")});
    expect(report.files.map((f) => [f.file.split("/").pop(), f.kept, f.amount_kept, f.error])).toEqual([
      ["0-csv-as-zip.csv", 2, "150.00", undefined],
      ["1-csv-as-html.csv", 2, "150.00", undefined],
      ["2-csv-as-octets.csv", 2, "150.00", undefined],
      ["3-zip-as-html.zip", 2, "150.00", undefined],
      ["4-zip-as-csv.csv", 2, "150.00", undefined]
    ]);
    expect(readdirSync(join(cacheDir, "E07000120")).filter((f) => !f.startsWith(".")).length).toBe(5);
  });
});

describe("vcse-spend fetch end to end: one council's server fails, the others work", () => {
  const data = join(work, "data");
  const cache = join(work, "cache");
  const lockPath = join(cache, "lock.json");
  let good: Awaited<ReturnType<typeof serve>>;
  let broken: Awaited<ReturnType<typeof serve>>;
  let brokenBehaviour: "ok" | "500" | "reset" = "ok";
  let refusedPort = 0;
  const v1 = "Payment Date,Supplier Name,Amount\n01/04/2019,Age UK,100.00\n";
  const v2 = "Payment Date,Supplier Name,Amount\n01/04/2019,Age UK,100.00\n02/04/2019,Mind,5.00\n";
  let goodBody = v1;

  const manifest = (name: string, code: string, council: string, files: {period: string; path: string; url: string}[]) =>
    writeFileSync(
      join(data, "sources", `${name}.json`),
      JSON.stringify({
        council: {code, name: council},
        publisher: "a local test server",
        licence: "Open Government Licence v3.0",
        layouts: [{from: "2019-01", columns: {amount: ["Amount"], supplier_name: ["Supplier Name"], payment_date: ["Payment Date"]}}],
        files
      })
    );

  function fetchCli(): Promise<{code: number | null; stderr: string; stdout: string}> {
    return new Promise((resolve) => {
      const child = spawn("node", ["bin/vcse-spend.js", "fetch", "--data", data, "--cache", cache, "--json"], {stdio: ["ignore", "pipe", "pipe"]});
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("close", (code) => resolve({code, stdout, stderr}));
    });
  }

  beforeAll(async () => {
    good = await serve({
      "/hyndburn/2019-04.csv": (_req, res) => send(goodBody, "text/csv")(_req, res),
      "/leeds/2019-04.csv": send(v1, "text/plain")
    });
    broken = await serve({
      "/oxford/2019-04.csv": (req, res) => {
        if (brokenBehaviour === "500") {
          res.writeHead(500, {"content-type": "text/html"});
          res.end("<html>Internal Server Error</html>");
        } else if (brokenBehaviour === "reset") {
          req.socket.destroy();
        } else send(v1, "text/csv")(req, res);
      }
    });
    // A port nobody listens on: connections are refused.
    const closed = await serve({});
    refusedPort = Number(new URL(closed.base).port);
    await closed.close();
    mkdirSync(join(data, "sources"), {recursive: true});
    copyFileSync("data/source.schema.json", join(data, "source.schema.json"));
    manifest("hyndburn", "E07000120", "Hyndburn Borough Council", [{period: "2019-04", path: "hyndburn/2019-04.csv", url: `${good.base}/hyndburn/2019-04.csv`}]);
    manifest("leeds", "E08000035", "Leeds City Council", [{period: "2019-04", path: "leeds/2019-04.csv", url: `${good.base}/leeds/2019-04.csv`}]);
    manifest("oxford", "E07000178", "Oxford City Council", [{period: "2019-04", path: "oxford/2019-04.csv", url: `${broken.base}/oxford/2019-04.csv`}]);
  });
  afterAll(async () => {
    await good.close();
    await broken.close();
  });

  it("first run: every server works, exit 0, three files and a lock", async () => {
    const run = await fetchCli();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/fetched 3 of 3; 0 failed\n$/);
    expect(Object.values(readLock(lockPath)).map((e) => [e.path, e.status, e.sha256])).toEqual([
      ["hyndburn/2019-04.csv", "fetched", sha(v1)],
      ["leeds/2019-04.csv", "fetched", sha(v1)],
      ["oxford/2019-04.csv", "fetched", sha(v1)]
    ]);
  });

  it("Oxford's server answers 500 every time: retried, exit 1, its last good copy kept, the others updated", async () => {
    brokenBehaviour = "500";
    goodBody = v2;
    const run = await fetchCli();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/fetched 2 of 3; 1 failed\n$/);
    expect(run.stderr).toContain(`retry 3/3 for ${broken.base}/oxford/2019-04.csv`);
    expect(broken.hits.get("/oxford/2019-04.csv")).toBe(1 + 4);
    const lock = readLock(lockPath);
    expect(lock["oxford/2019-04.csv"]).toMatchObject({status: "kept_last_good", sha256: sha(v1), error: `${broken.base}/oxford/2019-04.csv: HTTP 500 Internal Server Error`});
    expect(lock["hyndburn/2019-04.csv"]).toMatchObject({status: "fetched", sha256: sha(v2)});
    expect(lock["leeds/2019-04.csv"]).toMatchObject({status: "fetched", sha256: sha(v1)});
    expect(readFileSync(join(cache, "oxford/2019-04.csv"), "utf8")).toBe(v1);
    expect(readFileSync(join(cache, "hyndburn/2019-04.csv"), "utf8")).toBe(v2);
    expect(JSON.parse(run.stdout).map((e: LockEntry) => e.status)).toEqual(["fetched", "fetched", "kept_last_good"]);
  });

  it("Oxford's server drops the connection: the same, with the network error named", async () => {
    brokenBehaviour = "reset";
    const run = await fetchCli();
    expect(run.code).toBe(1);
    const oxford = readLock(lockPath)["oxford/2019-04.csv"]!;
    expect(oxford).toMatchObject({status: "kept_last_good", sha256: sha(v1)});
    expect(oxford.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oxford\/2019-04\.csv: network error: socket hang up \(ECONNRESET\)$/);
    expect(readFileSync(join(cache, "oxford/2019-04.csv"), "utf8")).toBe(v1);
    expect(readLock(lockPath)["hyndburn/2019-04.csv"]).toMatchObject({status: "fetched", sha256: sha(v2)});
  });

  it("a council whose server refuses connections and was never fetched: failed, nothing written, the others unaffected", async () => {
    manifest("salford", "E08000006", "Salford City Council", [{period: "2019-04", path: "salford/2019-04.csv", url: `http://127.0.0.1:${refusedPort}/2019-04.csv`}]);
    brokenBehaviour = "ok";
    const run = await fetchCli();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/fetched 3 of 4; 1 failed\n$/);
    const lock = readLock(lockPath);
    expect(lock["salford/2019-04.csv"]).toMatchObject({status: "failed", sha256: "", bytes: 0});
    expect(lock["salford/2019-04.csv"]!.error).toMatch(/network error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(lock["oxford/2019-04.csv"]).toMatchObject({status: "fetched", sha256: sha(v1)});
    expect(readdirSync(cache).sort()).toEqual(["hyndburn", "leeds", "lock.json", "oxford"]);
    rmSync(join(data, "sources", "salford.json"));
  });

  it("every server works again: exit 0", async () => {
    const run = await fetchCli();
    expect(run.code, run.stderr).toBe(0);
    expect(Object.values(readLock(lockPath)).filter((e) => e.path.startsWith("salford/"))).toHaveLength(1);
  });
});
