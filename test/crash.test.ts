import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {join, relative} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {IngestReport} from "../pipeline/ingest/ingest.ts";
import type {LockEntry} from "../pipeline/fetch/lock-file.ts";
import {sqlLiteral} from "../pipeline/sql.ts";
import {compiledCli} from "./compile-cli.ts";
import {memoryDb} from "./memory-db.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * SIGKILL at many points: the store must only ever publish (list in state.json) complete Parquet files holding
 * one version of each source, and the next run must finish with the totals of a run that was never killed.
 * A fetch killed mid-download must leave the previous cached copy and a lock file that is valid JSON.
 */

const HYNDBURN = "data/sample/spending/hyndburn";
/**
 * A dozen real files, 2017 to 2025: three layouts, Windows-1252 and DOS code page 850, CR and CRLF line ends, and
 * a file with no header row at the top (March 2025), which borrows a sibling's.
 */
const FILES = [
  "1705.csv", "1710.csv", "1801.csv", "1905.csv", "April-2020.csv", "Jan2021.csv",
  "June-2021-csv.csv", "April-2023.csv", "April-24.csv", "July-24.csv", "February-2025-csv.csv", "March-25-CSV.csv"
];
const work = tempDirs()("vcse-crash-");
const src = join(work, "src");
const paths = FILES.map((f) => join(src, f));
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** The earlier version of each file: its last line (CR, LF or CRLF) missing, as if it was later republished with one more. */
const v1 = new Map(FILES.map((f) => {
  const bytes = readFileSync(join(HYNDBURN, f));
  const body = bytes.subarray(0, bytes.length - 2);
  return [relative(process.cwd(), join(src, f)), bytes.subarray(0, Math.max(body.lastIndexOf(0x0a), body.lastIndexOf(0x0d)) + 1)];
}));
const v2 = new Map(FILES.map((f) => [relative(process.cwd(), join(src, f)), readFileSync(join(HYNDBURN, f))]));

const db = memoryDb();
/** The command line compiled before the tests (compile-cli.ts): each of the many runs starts without compiling. */
const CLI_ENTRY = "bin/vcse-spend.js";
const compiled = compiledCli([CLI_ENTRY]);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Each line of stderr (the progress log) with the milliseconds since the start at which it arrived. */
  lines: {ms: number; text: string}[];
}

/**
 * Starts the CLI; `kill` sends SIGKILL (to node itself, the command's only process, so nothing outlives it).
 * `onLine` sees each stderr line as it arrives.
 */
function start(args: string[], onLine?: (text: string) => void): {exit: Promise<Exit>; kill: () => void} {
  const started = Date.now();
  const child = spawn("node", [compiled[CLI_ENTRY], ...args], {stdio: ["ignore", "pipe", "pipe"]});
  let stdout = "";
  let stderr = "";
  const lines: Exit["lines"] = [];
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => {
    const before = stderr.length;
    stderr += d;
    for (const text of stderr.slice(stderr.lastIndexOf("\n", before - 1) + 1).split("\n").slice(0, -1)) {
      lines.push({ms: Date.now() - started, text});
      onLine?.(text);
    }
  });
  const exit = new Promise<Exit>((resolve) => {
    child.on("close", (code, signal) => resolve({code, signal, stdout, stderr, ms: Date.now() - started, lines}));
  });
  return {exit, kill: () => child.kill("SIGKILL")};
}

/**
 * Runs the CLI to the end; with `killAt`, SIGKILLs it `delay` ms after the first stderr line matching `after`
 * (or after the start when `after` is null), if it is still running.
 */
async function cli(args: string[], killAt?: {after: RegExp | null; delay: number}): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => (timer ??= setTimeout(() => kill(), killAt!.delay));
  const {exit, kill} = start(args, (text) => {
    if (killAt?.after?.test(text)) arm();
  });
  if (killAt && !killAt.after) arm();
  const result = await exit;
  clearTimeout(timer);
  return result;
}

const ingestArgs = (out: string) => ["ingest", "--council", "E07000120", "--files", ...paths, "--out", out, "--json"];

