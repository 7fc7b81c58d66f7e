import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";
import {strToU8, zipSync} from "fflate";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadClassifier} from "../pipeline/classify/classify.ts";
import {readCurrentExtract, registersDirIn} from "../pipeline/classify/current-register.ts";
import {fetchRegisters} from "../pipeline/fetch/fetch-registers.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {storedRegisters, storedTableSql} from "../pipeline/store/store.ts";
import {memoryDb} from "./memory-db.ts";
import {tempDirs} from "./temp-dirs.ts";

const REFERENCE = "data/reference";
const tempDir = tempDirs();

/** The charity table's columns as the Commission documents them. */
const COLUMNS = readFileSync(join(REFERENCE, "charity-lookups/ccew-fields.csv"), "utf8")
  .split(/\r?\n/)
  .filter((line) => line.startsWith("Charity,"))
  .map((line) => line.split(",")[1]!);

/** A charity only the extract names, a name both a registered and a removed charity carry, and a linked charity. */
const CHARITIES: Record<string, string>[] = [
  {organisation_number: "9000001", registered_charity_number: "1299101", linked_charity_number: "0", charity_name: "Quillfeather Lantern Project", charity_registration_status: "R", date_of_registration: "2026-03-01"},
  {organisation_number: "9000002", registered_charity_number: "1299102", linked_charity_number: "0", charity_name: "Hollowmere Orchard Trust", charity_registration_status: "R", date_of_registration: "2025-11-20"},
  {organisation_number: "9000003", registered_charity_number: "1099103", linked_charity_number: "0", charity_name: "Hollowmere Orchard Trust", charity_registration_status: "RM", date_of_registration: "1998-01-01", date_of_removal: "2024-05-31"},
  {organisation_number: "9000004", registered_charity_number: "1299101", linked_charity_number: "1", charity_name: "Quillfeather Lantern Youth Fund", charity_registration_status: "R", date_of_registration: "2026-03-01"},
  // The Commission never quotes: a value that opens with a quote is text, and the rows after it are rows.
  {organisation_number: "9000005", registered_charity_number: "1299105", linked_charity_number: "0", charity_name: '"Brightwater" Tenants Fund', charity_registration_status: "R", charity_activities: '"MEALS" AND COMPANY FOR OLDER PEOPLE'},
  {organisation_number: "9000006", registered_charity_number: "1299106", linked_charity_number: "0", charity_name: "Penhallow Stepping Stones", charity_registration_status: "R", charity_activities: 'A "DROP-IN'}
];

function extractText(columns = COLUMNS, rows: Record<string, string>[] = CHARITIES): string {
  return [columns.join("\t"), ...rows.map((r) => columns.map((c) => r[c] ?? "").join("\t"))].join("\r\n") + "\r\n";
}
const KEPT = ["organisation_number", "registered_charity_number", "linked_charity_number", "charity_name", "charity_type", "charity_registration_status", "date_of_registration", "date_of_removal", "charity_company_registration_number", "charity_is_cio"];
const cutText = () => [KEPT.join("\t"), ...CHARITIES.map((r) => KEPT.map((c) => r[c] ?? "").join("\t"))].join("\n") + "\n";
const zipOf = (name: string, text: string) => zipSync({[name]: strToU8(text)});

const GOOD = zipOf("publicextract.charity.txt", extractText());
const GOOD_ETAG = `"${createHash("sha256").update(GOOD).digest("hex").slice(0, 16)}"`;
const LAST_MODIFIED = "Wed, 02 Dec 2026 03:15:00 GMT";

