import {execFile, execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {fetchSources, readLock} from "../pipeline/fetch/fetch-source.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {published} from "../pipeline/site/build-site.ts";
import {verifyStore} from "../pipeline/store/verify.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * A full disk and a read-only folder, during ingest, fetch and the site build. ENOSPC is injected at each step's write
 * seam (every platform), and where the test may mount a small tmpfs, the disk really fills. Either way the step fails
 * saying so, what it had before (the store state.json lists, the cached file, the site published) is left whole, and
 * the next run with room ends as a run that never failed.
 */

const HYNDBURN = "data/sample/spending/hyndburn";
const FIRST = ["1705.csv", "1801.csv"].map((f) => join(HYNDBURN, f));
const MORE = ["April-2020.csv", "April-2023.csv", "April-24.csv", "July-24.csv"].map((f) => join(HYNDBURN, f));
const work = tempDirs()("vcse-disk-");
const dataDir = "data";
const COUNCIL = "E07000120";
const run = async (outDir: string, files: string[], beforeWrite?: (path: string) => void) =>
  ingest({dataDir, outDir, adhoc: {council: COUNCIL, files}, beforeWrite, classifier: await defaultClassifier()});

function mountable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = join(work, "probe");
  mkdirSync(probe, {recursive: true});
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], {stdio: "ignore"});
    execFileSync("umount", [probe], {stdio: "ignore"});
    return true;
  } catch {
    return false;
  }
}
const canMount = mountable();
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted.reverse()) execFileSync("umount", [dir], {stdio: "ignore"});
});
function mount(dir: string, options: string): void {
  mkdirSync(dir, {recursive: true});
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  mounted.push(dir);
}

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), {code: "ENOSPC"});
const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as {files: Record<string, {checks: unknown}>};

describe("a full disk during ingest", () => {
  const clean = join(work, "clean");
  let expected: {rows_in: number; kept: number; amount_kept: string};

  it("a run that never failed, for comparison", async () => {
    const report = await run(clean, [...FIRST, ...MORE]);
    expected = {rows_in: report.total.rows_in, kept: report.total.kept, amount_kept: report.total.amount_kept};
    expect(expected.kept).toBeGreaterThan(500);
  });

  it("an injected ENOSPC fails the step plainly, leaves a store that verifies, and the next run recovers", async () => {
    const store = join(work, "injected");
    await run(store, FIRST);
    const before = stateOf(store);
    let writes = 0;
    const error = await run(store, [...FIRST, ...MORE], () => {
      if (++writes === 2) throw enospc();
    }).then(() => undefined, (e: Error) => e);
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(error?.message).toMatch(new RegExp(`^no space left on the device of the store ${store} .*free space and run ingest again`));
    // The last good store: what the first run published is still listed, as it was, and everything listed is whole.
    const after = stateOf(store);
    for (const [source, stored] of Object.entries(before.files)) expect(after.files[source]).toEqual(stored);
    const verified = await verifyStore(store);
    expect(verified.damaged).toEqual([]);
    expect(verified.ledger).toEqual([]);
    expect(readdirSync(store).filter((n) => n.endsWith(".tmp"))).toEqual([]);

    const again = await run(store, [...FIRST, ...MORE]);
    expect(again.total).toMatchObject(expected);
    expect((await verifyStore(store)).damaged).toEqual([]);
  });

  it.skipIf(!canMount)("a real full disk (a small tmpfs): the step fails saying so; with room, the next run recovers", async () => {
    const disk = join(work, "disk");
    mount(disk, "size=16m");
    const store = join(disk, "store");
    await run(store, FIRST);
    const before = stateOf(store);
    // Room for a little more than the store holds now: the next files fill it part way through.
    const used = Number(execFileSync("df", ["--output=used", "-B1", disk], {encoding: "utf8"}).trim().split("\n").at(-1));
    execFileSync("mount", ["-o", `remount,size=${used + 48 * 1024}`, disk]);
    const failed = await runCli(["ingest", "--council", COUNCIL, "--out", store, "--quiet", "--files", ...FIRST, ...MORE, ...["1710.csv", "1905.csv", "Jan2021.csv", "June-2021-csv.csv"].map((f) => join(HYNDBURN, f))]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/vcse-spend: no space left on the device of the store .*No space left on device/);
    const after = stateOf(store);
    for (const [source, stored] of Object.entries(before.files)) expect(after.files[source]).toEqual(stored);
    expect((await verifyStore(store)).damaged).toEqual([]);

    execFileSync("mount", ["-o", "remount,size=16m", disk]);
    const again = await run(store, [...FIRST, ...MORE]);
    expect(again.total).toMatchObject(expected);
    expect((await verifyStore(store)).damaged).toEqual([]);
  });
});

