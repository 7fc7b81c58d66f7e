import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {type Dirent, appendFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {published} from "../pipeline/site/build-site.ts";
import {storedFiles} from "../pipeline/store/store.ts";
import {AUDIT_LOG, readAudit} from "../pipeline/update/audit-log.ts";
import {sqlLiteral} from "../pipeline/sql.ts";
import {compiledCli} from "./compile-cli.ts";
import {councilSite, page, type CouncilSite} from "./council-site.ts";
import {memoryDb} from "./memory-db.ts";
import {csv, payments, pounds, withCommas, xlsx, type Payment} from "./spend-files.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * The kill-point harness. One monthly pass is `vcse-spend update --site dist` over three councils served from
 * 127.0.0.1 (discover, fetch, ingest, verify, then a stub site build that runs the site's compaction, and the switch
 * of dist). A first, counting run of the pass numbers every call that changes a file under the pass's folder
 * (test/kill-points/kill-after.mjs, loaded into every process of the pass); then for every point k a run is
 * SIGKILLed just before call k, dist is checked to be the previous complete site or the new one, and a run that
 * follows must end with the store, the report and dist of a pass never killed, every payment of the files in it.
 * Every pass runs the command line and the stub build compiled once to JavaScript (compile-cli.ts):
 * a pass then spends its time in the pass, not in compiling TypeScript as each of its processes starts.
 */

const PROJECT = resolve(".");
const PRELOAD = join(PROJECT, "test/kill-points/kill-after.mjs");
const CLI_ENTRY = "bin/vcse-spend.js";
const STUB_ENTRY = "test/kill-points/stub-build.mjs";
const CSV = {"content-type": "text/csv"};
const XLSX_TYPE = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
/** Kill runs at once: the machine has two cores. */
const PARALLEL = 2;
/** Longer than any pass takes on a loaded machine. */
const PASS_TIMEOUT_MS = 60_000;

const root = tempDirs()("vcse-kill-points-");
const db = memoryDb();
/** The command line and the stub build, compiled before the tests. */
const compiled = compiledCli([CLI_ENTRY, STUB_ENTRY]);

/**
 * The pass's own data folder: the project's, with the registers (plain and gzipped) cut to their first lines so a
 * run starts fast.
 */
function smallData(): void {
  cpSync("data", join(root, "data"), {recursive: true, filter: (src) => !src.startsWith("data/sample") && !src.startsWith("data/sources/")});
  const first = (text: string) => text.split("\n").slice(0, 40).join("\n") + "\n";
  for (const sub of ["charity-lookups", "registers"]) {
    const dir = join(root, "data/reference", sub);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name.endsWith(".csv")) writeFileSync(path, first(readFileSync(path, "utf8")));
      else if (name.endsWith(".csv.gz")) writeFileSync(path, gzipSync(first(gunzipSync(readFileSync(path)).toString("utf8"))));
    }
  }
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One pass in folder `dir` (cwd is the root, where the small data folder is); killAt numbers the call to die at. */
function pass(dir: string, list: string, kill?: {at?: number; log?: string}): Promise<Run> {
  const args = [
    compiled[CLI_ENTRY], "update", "--list", list, "--council", "E07000120", "--council", "E07000117", "--council", "E07000121",
    "--sources", join(dir, "sources"), "--cache", join(dir, "cache"), "--out", join(dir, "store"), "--site", join(dir, "dist"),
    "--build-command", `node ${compiled[STUB_ENTRY]} ${join(dir, "store")} data`, "--stale-days", "0", "--delay", "0", "--timeout", "5000",
    "--contact", "tests@example.org", "--quiet", "--json",
    // A run killed between creating its run lock and writing it leaves an empty lock, taken over once a second old:
    // the run after it, started at once, waits for that instead of exiting.
    "--wait"
  ];
  const env: NodeJS.ProcessEnv = {...process.env, TZ: "UTC"};
  if (kill) {
    const counter = join(dir, "..", `${dir.split("/").at(-1)}.points`);
    writeFileSync(counter, "");
    Object.assign(env, {NODE_OPTIONS: `--import ${PRELOAD}`, VCSE_KILL_ROOT: root, VCSE_KILL_COUNTER: counter, VCSE_KILL_AT: String(kill.at ?? 0)});
    if (kill.log) env.VCSE_KILL_LOG = kill.log;
  }
  return new Promise((done) => {
    const child = spawn("node", args, {cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true});
    let stdout = "";
    let stderr = "";
    // A pass that hangs is a failure, named with what it printed (the whole group: the build too).
    const timer = setTimeout(() => {
      stderr += `\n(killed by the harness after ${PASS_TIMEOUT_MS} ms)`;
      process.kill(-child.pid!, "SIGTERM");
    }, PASS_TIMEOUT_MS);
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({code, signal, stdout, stderr});
    });
  });
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Every file under dir with its hash. Left out: the run lock (the running process's) and the audit log, which says
 * what each run did (a run after a kill fetches and changes less than one never killed); it is checked apart.
 */
function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files = (readdirSync(dir, {recursive: true, withFileTypes: true}) as Dirent[]).filter((e) => e.isFile() && e.name !== ".vcse-spend.lock" && e.name !== AUDIT_LOG);
  return Object.fromEntries(files.map((e) => join(e.parentPath, e.name)).sort().map((p) => [p.slice(dir.length + 1), sha(readFileSync(p))]));
}

