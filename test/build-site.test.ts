import {execFileSync, spawn} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {RUN_LOCK} from "../pipeline/run-lock.ts";
import {buildSite, published} from "../pipeline/site/build-site.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * dist is always a complete build: a fake build command writes FILES files one by one (saying so), the last naming
 * its version; the wrapper is killed part way, or the build fails, and dist stays the previous complete build.
 */

const work = tempDirs()("vcse-build-site-");
const out = join(work, "dist");
const FILES = 8;
const fake = join(work, "fake-build.mjs");
writeFileSync(
  fake,
  `import {writeFileSync} from "node:fs";
const [version, fail] = process.argv.slice(2);
const dir = process.env.VCSE_BUILD_OUT;
for (let i = 0; i < ${FILES}; i++) {
  writeFileSync(dir + "/page-" + i + ".html", version);
  process.stdout.write("wrote " + i + "\\n");
  // Held here until the test has looked (it kills us, or lets us finish by closing stdin).
  if (i === 3 && process.stdin.readable) await new Promise((r) => process.stdin.once("data", r).once("end", r));
}
if (fail) process.exit(1);
writeFileSync(dir + "/index.html", version);
`
);

function build(version: string, options: {fail?: boolean; hold?: boolean} = {}) {
  const args = ["--import", "tsx", "scripts/build-site.ts", "--out", out, "--", "node", fake, version, ...(options.fail ? ["fail"] : [])];
  const child = spawn("node", args, {stdio: [options.hold ? "pipe" : "ignore", "pipe", "pipe"], detached: true});
  let stdout = "";
  let stderr = "";
  const waiting: {text: string; resolve: () => void}[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d;
    for (const w of waiting.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  // The build's own output goes to the wrapper's stderr (its stdout is for a caller's report).
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d;
    for (const w of waiting.filter((w) => stderr.includes(w.text))) w.resolve();
  });
  return {
    exit: new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code))),
    says: (text: string) => new Promise<void>((resolve) => (stdout.includes(text) || stderr.includes(text) ? resolve() : waiting.push({text, resolve}))),
    stderr: () => stderr,
    // The wrapper and the build it started, as a kill of the whole run would.
    kill: () => process.kill(-child.pid!, "SIGKILL"),
    finish: () => child.stdin?.end()
  };
}

/** Every file dist serves, with its content. */
function site(): Record<string, string> {
  return Object.fromEntries(readdirSync(out).sort().map((n) => [n, readFileSync(join(out, n), "utf8")]));
}
const complete = (version: string) => Object.fromEntries([...Array.from({length: FILES}, (_, i) => `page-${i}.html`), "index.html"].sort().map((n) => [n, version]));

describe("the site build switches dist atomically", () => {
  it("publishes a complete build; a killed build and a failed build leave the previous one; the next run recovers", async () => {
    const first = build("v1");
    expect(await first.exit, first.stderr()).toBe(0);
    expect(site()).toEqual(complete("v1"));
    const v1 = published(out);

    const killed = build("v2", {hold: true});
    await killed.says("wrote 3");
    // Mid-build: dist is still v1, whole.
    expect(site()).toEqual(complete("v1"));
    killed.kill();
    await killed.exit;
    expect(site()).toEqual(complete("v1"));
    expect(published(out)).toBe(v1);

    const failed = build("v3", {fail: true});
    expect(await failed.exit).toBe(1);
    expect(failed.stderr()).toContain("the site published is the one before");
    expect(site()).toEqual(complete("v1"));

    const next = build("v4", {hold: true});
    await next.says("wrote 3");
    expect(site()).toEqual(complete("v1"));
    next.finish();
    expect(await next.exit, next.stderr()).toBe(0);
    expect(site()).toEqual(complete("v4"));
    // What the killed and failed runs left is gone; the previous complete build is kept, no more.
    const builds = readdirSync(`${out}.builds`).filter((n) => !n.startsWith("."));
    expect(builds.filter((n) => n.startsWith("partial-"))).toEqual([]);
    expect(builds).toHaveLength(2);
    expect(readdirSync(`${out}.builds`)).not.toContain(".vcse-spend.lock");
    expect(existsSync(v1!)).toBe(true);
  });
});

describe("a build killed while writing its lock", () => {
  it("leaves an empty lock: a build started at once fails naming it, or with wait takes it over once it is a second old", async () => {
    const site = join(work, "lock-dist");
    const command = ["node", "-e", `require("node:fs").writeFileSync(process.env.VCSE_BUILD_OUT + "/index.html", "built")`];
    mkdirSync(`${site}.builds`, {recursive: true});
    // What a kill between creating the lock and writing it leaves.
    writeFileSync(join(`${site}.builds`, RUN_LOCK), "");
    await expect(buildSite({out: site, command})).rejects.toThrow(/is in use by vcse-spend unknown/);
    await buildSite({out: site, command, wait: true});
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe("built");
    expect(readdirSync(`${site}.builds`)).not.toContain(RUN_LOCK);
  });
});

describe("the site is built from the store it is given", () => {
  it("gives the build command the store as VCSE_STORE, and the data loaders read that store", async () => {
    const store = join(work, "other-store");
    mkdirSync(store, {recursive: true});
    const entry = {start: "2026-01-02T03:04:05.000Z", end: "2026-01-02T03:05:00.000Z", councils: [], totals: {councils: 7}};
    writeFileSync(join(store, "updates.jsonl"), `${JSON.stringify(entry)}\n`);
    const site = join(work, "other-dist");
    // The build command runs a data loader, as observable build would, with the environment it is given.
    const loader = ["--import", "tsx", resolve("src/data/last-update.json.ts")];
    const command = ["node", "-e", `const {execFileSync} = require("node:child_process"); require("node:fs").writeFileSync(process.env.VCSE_BUILD_OUT + "/last-update.json", execFileSync("node", ${JSON.stringify(loader)}))`];
    await buildSite({out: site, command, store, verified: true});
    expect(JSON.parse(readFileSync(join(site, "last-update.json"), "utf8"))).toEqual(entry);
    // Without a store given, the loaders read ./store, as before.
    const plain = execFileSync("node", loader, {env: {...process.env, VCSE_STORE: ""}, encoding: "utf8"});
    expect(plain).not.toContain(entry.start);
  });
});

