/**
 * The built site for the council, recipients and briefing tests: builds dist/ when it is missing or older
 * than its sources. Test files run in parallel processes, so the build is serialised by a lock directory of
 * its own (not /tmp/vcse-build.lock, which the person running the tests may already hold with flock(1)).
 */
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, rmSync, statSync} from "node:fs";
import {readdir, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = join(ROOT, "dist");
export const OUTPUT = join(ROOT, "test-output");
export const BUILD_TIMEOUT_MS = 400_000;

/** What the built site depends on: rebuild when any of it is newer than dist/index.html. */
const BUILD_INPUTS = ["src", "pipeline", "data/reference", "data/grants", "data/sample", "data/overrides.csv", "data/sources", "observablehq.config.ts", "scripts/fill-npm-cache.ts", "package.json"];
const LOCK = join(tmpdir(), "vcse-test-build.lock.d");

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

async function stale(): Promise<boolean> {
  const index = join(DIST, "index.html");
  const builtAt = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  const inputs = Math.max(...(await Promise.all(BUILD_INPUTS.map((p) => newestMtime(join(ROOT, p))))));
  return builtAt <= inputs;
}

async function acquire(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // A lock older than a whole build was left by a killed run.
      const held = statSync(LOCK, {throwIfNoEntry: false});
      if (held && Date.now() - held.mtimeMs > BUILD_TIMEOUT_MS) rmSync(LOCK, {recursive: true, force: true});
      if (Date.now() > deadline) throw new Error(`waited ${BUILD_TIMEOUT_MS / 1000} s for another test's build (${LOCK})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Builds dist/ (npm run build: ingest, npm cache, observable build) unless it is newer than every input. */
export async function ensureBuilt(): Promise<void> {
  await acquire();
  try {
    if (!(await stale())) return;
    const started = performance.now();
    const result = spawnSync("npm", ["run", "build"], {
      cwd: ROOT,
      encoding: "utf-8",
      timeout: BUILD_TIMEOUT_MS,
      env: {...process.env, NO_COLOR: "1", OBSERVABLE_TELEMETRY_DISABLE: "true"}
    });
    if (result.status !== 0) {
      throw new Error(`npm run build failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
    }
    console.log(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(LOCK, {recursive: true, force: true});
  }
}
