import {execFileSync} from "node:child_process";
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {verifyStore} from "../pipeline/store/verify.ts";
import {defaultClassifier} from "./default-classifier.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * A full disk and a read-only folder. ENOSPC is injected at the store's write seam (every platform), and where the
 * test may mount a small tmpfs, the disk really fills. Either way the step fails saying so, every file state.json
 * lists is whole, and the next run ends with the rows of a run that never failed.
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
