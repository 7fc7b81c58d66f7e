/**
 * Every embedded council ingested once, for all the tests and the site build that need the whole store: the
 * command line's `ingest --json` (as the site build runs it) into test-output/embedded-store/KEY/store, with its
 * report beside it. KEY fingerprints everything that decides the result: the code ingest imports, everything
 * under data/ (manifests, files, reference tables, registers, overrides), the fetched charity register, the
 * locked package versions (DuckDB's among them) and this file. Any change to them gives a new key, so the store
 * is built again, never reused stale; the stores of other keys are removed then. A store is written under a
 * temporary name and renamed once its report is written, so a killed build leaves nothing that looks complete.
 */
import {execFile} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {DEFAULT_REGISTERS_DIR} from "../pipeline/classify/current-register.ts";
import {fingerprint} from "../pipeline/fingerprint.ts";
import type {IngestReport} from "../pipeline/ingest/ingest.ts";
import {lockPath, withLock} from "./lock-dir.ts";

const ROOT = resolve(import.meta.dirname, "..");
const HOME = join(ROOT, "test-output", "embedded-store");
const INGEST_TIMEOUT_MS = 600_000;

export interface EmbeddedStore {
  /** The store folder: read it, never write to it (copy it first). */
  dir: string;
  report: IngestReport;
}

/** The fingerprint of what the embedded store is made from, for the checkout at `root`. */
export function embeddedStoreKey(root = ROOT): string {
  const code = [join(root, "pipeline/ingest/ingest.ts"), join(root, "test/embedded-store.ts")];
  return fingerprint(code, [join(root, "data"), join(root, DEFAULT_REGISTERS_DIR), join(root, "package-lock.json")], root);
}

function built(key: string): EmbeddedStore | null {
  const report = join(HOME, key, "report.json");
  if (!existsSync(report)) return null;
  return {dir: join(HOME, key, "store"), report: JSON.parse(readFileSync(report, "utf8")) as IngestReport};
}

/** The embedded store for the code and data as they are now, built by whichever test process asks first. */
export async function embeddedStore(): Promise<EmbeddedStore> {
  const key = embeddedStoreKey();
  return (
    built(key) ??
    withLock(lockPath("embedded-store"), INGEST_TIMEOUT_MS, async () => {
      const done = built(key);
      if (done) return done;
      rmSync(HOME, {recursive: true, force: true});
      const partial = join(HOME, `${key}.partial`);
      mkdirSync(partial, {recursive: true});
      // Exit 1 with a report is a run where some file failed: kept, for the tests to name the file.
      const run = await new Promise<{stdout: string; stderr: string; error: Error | null}>((done) =>
        execFile("node", ["bin/vcse-spend.js", "ingest", "--out", join(partial, "store"), "--json", "--quiet"], {cwd: ROOT, maxBuffer: 256 << 20, timeout: INGEST_TIMEOUT_MS}, (error, stdout, stderr) =>
          done({stdout, stderr, error})
        )
      );
      let report: IngestReport | undefined;
      try {
        report = JSON.parse(run.stdout) as IngestReport;
      } catch {
        report = undefined;
      }
      if (!report?.total) throw new Error(`ingest of the embedded data gave no report (${run.error?.message ?? "no error"}):\n${run.stderr}`);
      const stdout = run.stdout;
      writeFileSync(join(partial, "report.json"), stdout);
      renameSync(partial, join(HOME, key));
      return built(key)!;
    })
  );
}