describe("a read-only output folder is refused at start", () => {
  const readOnly = join(work, "ro");
  const root = process.getuid?.() === 0;

  it.skipIf(root && !canMount)("ingest, fetch and update name the folder and refuse before doing anything", async () => {
    if (canMount) mount(readOnly, "ro,size=64k");
    else {
      mkdirSync(readOnly, {recursive: true});
      chmodSync(readOnly, 0o555);
    }
    const store = join(readOnly, "store");
    const ingested = await runCli(["ingest", "--council", COUNCIL, "--out", store, "--files", FIRST[0]!]);
    expect(ingested.status).toBe(2);
    expect(ingested.stderr).toContain(`--out ${store}: cannot write there (E`);
    const fetched = await runCli(["fetch", "--cache", join(readOnly, "cache")]);
    expect(fetched.status).toBe(2);
    expect(fetched.stderr).toContain(`--cache ${join(readOnly, "cache")}: cannot write there`);
    const updated = await runCli(["update", "--sources", join(work, "sources"), "--cache", join(work, "cache"), "--out", store, "--contact", "tests@example.org"]);
    expect(updated.status).toBe(2);
    expect(updated.stderr).toContain(`--out ${store}: cannot write there`);
    expect(existsSync(store)).toBe(false);
  });
});

const sha = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("a full disk during fetch", () => {
  // The file as first published, then republished much larger: its download fills the disk part way.
  const FIRST_COPY = "Date,Supplier,Amount\n" + "01/04/2019,Age UK,100.00\n".repeat(50);
  const LARGER = "Date,Supplier,Amount\n" + Array.from({length: 20_000}, (_, i) => `02/04/2019,Supplier ${i},${i}.50\n`).join("");
  let body = FIRST_COPY;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, {"content-type": "text/csv"});
      // In pieces, so the download is written part by part.
      const chunk = 16 * 1024;
      for (let i = 0; i < body.length; i += chunk) res.write(body.slice(i, i + chunk));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/spend.csv`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const PATH = "E07000120/2019-04.csv";
  const fetchInto = (cacheDir: string, beforeWrite?: (path: string) => void) =>
    fetchSources([{council: COUNCIL, url, path: PATH, kind: "csv"}], {cacheDir, lockPath: join(cacheDir, "lock.json"), retries: 0, log: () => {}, beforeWrite});
  const cached = (cacheDir: string) => readFileSync(join(cacheDir, PATH), "utf8");
  const parts = (cacheDir: string) => readdirSync(join(cacheDir, "E07000120")).filter((n) => n.endsWith(".part"));

  /** The download failed naming the file, the cached copy is the one before (file and lock), and no part file is left. */
  function keptFirstCopy(cacheDir: string, entry: Awaited<ReturnType<typeof fetchInto>>[number]) {
    expect(entry.status).toBe("kept_last_good");
    expect(entry.error).toMatch(new RegExp(`no space left on the device of the cache, writing ${join(cacheDir, PATH)} \\(.*ENOSPC.*\\): .*copy cached before it is kept; free space and run fetch again`));
    expect(cached(cacheDir)).toBe(FIRST_COPY);
    expect(entry).toMatchObject({sha256: sha(FIRST_COPY), bytes: FIRST_COPY.length});
    expect(readLock(join(cacheDir, "lock.json"))[PATH]).toMatchObject({sha256: sha(FIRST_COPY), status: "kept_last_good"});
    expect(parts(cacheDir)).toEqual([]);
  }

  it("an injected ENOSPC halfway through a download keeps the copy before; the next fetch completes", async () => {
    body = FIRST_COPY;
    const cacheDir = join(work, "fetch-injected");
    expect((await fetchInto(cacheDir))[0]).toMatchObject({status: "fetched", sha256: sha(FIRST_COPY)});

    body = LARGER;
    let writes = 0;
    const [entry] = await fetchInto(cacheDir, (path) => {
      if (!path.includes(".2019-04.csv.")) return;
      if (++writes === 3) throw enospc();
    });
    expect(writes).toBe(3);
    keptFirstCopy(cacheDir, entry!);

    const [again] = await fetchInto(cacheDir);
    expect(again).toMatchObject({status: "fetched", sha256: sha(LARGER), bytes: LARGER.length});
    expect(cached(cacheDir)).toBe(LARGER);
    expect(parts(cacheDir)).toEqual([]);
  });

  it("an injected ENOSPC writing the lock file fails the fetch plainly; the file is whole and the next fetch records it", async () => {
    body = FIRST_COPY;
    const cacheDir = join(work, "fetch-lock");
    const lockPath = join(cacheDir, "lock.json");
    const error = await fetchInto(cacheDir, (path) => {
      if (path === lockPath) throw enospc();
    }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(new RegExp(`^no space left on the device of the cache, writing the lock file ${lockPath} \\(ENOSPC.*\\): the files fetched are in place whole .*free space and run fetch again$`));
    expect(cached(cacheDir)).toBe(FIRST_COPY);
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith(".part"))).toEqual([]);
    expect((await fetchInto(cacheDir))[0]).toMatchObject({status: "fetched", sha256: sha(FIRST_COPY)});
    expect(readLock(lockPath)[PATH]).toMatchObject({status: "fetched", sha256: sha(FIRST_COPY), bytes: FIRST_COPY.length});
  });

  it.skipIf(!canMount)("a real full disk (a small tmpfs) during a download: the same; with room, the next fetch completes", async () => {
    body = FIRST_COPY;
    const disk = join(work, "fetch-disk");
    mount(disk, `size=${Math.floor(LARGER.length / 2)}`);
    const cacheDir = join(disk, "cache");
    expect((await fetchInto(cacheDir))[0]).toMatchObject({status: "fetched"});
    body = LARGER;
    keptFirstCopy(cacheDir, (await fetchInto(cacheDir))[0]!);
    execFileSync("mount", ["-o", `remount,size=${4 * LARGER.length}`, disk]);
    expect((await fetchInto(cacheDir))[0]).toMatchObject({status: "fetched", sha256: sha(LARGER)});
    expect(cached(cacheDir)).toBe(LARGER);
  });
});

describe("a full disk during the site build", () => {
  // A build that writes COUNT pages of SIZE bytes naming its version, then its index; node's own ENOSPC when the
  // disk fills (or, with "fail-at" N, one thrown as node throws it, at page N).
  const COUNT = 8;
  const fake = join(work, "sized-build.mjs");
  writeFileSync(
    fake,
    `import {writeFileSync} from "node:fs";
const [version, size, failAt] = process.argv.slice(2);
for (let i = 0; i < ${COUNT}; i++) {
  if (String(i) === failAt) throw Object.assign(new Error("ENOSPC: no space left on device, write"), {code: "ENOSPC", errno: -28});
  writeFileSync(process.env.VCSE_BUILD_OUT + "/page-" + i + ".html", version.padEnd(Number(size), "."));
}
writeFileSync(process.env.VCSE_BUILD_OUT + "/index.html", version);
`
  );
  const build = (out: string, version: string, size: number, failAt?: number) =>
    new Promise<{status: number; stderr: string}>((resolve) =>
      execFile("node", ["--import", "tsx", "scripts/build-site.ts", "--out", out, "--", "node", fake, version, String(size), ...(failAt === undefined ? [] : [String(failAt)])], (error, _stdout, stderr) =>
        resolve({status: error ? Number(error.code) : 0, stderr})
      )
    );
  const site = (out: string) => Object.fromEntries(readdirSync(out).sort().map((n) => [n, readFileSync(join(out, n), "utf8")]));
  const complete = (version: string, size: number) => ({
    ...Object.fromEntries(Array.from({length: COUNT}, (_, i) => [`page-${i}.html`, version.padEnd(size, ".")])),
    "index.html": version
  });

  /** The build failed saying the disk is full, dist is the build before, whole, and nothing half-written is left. */
  function keptSite(out: string, failed: {status: number; stderr: string}, before: string, size: number, folder: string | undefined) {
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`build-site: no space left on the device of ${out}\\.builds while building the site \\(.*ENOSPC.*\\): the half-written build is removed and the site published is the one before \\(${folder}\\), whole; free space and build again`));
    expect(site(out)).toEqual(complete(before, size));
    expect(published(out)).toBe(folder);
    expect(readdirSync(`${out}.builds`).filter((n) => n.startsWith("partial-"))).toEqual([]);
  }

  it("an injected ENOSPC while the new build is written leaves dist as it was; the next build publishes", async () => {
    const out = join(work, "site-injected", "dist");
    mkdirSync(join(work, "site-injected"));
    expect((await build(out, "v1", 64)).status).toBe(0);
    const v1 = published(out);
    keptSite(out, await build(out, "v2", 64, 3), "v1", 64, v1);
    const next = await build(out, "v3", 64);
    expect(next.status, next.stderr).toBe(0);
    expect(site(out)).toEqual(complete("v3", 64));
  });

  it.skipIf(!canMount)("a real full disk (a small tmpfs) during the build: the same; with room, the next build publishes", async () => {
    const disk = join(work, "site-disk");
    const size = 64 * 1024;
    mount(disk, `size=${COUNT * size * 1.5}`);
    const out = join(disk, "dist");
    expect((await build(out, "v1", size)).status).toBe(0);
    const v1 = published(out);
    keptSite(out, await build(out, "v2", size), "v1", size, v1);
    execFileSync("mount", ["-o", `remount,size=${COUNT * size * 4}`, disk]);
    const next = await build(out, "v3", size);
    expect(next.status, next.stderr).toBe(0);
    expect(site(out)).toEqual(complete("v3", size));
  });
});