function writeVersion(version: Map<string, Uint8Array>): void {
  mkdirSync(src, {recursive: true});
  for (const [file, bytes] of version) writeFileSync(file, bytes);
}

function parquetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, {recursive: true}) as string[]).filter((f) => f.endsWith(".parquet")).sort();
}

interface State {
  files: Record<string, {sha256: string; outputs: string[]; report: {kept: number; rejected: number; amount_kept: string; amount_rejected: string}}>;
}

/**
 * What a reader of the store sees: state.json (written whole or not at all) and the files it lists. Each must be
 * a complete Parquet file whose rows all come from the version of the source that state.json names, with exactly
 * the rows and pence that version's report counts. Returns the sources published, those at v2, and the Parquet
 * files on disk that state.json does not list (written by a killed run, collected by the next).
 */
async function checkPublished(store: string): Promise<{sources: number; v2: number; orphans: number}> {
  const statePath = join(store, "state.json");
  const state: State = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : {files: {}};
  const listed = new Set<string>();
  let current = 0;
  for (const [file, stored] of Object.entries(state.files)) {
    expect([sha(v1.get(file)!), sha(v2.get(file)!)], file).toContain(stored.sha256);
    if (stored.sha256 === sha(v2.get(file)!)) current++;
    for (const table of ["payments", "rejects"] as const) {
      const outputs = stored.outputs.filter((o) => o.startsWith(`${table}/`));
      outputs.forEach((o) => listed.add(o));
      let rows = 0;
      let pence = 0n;
      for (const output of outputs) {
        const path = join(store, output);
        expect(existsSync(path), path).toBe(true);
        const read = await db().runAndReadAll(
          `SELECT count(*)::INTEGER AS n, coalesce(sum(amount_pence), 0)::VARCHAR AS pence, count(DISTINCT source_sha256)::INTEGER AS versions, min(source_sha256) AS sha,
             count(DISTINCT source_file)::INTEGER AS sources, min(source_file) AS source
           FROM read_parquet(${sqlLiteral(path)}, hive_partitioning = false)`
        );
        const got = read.getRowObjects()[0]!;
        expect([got.versions, got.sha, got.sources, got.source], path).toEqual([1, stored.sha256, 1, file]);
        rows += got.n as number;
        pence += BigInt(got.pence as string);
      }
      const report = stored.report;
      expect([rows, pence], `${file} ${table}`).toEqual(
        table === "payments" ? [report.kept, BigInt(report.amount_kept.replace(".", ""))] : [report.rejected, BigInt(report.amount_rejected.replace(".", ""))]
      );
    }
  }
  const orphans = parquetFiles(store).filter((f) => !listed.has(f)).length;
  return {sources: Object.keys(state.files).length, v2: current, orphans};
}

const totals = (report: IngestReport) => ({
  total: report.total,
  files: report.files.map((f) => [f.file, f.sha256, f.rows_in, f.kept, f.rejected, f.amount_in, f.amount_kept, f.duplicates, f.error])
});