type Reply = {status: number; headers: Record<string, string>; body: Uint8Array | string};
let reply: Reply;
const requests: http.IncomingHttpHeaders[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.headers);
    const etag = reply.headers.etag;
    if (etag && req.headers["if-none-match"] === etag) {
      res.writeHead(304, {etag});
      res.end();
      return;
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/txt/publicextract.charity.zip`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const serveGood = () => (reply = {status: 200, headers: {"content-type": "application/zip", etag: GOOD_ETAG, "last-modified": LAST_MODIFIED}, body: GOOD});
const fetchOnce = (cacheDir: string) => fetchRegisters({cacheDir, url, retries: 0, backoffMs: 1, log: () => {}});

describe("fetchRegisters against a local server", () => {
  const cacheDir = tempDir("vcse-registers-");
  const dir = registersDirIn(cacheDir);

  it("fetches the extract, unpacks its charity table with its date, and the classifier prefers it", async () => {
    const before = await loadClassifier({referenceDir: REFERENCE, registersDir: dir});
    expect(before.register?.register).toBe("embedded");
    expect(before.classify({name: "Quillfeather Lantern Project"}).basis).not.toBe("registry_name");

    serveGood();
    const result = await fetchOnce(cacheDir);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("fetched");
    expect(result.current).toMatchObject({register: "ccew_extract", date: "2026-12-02", date_source: "last_modified", url, rows: CHARITIES.length});
    // Cut to what is read: the numbers, names, status, dates, type and company number; no addresses, finances or activities.
    const table = readFileSync(join(dir, result.current!.table), "utf8");
    expect(table).toBe(cutText());
    expect(result.current!.sha256).toBe(createHash("sha256").update(table).digest("hex"));

    const c = await loadClassifier({referenceDir: REFERENCE, registersDir: dir});
    expect(c.register).toMatchObject({register: "ccew_extract", date: "2026-12-02", sha256: result.current!.sha256});
    expect(c.classify({name: "QUILLFEATHER LANTERN PROJECT"})).toMatchObject({sector: "vcse", kind: "charity", basis: "registry_name", matched_id: "GB-CHC-1299101"});
    expect(c.classify({name: "Quillfeather Lantern Youth Fund"})).toMatchObject({sector: "vcse", matched_id: "GB-CHC-1299101"});
    // The removed charity of the same name is not who the council paid: the registered one is.
    expect(c.classify({name: "Hollowmere Orchard Trust"})).toMatchObject({sector: "vcse", basis: "registry_name", matched_id: "GB-CHC-1299102"});
    expect(c.classify({name: "1299101 is not a name", charity_number: "1299101"})).toMatchObject({basis: "registry_id", confidence: 0.95});
    expect(c.classify({name: "Penhallow Stepping Stones"})).toMatchObject({basis: "registry_name", matched_id: "GB-CHC-1299106"});
  });

  it("asks conditionally the second time and keeps the table on a 304", async () => {
    const first = readCurrentExtract(dir)!;
    const n = requests.length;
    const result = await fetchOnce(cacheDir);
    expect(requests.length).toBe(n + 1);
    expect(requests.at(-1)!["if-none-match"]).toBe(GOOD_ETAG);
    expect(requests.at(-1)!["if-modified-since"]).toBe(LAST_MODIFIED);
    expect(result.status).toBe("not_modified");
    expect(readCurrentExtract(dir)).toEqual(first);
  });

  const refusals: [string, () => Reply, RegExp][] = [
    ["a truncated ZIP", () => ({status: 200, headers: {"content-type": "application/zip", etag: '"cut"'}, body: GOOD.subarray(0, GOOD.length - 40)}), /truncated ZIP/],
    ["an HTML error page", () => ({status: 200, headers: {"content-type": "text/html; charset=utf-8", etag: '"html"'}, body: "<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>"}), /HTML page/],
    ["a ZIP of another table", () => ({status: 200, headers: {"content-type": "application/zip", etag: '"other"'}, body: zipOf("publicextract.charity_trustee.txt", "organisation_number\ttrustee_name\r\n9000001\tA Person\r\n")}), /not the charity table: its header has no registered_charity_number, charity_name, charity_registration_status/]
  ];
  it.each(refusals)("refuses %s naming the URL and keeps the last good table", async (_, make, reason) => {
    const good = readCurrentExtract(dir)!;
    reply = make();
    const result = await fetchOnce(cacheDir);
    expect(result.status).toBe("failed");
    expect(result.error).toContain(url);
    expect(result.error).toMatch(reason);
    expect(result.current).toEqual(good);
    expect(readCurrentExtract(dir)).toEqual(good);
    expect(readFileSync(join(dir, good.table), "utf8")).toBe(cutText());
  });

  it("after the refusals the classifier still reads the last good table", async () => {
    const c = await loadClassifier({referenceDir: REFERENCE, registersDir: dir});
    expect(c.register?.date).toBe("2026-12-02");
    expect(c.classify({name: "Quillfeather Lantern Project"}).matched_id).toBe("GB-CHC-1299101");
  });

  it("takes the extract's own date_of_extract over Last-Modified, and keeps only the table in use", async () => {
    const dated = zipOf("publicextract.charity.txt", extractText(["date_of_extract", ...COLUMNS], CHARITIES.map((r) => ({...r, date_of_extract: "2026-12-01"}))));
    reply = {status: 200, headers: {"content-type": "application/zip", etag: '"dated"', "last-modified": LAST_MODIFIED}, body: dated};
    const result = await fetchOnce(cacheDir);
    expect(result.status).toBe("fetched");
    expect(result.current).toMatchObject({date: "2026-12-01", date_source: "date_of_extract", rows: CHARITIES.length});
    // The older table is gone: one table, the one current.json names.
    expect(readdirSync(dir).filter((f) => f.endsWith(".txt"))).toEqual([result.current!.table]);
  });
});

describe("vcse-spend fetch --registers", () => {
  const run = (args: string[], input = ""): Promise<{code: number | null; stdout: string; stderr: string}> =>
    new Promise((resolve) => {
      const child = spawn("node", ["bin/vcse-spend.js", ...args]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({code, stdout, stderr}));
      child.stdin.end(input);
    });

  it("fetches into the cache, refuses an HTML page with exit 1, and classify reads what it fetched", async () => {
    const cacheDir = tempDir("vcse-registers-cli-");
    serveGood();
    const ok = await run(["fetch", "--registers", "--cache", cacheDir, "--registers-url", url, "--quiet"]);
    expect(ok.stderr).toContain("dated 2026-12-02");
    expect(ok.code).toBe(0);

    reply = {status: 404, headers: {"content-type": "text/html", etag: '"gone"'}, body: "<html><body>Not found</body></html>"};
    const failed = await run(["fetch", "--registers", "--cache", cacheDir, "--registers-url", url, "--quiet"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(url);
    expect(failed.stderr).toContain("stays the extract dated 2026-12-02");

    const classified = await run(["classify", "--registers", registersDirIn(cacheDir)], "Quillfeather Lantern Project\n");
    expect(classified.code).toBe(0);
    expect(classified.stdout).toContain("GB-CHC-1299101");
  }, 60_000);
});

describe("ingest with a fetched register", () => {
  const db = memoryDb();
  const work = tempDir("vcse-registers-ingest-");
  const dir = registersDirIn(join(work, "cache"));
  const csv = join(work, "spend-2026-10.csv");
  const outDir = join(work, "store");
  writeFileSync(csv, "Payment Date,Supplier Name,Amount\n01/10/2026,QUILLFEATHER LANTERN PROJECT,1250.00\n02/10/2026,Hollowmere Orchard Trust,80.00\n03/10/2026,Tesco Stores Ltd,19.99\n");
  const quillfeather = async () =>
    (await db().runAndReadAll(`SELECT sector, basis, matched_id FROM ${storedTableSql(outDir, "payments")} WHERE supplier_name = 'QUILLFEATHER LANTERN PROJECT'`)).getRowObjectsJS();
  const run = (registersDir: string | null) => ingest({adhoc: {council: "E07000120", files: [csv]}, outDir, registersDir});

  it("records the register in the report and the store, and a change of register reads the file again", async () => {
    serveGood();
    expect((await fetchOnce(join(work, "cache"))).status).toBe("fetched");
    const fetched = await run(dir);
    expect(fetched.total.failed_files).toBe(0);
    expect(fetched.register).toMatchObject({register: "ccew_extract", date: "2026-12-02"});
    expect(storedRegisters(outDir)).toEqual([{...fetched.register, files: 1}]);
    expect(await quillfeather()).toEqual([{sector: "vcse", basis: "registry_name", matched_id: "GB-CHC-1299101"}]);

    const embedded = await run(null);
    expect(embedded.register.register).toBe("embedded");
    expect(storedRegisters(outDir)).toEqual([{...embedded.register, files: 1}]);
    expect((await quillfeather())[0]?.basis).not.toBe("registry_name");
  }, 120_000);
});
