import {spawn, spawnSync} from "node:child_process";
import {copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {RUN_LOCK, type LockHolder} from "../pipeline/run-lock.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * One run at a time per folder: a fetch held open by a local server that answers only when the test says so keeps
 * the cache's lock; a second fetch exits naming it, a third with --wait waits and then runs; a lock left by a
 * process that has ended is taken over; ingest refuses a store another live process holds.
 */

const work = tempDirs()("vcse-run-lock-");
const data = join(work, "data");
const cache = join(work, "cache");
const body = "Payment Date,Supplier Name,Amount\n01/04/2019,Age UK,100.00\n";

let server: http.Server;
let base = "";
let requests = 0;
const held: http.ServerResponse[] = [];
let holding = true;
let requested: () => void = () => {};

interface Child {
  pid: number;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves when stderr has a line matching `re`. */
  says: (re: RegExp) => Promise<void>;
}

function start(args: string[]): Child {
  const child = spawn("node", ["bin/vcse-spend.js", ...args], {stdio: ["ignore", "ignore", "pipe"]});
  let stderr = "";
  const waiters: {re: RegExp; resolve: () => void}[] = [];
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
    for (const w of waiters.filter((w) => w.re.test(stderr))) w.resolve();
  });
  return {
    pid: child.pid!,
    stderr: () => stderr,
    exit: new Promise((resolve) => child.on("close", (code) => resolve(code))),
    says: (re) => new Promise((resolve) => (re.test(stderr) ? resolve() : waiters.push({re, resolve})))
  };
}

const fetchArgs = (...more: string[]) => ["fetch", "--data", data, "--cache", cache, "--quiet", ...more];

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    requests++;
    requested();
    if (holding) held.push(res);
    else res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(join(data, "sources"), {recursive: true});
  copyFileSync("data/source.schema.json", join(data, "source.schema.json"));
  writeFileSync(
    join(data, "sources", "hyndburn.json"),
    JSON.stringify({
      council: {code: "E07000120", name: "Hyndburn Borough Council"},
      publisher: "a local test server",
      licence: "Open Government Licence v3.0",
      layouts: [{from: "2019-01", columns: {amount: ["Amount"], supplier_name: ["Supplier Name"], payment_date: ["Payment Date"]}}],
      files: [{period: "2019-04", path: "hyndburn/2019-04.csv", url: `${base}/2019-04.csv`}]
    })
  );
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("one fetch, ingest or update at a time", () => {
  it("a second fetch exits naming the first; a third with --wait runs when the first ends", async () => {
    const first = start(fetchArgs());
    await new Promise<void>((resolve) => (requested = resolve));
    // The first holds the lock while its download is held open.
    const lock = JSON.parse(readFileSync(join(cache, RUN_LOCK), "utf8")) as LockHolder;
    expect(lock).toMatchObject({pid: first.pid, command: "fetch"});
    expect(Date.parse(lock.started)).not.toBeNaN();

    const second = await runCli(fetchArgs());
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`vcse-spend fetch (pid ${first.pid}, running since ${lock.started})`);
    expect(second.stderr).toContain("--wait");
    expect(requests).toBe(1);

    const third = start(fetchArgs("--wait"));
    await third.says(/waiting for vcse-spend fetch \(pid \d+/);
    expect(third.stderr()).toContain(`pid ${first.pid}`);
    expect(requests).toBe(1);

    holding = false;
    for (const res of held.splice(0)) res.end(body);
    expect(await first.exit).toBe(0);
    expect(await third.exit).toBe(0);
    expect(requests).toBe(2);
    expect(existsSync(join(cache, RUN_LOCK))).toBe(false);
  });

  it("a lock left by a process that has ended is taken over", async () => {
    const gone = spawnSync("node", ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"});
    const dead = Number(gone.stdout);
    writeFileSync(join(cache, RUN_LOCK), JSON.stringify({pid: dead, command: "update", started: "2026-01-01T00:00:00.000Z"}));
    const run = await runCli(fetchArgs());
    expect(run.stderr).not.toContain("in use");
    expect(run.status).toBe(0);
    expect(existsSync(join(cache, RUN_LOCK))).toBe(false);
  });

  it("a half-written lock from long ago is taken over; a store held by a live process refuses ingest", async () => {
    const store = join(work, "store");
    mkdirSync(store, {recursive: true});
    // This test's own process is alive: it holds the store as far as ingest can tell.
    const mine: LockHolder = {pid: process.pid, command: "update", started: new Date().toISOString()};
    writeFileSync(join(store, RUN_LOCK), JSON.stringify(mine));
    const refused = await runCli(["ingest", "--data", data, "--cache", cache, "--out", store, "--quiet"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${store} is in use by vcse-spend update (pid ${process.pid}, running since ${mine.started})`);
    expect(existsSync(join(store, "state.json"))).toBe(false);
    // update takes the cache's lock, then the store's: refused at the store, it lets the cache go again.
    const update = await runCli(["update", "--sources", join(work, "sources"), "--cache", cache, "--out", store, "--contact", "tests@example.org", "--quiet"]);
    expect(update.status).toBe(1);
    expect(update.stderr).toContain(`${store} is in use by vcse-spend update (pid ${process.pid}`);
    expect(existsSync(join(cache, RUN_LOCK))).toBe(false);

    writeFileSync(join(store, RUN_LOCK), "{\"pid\": 12");
    const {utimesSync} = await import("node:fs");
    utimesSync(join(store, RUN_LOCK), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const taken = await runCli(["ingest", "--data", data, "--cache", cache, "--out", store, "--quiet"]);
    expect(taken.stderr).not.toContain("in use");
    expect(taken.status).toBe(0);
    expect(existsSync(join(store, "state.json"))).toBe(true);
    expect(existsSync(join(store, RUN_LOCK))).toBe(false);
  });
});