describe("ingest killed with SIGKILL at many points", () => {
  const template = join(work, "store-v1");
  let reference: ReturnType<typeof totals>;
  let timeline: Exit["lines"] = [];
  let duration = 0;

  beforeAll(async () => {
    writeVersion(v1);
    const first = await cli(ingestArgs(template));
    expect(first.code, first.stderr).toBe(0);
    writeVersion(v2);
    // The run every killed run is measured against: from the v1 store to v2, never interrupted.
    const whole = join(work, "store-reference");
    cpSync(template, whole, {recursive: true});
    const run = await cli(ingestArgs(whole));
    expect(run.code, run.stderr).toBe(0);
    reference = totals(JSON.parse(run.stdout));
    timeline = run.lines;
    duration = run.ms;
    expect(reference.total.failed_files).toBe(0);
    expect(reference.total.rows_in).toBeGreaterThan(5000);
  }, 120_000);

  it("an uninterrupted run from an empty store gives the same totals", async () => {
    const run = await cli(ingestArgs(join(work, "store-empty")));
    expect(run.code, run.stderr).toBe(0);
    expect(totals(JSON.parse(run.stdout))).toEqual(reference);
  });

  it("after a kill at each of 12 points the published store is whole, and the next run completes with the same totals", async () => {
    // Load on a shared machine stretches start-up unpredictably, so points are timed from the progress line
    // before them: halfway to the next line in the measured run. One lands in start-up, one during the retry of
    // the file with no header row (its log line comes after the other eleven files), and one just before exit.
    const at = (pattern: RegExp) => timeline.findIndex((l) => pattern.test(l.text));
    const gap = (i: number) => (timeline[i + 1]?.ms ?? duration) - timeline[i]!.ms;
    const first = at(/^\[1\/12\]/);
    const points: {after: RegExp | null; delay: number}[] = [
      {after: null, delay: Math.round(timeline[first]!.ms / 2)},
      ...[1, 2, 3, 4, 6, 8, 10, 11, 12].map((k) => {
        const i = at(new RegExp(`^\\[${k}/12\\]`));
        return {after: new RegExp(`^\\[${k}/12\\]`), delay: Math.round(gap(i) / 2)};
      }),
      {after: /borrowing/, delay: 0},
      {after: /borrowing/, delay: Math.round(gap(at(/borrowing/)) / 2)}
    ];
    expect(points.length).toBe(12);
    const outcomes: string[] = [];
    // What each kill left: sources published at v2, sources published, Parquet files written but not yet published.
    const stages = new Set<string>();
    let killed = 0;
    for (const [k, point] of points.entries()) {
      // Every other run starts from the store of the earlier version of the files, the rest from nothing.
      const store = join(work, `store-kill-${k}`);
      if (k % 2 === 0) cpSync(template, store, {recursive: true});
      const run = await cli(ingestArgs(store), point);
      if (run.signal === "SIGKILL") killed++;
      const seen = await checkPublished(store);
      const label = `${point.after ?? "start"} + ${point.delay} ms, from ${k % 2 === 0 ? "v1" : "empty"}`;
      outcomes.push(`${label}: ${run.signal ?? `exit ${run.code}`}, ${seen.v2}/${seen.sources} sources at v2, ${seen.orphans} unpublished Parquet files`);
      stages.add(`${seen.v2}/${seen.sources}/${seen.orphans}`);

      const resumed = await cli(ingestArgs(store));
      expect(resumed.code, `${outcomes.at(-1)}\n${resumed.stderr}`).toBe(0);
      expect(totals(JSON.parse(resumed.stdout)), outcomes.at(-1)).toEqual(reference);
      expect(await checkPublished(store), outcomes.at(-1)).toEqual({sources: FILES.length, v2: FILES.length, orphans: 0});
    }
    // The points must land while the process runs, and at different stages of the work.
    expect(killed, outcomes.join("\n")).toBeGreaterThanOrEqual(11);
    expect(stages.size, outcomes.join("\n")).toBeGreaterThanOrEqual(6);
  }, 300_000);
});

