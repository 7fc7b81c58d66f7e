import {spawn} from "node:child_process";
import {existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync} from "node:fs";
import {basename, dirname, join, relative, resolve} from "node:path";
import {isDiskFull, saysDiskFull} from "../disk-full.ts";
import {takeRunLocks} from "../run-lock.ts";
import {describeFaults, verifyStore} from "../store/verify.ts";

export interface BuildSiteOptions {
  /** The published site: a symbolic link to the current complete build (default "dist"). */
  out?: string;
  /** The build command; it writes into the folder named by the VCSE_BUILD_OUT environment variable. */
  command: string[];
  /** The store to build from (the build command gets it as VCSE_STORE), verified first: a store that fails is not built from. */
  store?: string;
  /** The caller verified the store already (default false). */
  verified?: boolean;
  /** Complete builds kept besides the one published (default 1, the previous one). */
  keep?: number;
  /** Another build holding OUT.builds (or the lock it was writing when killed): wait its turn instead of failing. */
  wait?: boolean;
  log?: (line: string) => void;
}

const PARTIAL = "partial-";
/** Characters of the build's output kept to say why it failed. */
const OUTPUT_KEPT = 8192;

/**
 * Builds the site into a new folder beside the published one (OUT.builds/partial-…), renames it complete when the
 * build command succeeds, then points OUT at it by renaming a new symbolic link over the old one: readers of OUT
 * see the previous complete build or the new one, never a mix. A build that fails or is killed leaves OUT as it was;
 * the next run removes what it left. Returns the folder published.
 */
export async function buildSite(o: BuildSiteOptions): Promise<string> {
  const log = o.log ?? (() => {});
  const out = resolve(o.out ?? "dist");
  const builds = `${out}.builds`;
  mkdirSync(builds, {recursive: true});
  const lock = await takeRunLocks([builds], "build", {wait: o.wait});
  try {
    if (o.store && !o.verified) {
      const faults = describeFaults(await verifyStore(o.store));
      if (faults.length) throw new Error(`the store ${o.store} fails verify, so the site is not built from it:\n${faults.join("\n")}`);
    }
    for (const name of readdirSync(builds)) if (name.startsWith(PARTIAL)) rmSync(join(builds, name), {recursive: true, force: true});
    const id = new Date().toISOString().replace(/[:.]/g, "-");
    const partial = join(builds, `${PARTIAL}${id}`);
    let complete: string;
    try {
      mkdirSync(partial);
      log(`building into ${partial}`);
      await run(o.command, {...process.env, VCSE_BUILD_OUT: partial, ...(o.store ? {VCSE_STORE: resolve(o.store)} : {})});
      if (readdirSync(partial).length === 0) throw new Error(`the build command wrote nothing into ${partial}`);
      complete = join(builds, id);
      renameSync(partial, complete);
      publish(out, complete);
    } catch (e) {
      // At once rather than on the next run: on a full disk, the half-written build holds the room the next one needs.
      rmSync(partial, {recursive: true, force: true});
      throw isDiskFull(e) ? noSpace(out, builds, e as Error) : e;
    }
    log(`published ${complete} as ${out}`);
    prune(builds, complete, o.keep ?? 1);
    return complete;
  } finally {
    lock.release();
  }
}

function noSpace(out: string, builds: string, e: Error): Error {
  const before = published(out);
  return new Error(
    `no space left on the device of ${builds} while building the site (${e.message.split("\n")[0]}): the half-written build is ` +
      `removed and the site published is the one before${before ? ` (${before})` : ""}, whole; free space and build again`
  );
}

/** Points `out` at `folder`: a new link renamed over the old (atomic); a real folder at `out` is moved aside first, once. */
function publish(out: string, folder: string): void {
  const stat = existsSync(out) || isLink(out) ? lstatSync(out) : undefined;
  const aside = stat && !stat.isSymbolicLink() ? join(`${out}.builds`, `before-${Date.now()}`) : undefined;
  const link = join(dirname(out), `.${basename(out)}.link-${process.pid}`);
  rmSync(link, {force: true});
  try {
    // Relative, so that the published site and its builds can be moved or copied together.
    symlinkSync(relative(dirname(out), folder), link, "dir");
    if (aside) renameSync(out, aside);
    renameSync(link, out);
  } catch (e) {
    rmSync(link, {force: true});
    if (aside && existsSync(aside) && !existsSync(out)) renameSync(aside, out);
    throw e;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes complete builds older than the newest `keep` besides the published one. */
function prune(builds: string, current: string, keep: number): void {
  // Complete builds are named by their start time; the lock and a moved-aside first dist are not builds.
  const done = readdirSync(builds).filter((n) => /^\d{4}-/.test(n) && join(builds, n) !== current).sort().reverse();
  for (const name of done.slice(keep)) rmSync(join(builds, name), {recursive: true, force: true});
}

/** The folder `out` publishes now, or undefined. */
export function published(out = "dist"): string | undefined {
  return isLink(out) ? resolve(dirname(out), readlinkSync(out)) : existsSync(out) ? resolve(out) : undefined;
}

/** Runs the build; its output goes to stderr (stdout is for the caller's report), and a failure carries its last lines. */
function run(command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0]!, command.slice(1), {env, stdio: ["ignore", "pipe", "pipe"]});
    let tail = "";
    const relay = (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_KEPT);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) return resolvePromise();
      const ended = `the build command ${command.join(" ")} ended with ${signal ?? `status ${code}`}`;
      const full = tail.split("\n").find(saysDiskFull);
      reject(new Error(full ? `${ended}: ${full.trim()}` : `${ended}: the site published is the one before`));
    });
  });
}
