/**
 * A lock shared by the test processes of one checkout: a directory (mkdir is atomic) in the temporary folder,
 * named for the checkout, so two checkouts on one machine never wait for each other. Test files run in parallel
 * processes; whichever asks first does the work, the others wait for the lock and then find it done.
 */
import {createHash} from "node:crypto";
import {mkdirSync, rmSync, statSync, utimesSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
/** The holder touches the lock this often; a lock untouched for ABANDONED_MS was left by a killed process. */
const HEARTBEAT_MS = 2_000;
const ABANDONED_MS = 60_000;

/** The path of the lock called `name` for this checkout (also the stem for files that go with it). */
export function lockPath(name: string): string {
  return join(tmpdir(), `vcse-test-${name}-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}.lock.d`);
}

/**
 * Runs `work` holding the lock at `path`, waiting up to `timeoutMs` for another process that holds it. The
 * holder keeps the lock's time fresh; a lock not touched for a minute was left by a killed process and is taken over.
 */
export async function withLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const held = statSync(path, {throwIfNoEntry: false});
      if (held && Date.now() - held.mtimeMs > ABANDONED_MS) rmSync(path, {recursive: true, force: true});
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for another test process holding ${path}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // Taken over after all: the work goes on, and the finally below removes whatever is there.
    }
  }, HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    rmSync(path, {recursive: true, force: true});
  }
}
