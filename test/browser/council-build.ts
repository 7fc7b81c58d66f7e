/**
 * The built site for the browser and briefing tests: builds dist/ when it is missing or older than its sources.
 * Test files run in parallel processes, so the build is serialised by a lock of its own (not
 * /tmp/vcse-build.lock, which the person running the tests may already hold with flock(1)). The global setup
 * starts it in the background as the run begins; the first test that needs the site waits for it.
 */
import {spawn} from "node:child_process";
import {cpSync, existsSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {readdir, stat} from "node:fs/promises";
import {join, resolve} from "node:path";
import {embeddedStore} from "../embedded-store.ts";
import {lockPath, withLock} from "../lock-dir.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = join(ROOT, "dist");
export const OUTPUT = join(ROOT, "test-output");
export const BUILD_TIMEOUT_MS = 400_000;

/** What the built site depends on: rebuild when any of it is newer than dist/index.html. */
const BUILD_INPUTS = ["src", "pipeline", "data/reference", "data/grants", "data/sample", "data/overrides.csv", "data/sources", "observablehq.config.ts", "scripts/fill-npm-cache.ts", "package.json"];
const LOCK = lockPath("site-build");
/** A build that failed in this test run, for these inputs: the other tests report it rather than build again. */
const FAILED = `${LOCK}.failed.json`;

async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) {
    if (entry === ".observablehq" || entry === "node_modules") continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

interface Failure {
  run: string | undefined;
  inputs: number;
  message: string;
}

function run(command: string, args: string[]): Promise<{status: number | null; output: string}> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {cwd: ROOT, env: {...process.env, NO_COLOR: "1", OBSERVABLE_TELEMETRY_DISABLE: "true"}, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
    child.on("error", fail);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({status, output});
    });
  });
}

/**
 * Builds dist/ (npm run build: ingest, npm cache, observable build) unless it is newer than every input. A missing
 * store/ is first filled with a copy of the embedded store the tests share: the build's ingest then finds every
 * file read already, under the same pipeline fingerprint, or reads it again if not.
 */
export async function ensureBuilt(): Promise<void> {
  await withLock(LOCK, BUILD_TIMEOUT_MS, async () => {
    const index = join(DIST, "index.html");
    const builtAt = existsSync(index) ? (await stat(index)).mtimeMs : 0;
    const inputs = Math.max(...(await Promise.all(BUILD_INPUTS.map((p) => newestMtime(join(ROOT, p))))));
    if (builtAt > inputs) return;
    const failed = existsSync(FAILED) ? (JSON.parse(readFileSync(FAILED, "utf8")) as Failure) : null;
    if (failed && failed.run === process.env.VCSE_TEST_RUN && failed.inputs === inputs) throw new Error(failed.message);
    rmSync(FAILED, {force: true});
    const started = performance.now();
    if (!existsSync(join(ROOT, "store", "state.json"))) cpSync((await embeddedStore()).dir, join(ROOT, "store"), {recursive: true});
    const result = await run("npm", ["run", "build"]);
    if (result.status !== 0) {
      const message = `npm run build failed (exit ${result.status ?? "killed after " + BUILD_TIMEOUT_MS / 1000 + " s"}):\n${result.output}`;
      writeFileSync(FAILED, JSON.stringify({run: process.env.VCSE_TEST_RUN, inputs, message} satisfies Failure));
      throw new Error(message);
    }
    console.log(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
}