describe("fetch killed with SIGKILL mid-download", () => {
  const data = join(work, "fetch-data");
  const cache = join(work, "fetch-cache");
  const lockPath = join(cache, "lock.json");
  const bodies: Record<string, Buffer[]> = {
    "/a.csv": [readFileSync(join(HYNDBURN, "1705.csv")), readFileSync(join(HYNDBURN, "1710.csv"))],
    "/b.csv": [readFileSync(join(HYNDBURN, "1801.csv")), readFileSync(join(HYNDBURN, "1905.csv"))]
  };
  const body = (path: string, version: 1 | 2) => bodies[path]![version - 1]!;
  let server: http.Server;
  let version: 1 | 2 = 1;
  /** Paths whose body is sent 512 bytes every 100 ms (a 40 KB file takes 8 s), and how much of each was sent. */
  let drip = new Set<string>();
  const dripped = new Map<string, number>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? "";
      const bytes = body(path, version);
      res.writeHead(200, {"content-type": "text/csv", "content-length": String(bytes.length)});
      if (!drip.has(path)) {
        res.end(bytes);
        return;
      }
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= bytes.length) return clearInterval(timer);
        res.write(bytes.subarray(sent, sent + 512));
        sent += 512;
        dripped.set(path, sent);
      }, 100);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(join(data, "sources"), {recursive: true});
    copyFileSync("data/source.schema.json", join(data, "source.schema.json"));
    writeFileSync(
      join(data, "sources", "test.json"),
      JSON.stringify({
        council: {code: "E07000120", name: "Hyndburn Borough Council"},
        publisher: "a local test server",
        licence: "Open Government Licence v3.0",
        layouts: [{from: "2017-01", columns: {amount: ["Net Amount(£)"], supplier_name: ["Name"], payment_date: ["Payment date"]}}],
        files: [
          {period: "2017-05", path: "spend/a.csv", url: `${base}/a.csv`},
          {period: "2017-10", path: "spend/b.csv", url: `${base}/b.csv`}
        ]
      })
    );
    const first = await cli(["fetch", "--data", data, "--cache", cache]);
    expect(first.code, first.stderr).toBe(0);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const lock = () => JSON.parse(readFileSync(lockPath, "utf8")) as Record<string, LockEntry>;
  const cached = (name: string) => readFileSync(join(cache, "spend", name));
  const fetchArgs = ["fetch", "--data", data, "--cache", cache];

  /** Starts a fetch, waits until `ready`, then SIGKILLs it. */
  async function killWhen(ready: () => boolean): Promise<Exit> {
    const {exit, kill} = start(fetchArgs);
    let exited = false;
    void exit.then(() => (exited = true));
    await waitFor(() => ready() || exited);
    kill();
    return exit;
  }

  it("killed while both bodies drip in: the cached files and the lock are exactly the previous ones", async () => {
    const before = readFileSync(lockPath, "utf8");
    version = 2;
    drip = new Set(["/a.csv", "/b.csv"]);
    dripped.clear();
    const run = await killWhen(() => (dripped.get("/a.csv") ?? 0) > 2048 && (dripped.get("/b.csv") ?? 0) > 2048);
    expect(run.signal).toBe("SIGKILL");
    expect(Buffer.compare(cached("a.csv"), body("/a.csv", 1))).toBe(0);
    expect(Buffer.compare(cached("b.csv"), body("/b.csv", 1))).toBe(0);
    expect(readFileSync(lockPath, "utf8")).toBe(before);
  });

  it("killed after the second file and its lock entry landed, while the first still drips: each file matches its lock entry", async () => {
    version = 2;
    drip = new Set(["/a.csv"]);
    dripped.clear();
    const run = await killWhen(() => (dripped.get("/a.csv") ?? 0) > 2048 && lock()["spend/b.csv"]?.sha256 === sha(body("/b.csv", 2)));
    expect(run.signal).toBe("SIGKILL");
    expect(Buffer.compare(cached("a.csv"), body("/a.csv", 1))).toBe(0);
    expect(Buffer.compare(cached("b.csv"), body("/b.csv", 2))).toBe(0);
    expect(lock()["spend/a.csv"]).toMatchObject({sha256: sha(body("/a.csv", 1)), bytes: body("/a.csv", 1).length});
    expect(lock()["spend/b.csv"]).toMatchObject({sha256: sha(body("/b.csv", 2)), bytes: body("/b.csv", 2).length, status: "fetched"});
  });

  it("the next fetch completes: both files are the new versions, the lock agrees, no partial file is left under a data name", async () => {
    drip = new Set();
    const run = await cli(fetchArgs);
    expect(run.code, run.stderr).toBe(0);
    expect(Buffer.compare(cached("a.csv"), body("/a.csv", 2))).toBe(0);
    expect(Buffer.compare(cached("b.csv"), body("/b.csv", 2))).toBe(0);
    expect([lock()["spend/a.csv"]?.sha256, lock()["spend/b.csv"]?.sha256]).toEqual([sha(body("/a.csv", 2)), sha(body("/b.csv", 2))]);
    expect(readdirSync(join(cache, "spend")).filter((f) => !f.startsWith("."))).toEqual(["a.csv", "b.csv"]);
  });
});

async function waitFor(test: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