/** dist's files and their text, the pass's folder and the times it was made ("generated") written alike. */
function site(dir: string): Record<string, string> {
  const folder = published(join(dir, "dist"));
  if (!folder) return {};
  const files = (readdirSync(folder, {recursive: true, withFileTypes: true}) as Dirent[]).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(folder.length + 1));
  return Object.fromEntries(files.sort().map((n) => [n, readFileSync(join(folder, n), "utf8").replaceAll(dir, "<dir>").replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")]));
}

/**
 * What a pass ends with: the store's files, the report (its folder and the build's name written alike), dist's files,
 * and what the audit log's last line says of the store (councils and their status, files found and ingested).
 */
function outcome(dir: string, run: Run) {
  const report = run.stdout.replaceAll(dir, "<dir>").replace(/"published": "[^"]+"/, `"published": "<build>"`);
  const raw = existsSync(join(dir, "store", AUDIT_LOG)) ? readFileSync(join(dir, "store", AUDIT_LOG), "utf8").split("\n").filter(Boolean).length : 0;
  const entries = readAudit(join(dir, "store"));
  const last = entries.at(-1);
  const audit = {whole: entries.length === raw, councils: last?.councils.map((c) => [c.council, c.status, c.found, c.ingested, c.failed]), site: last?.site ? "<build>" : last?.site};
  return {store: tree(join(dir, "store")), report: report ? withoutRunChanges(JSON.parse(report)) : null, dist: site(dir), audit};
}

/**
 * The report less what each council's ingest changed in this process (new files, files published again, new
 * columns): counted against the store as the process found it, so a run after a kill counts what the killed run
 * had already stored as unchanged. What the store says of each file (its state, with the same marks) is compared.
 */
function withoutRunChanges<T>(report: T): T {
  for (const c of (report as {councils?: {ingest?: {changed?: unknown}}[]}).councils ?? []) delete c.ingest?.changed;
  return report;
}

/** The keys whose values differ between two outcomes' parts, as "key: got ≠ expected". */
function differences(got: unknown, want: unknown): string {
  const a = (got ?? {}) as Record<string, unknown>;
  const b = (want ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return keys.map((k) => `${k}: ${JSON.stringify(a[k])?.slice(0, 300)} ≠ ${JSON.stringify(b[k])?.slice(0, 300)}`).join("; ");
}

/** Rows and pence of the payments the store publishes, read back from its Parquet files. */
async function storedPayments(store: string): Promise<{rows: number; pence: string}> {
  const files = storedFiles(store, "payments");
  const read = await db().runAndReadAll(`SELECT count(*)::INTEGER AS rows, sum(amount_pence)::VARCHAR AS pence FROM read_parquet([${files.map(sqlLiteral).join(", ")}])`);
  const got = read.getRowObjects()[0]!;
  return {rows: got.rows as number, pence: got.pence as string};
}

describe("kill-point harness: SIGKILL at every file-system call of a monthly update and site build", () => {
  let a: CouncilSite, b: CouncilSite, c: CouncilSite;
  const list = join(root, "pages.csv");
  // Month one: Hyndburn's April; Burnley's April. Month two: Hyndburn's April republished with one more payment, its
  // May; Burnley's May as a workbook; Lancaster, a council seen for the first time.
  const aprilA = payments(2025, 4);
  const aprilA2 = [...aprilA, ...payments(2025, 4).slice(0, 1)];
  const mayA = payments(2025, 5);
  const aprilB = payments(2025, 4);
  const mayB = payments(2025, 5);
  const juneC = payments(2025, 6);
  const month2: Payment[] = [...aprilA2, ...mayA, ...aprilB, ...mayB, ...juneC];
  const template = join(root, "month1");
  let expected: ReturnType<typeof outcome>;
  let previousDist: Record<string, string>;

  const month = (n: 1 | 2) => {
    a.routes.set("/spend", page("Spending over £500", `<h2>2025/26</h2><h3>April</h3><a href="/f/april.csv">CSV</a>${n === 2 ? `<h3>May</h3><a href="/f/may.csv">CSV</a>` : ""}`));
    a.routes.set("/f/april.csv", {headers: CSV, body: csv(n === 1 ? aprilA : aprilA2, pounds)});
    a.routes.set("/f/may.csv", {headers: CSV, body: csv(mayA, withCommas)});
    b.routes.set("/spend", page("Payments to suppliers", `<ul><li><a href="/files/payments-2025-04.csv">Payments April 2025</a></li>${n === 2 ? `<li><a href="/files/payments-2025-05.xlsx">Payments May 2025</a></li>` : ""}</ul>`));
    b.routes.set("/files/payments-2025-04.csv", {headers: CSV, body: csv(aprilB, pounds)});
    b.routes.set("/files/payments-2025-05.xlsx", {headers: XLSX_TYPE, body: xlsx(mayB)});
    c.routes.set("/spend", n === 2 ? page("Spend", `<h2>June 2025</h2><a href="/june-2025.csv">Spending June 2025 (CSV)</a>`) : {status: 404, body: "not yet"});
    c.routes.set("/june-2025.csv", {headers: CSV, body: csv(juneC, pounds)});
  };

  beforeAll(async () => {
    smallData();
    [a, b, c] = await Promise.all([councilSite(), councilSite(), councilSite()]);
    writeFileSync(
      list,
      [
        "gss_code,council_name,page_url,file_url_example,datagovuk_dataset,source,seen",
        `E07000120,Hyndburn Borough Council,${a.base}/spend,,,test,2026`,
        `E07000117,Burnley Borough Council,${b.base}/spend,,,test,2026`,
        `E07000121,Lancaster City Council,${c.base}/spend,,,test,2026`
      ].join("\n") + "\n"
    );
    month(1);
    const first = await pass(template, list);
    expect(first.code, first.stderr).toBe(0);
    previousDist = site(template);
    month(2);
    const whole = join(root, "whole");
    cpSync(template, whole, {recursive: true, verbatimSymlinks: true});
    const run = await pass(whole, list);
    expect(run.code, run.stderr).toBe(0);
    expected = outcome(whole, run);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b, c].map((s) => s?.close()));
  });

  it("an uninterrupted pass keeps every payment of the month's files and publishes a new site", async () => {
    expect(await storedPayments(join(root, "whole", "store"))).toEqual({rows: month2.length, pence: String(month2.reduce((s, p) => s + p.pence, 0))});
    expect(expected.report.updated).toBe(3);
    expect(expected.report.site.published).toBe("<build>");
    expect(Object.keys(expected.dist).sort()).toEqual(["index.html", "sources.json", "suppliers.csv", "trend.json"]);
    expect(expected.dist).not.toEqual(previousDist);
  });

  it("after a kill at each of the pass's points, dist is whole and the next run ends as if never killed", async () => {
    const counting = join(root, "counting");
    cpSync(template, counting, {recursive: true, verbatimSymlinks: true});
    const log = join(root, "points.log");
    const run = await pass(counting, list, {log});
    expect(run.code, run.stderr).toBe(0);
    // Instrumented, the pass ends as it does without the harness.
    expect(outcome(counting, run)).toEqual(expected);
    const points = readFileSync(log, "utf8").trim().split("\n").map((line) => line.split("\t") as [string, string, string]);
    const total = points.length;
    expect(total).toBeGreaterThanOrEqual(100);
    const stages = new Map<string, number>();
    const elsewhere: string[] = [];
    for (const [, call, path] of points) {
      const where = path.split("/")[1] ?? "";
      const stage = /^sources/.test(where) ? "discover" : /^cache/.test(where) ? "fetch" : /^store/.test(where) ? "ingest" : /^\.?dist/.test(where) ? "site" : path.startsWith("node_modules") ? "compaction" : "elsewhere";
      if (stage === "elsewhere") elsewhere.push(`${call} ${path}`);
      stages.set(stage, (stages.get(stage) ?? 0) + 1);
    }
    console.log(`kill points: ${total} (${[...stages].map(([s, n]) => `${s} ${n}`).join(", ")})${elsewhere.length ? `; elsewhere: ${elsewhere.join(", ")}` : ""}`);

    const failures: string[] = [];
    let killed = 0;
    // VCSE_KILL_POINTS=66,102 runs only those points (to look into a failure); by default every point is run.
    const only = process.env.VCSE_KILL_POINTS?.split(",").map(Number);
    const chosen = only ?? Array.from({length: total}, (_, i) => i + 1);
    let next = 0;
    const worker = async () => {
      while (next < chosen.length) {
        const k = chosen[next++]!;
        const dir = join(root, `kill-${k}`);
        cpSync(template, dir, {recursive: true, verbatimSymlinks: true});
        const dying = await pass(dir, list, {at: k});
        // The number of calls varies a little between runs (fetch's lock writes are coalesced, state.json is saved
        // at most every 2 s): a point past the end of this run is not reached, and the run is compared all the same.
        if (dying.signal === "SIGKILL") killed++;
        else if (dying.code !== 0) failures.push(`point ${k} (${points[k - 1]!.slice(1).join(" ")}): not killed, and failed (status ${dying.code}, ${dying.signal}): ${dying.stderr.slice(-400)}`);
        const shown = site(dir);
        if (JSON.stringify(shown) !== JSON.stringify(previousDist) && JSON.stringify(shown) !== JSON.stringify(expected.dist)) failures.push(`point ${k} (${points[k - 1]!.slice(1).join(" ")}): dist is neither the previous site nor the new one: ${published(join(dir, "dist"))}`);
        const after = await pass(dir, list);
        const got = outcome(dir, after);
        if (process.env.VCSE_KILL_PROGRESS) appendFileSync(process.env.VCSE_KILL_PROGRESS, `${k} ${dying.signal} ${after.code}\n`);
        const before = failures.length;
        for (const part of ["store", "report", "dist", "audit"] as const) {
          if (JSON.stringify(got[part]) !== JSON.stringify(expected[part])) failures.push(`point ${k} (${points[k - 1]!.slice(1).join(" ")}): the ${part} after the next run differs (status ${after.code}): ${differences(got[part], expected[part])}`);
        }
        if (failures.length === before) rmSync(dir, {recursive: true, force: true});
      }
    };
    await Promise.all(Array.from({length: PARALLEL}, worker));
    expect(failures).toEqual([]);
    // At least 100 distinct points were killed at.
    expect(killed).toBeGreaterThanOrEqual(only ? only.length : 100);
  }, 2_400_000);
});
