import {randomBytes} from "node:crypto";
import {closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync} from "node:fs";
import {join} from "node:path";

/** What a run lock holds: who runs, doing what, since when. */
export interface LockHolder {
  pid: number;
  command: string;
  /** ISO timestamp. */
  started: string;
}

/** The file in a folder that says a run of fetch, ingest or update is writing there. */
export const RUN_LOCK = ".vcse-spend.lock";

export class LockedError extends Error {
  constructor(readonly dir: string, readonly holder: LockHolder) {
    super(`${dir} is in use by ${describe(holder)}: wait for it to end, or run again with --wait`);
  }
}

export function describe(holder: LockHolder): string {
  return `vcse-spend ${holder.command} (pid ${holder.pid}, running since ${holder.started})`;
}

export interface RunLock {
  release(): void;
}

/** Whether a process of that id is running (EPERM: it exists but belongs to someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's holder; pid -1 for a file that is not a lock's JSON (half-written); undefined when there is none. */
function readHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as LockHolder;
    if (typeof parsed.pid === "number") return parsed;
  } catch {
    // Fall through.
  }
  return {pid: -1, command: "unknown", started: "unknown"};
}

/**
 * Creates the lock with O_EXCL; if one is there and its pid is not alive, takes it over: the dead lock is moved
 * to a name of this run's own (only one taker's rename can succeed) and the create is tried again. A lock whose
 * holder is alive is left alone. Returns the holder in the way, or undefined once this process holds the lock.
 */
function tryTake(path: string, me: LockHolder): LockHolder | undefined {
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readHolder(path);
    if (!holder) continue;
    // A lock that is not JSON is being written this instant, or was left half-written by a crash a while ago.
    if (holder.pid === -1 ? !olderThan(path, 1000) : alive(holder.pid)) return holder;
    const moved = `${path}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      renameSync(path, moved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    const taken = readHolder(moved);
    if (taken && taken.pid > 0 && alive(taken.pid)) {
      // Another taker made a new lock between the read and the rename: it goes back where it was.
      try {
        linkSync(moved, path);
      } catch {
        // A third run holds the name now; the one moved holds on regardless and both are told of each other.
      }
      unlinkSync(moved);
      return taken;
    }
    unlinkSync(moved);
  }
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}

export interface LockOptions {
  /** Wait for the holder to end instead of failing; `onWait` is told once who holds it. */
  wait?: boolean;
  onWait?: (holder: LockHolder) => void;
  /** How often to look again while waiting. */
  pollMs?: number;
}

/**
 * Takes the run lock of each folder in order (always the same order for a given command set, so two runs never
 * hold one each); throws LockedError naming the holder, or with `wait` waits for it. Released on release() or exit.
 */
export async function takeRunLocks(dirs: string[], command: string, options: LockOptions = {}): Promise<RunLock> {
  const me: LockHolder = {pid: process.pid, command, started: new Date().toISOString()};
  const held: string[] = [];
  const release = () => {
    for (const path of held.splice(0).reverse()) {
      try {
        if (readHolder(path)?.pid === process.pid) unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  process.once("exit", release);
  try {
    for (const dir of [...new Set(dirs)]) {
      mkdirSync(dir, {recursive: true});
      const path = join(dir, RUN_LOCK);
      let told = false;
      for (;;) {
        const holder = tryTake(path, me);
        if (!holder) break;
        if (!options.wait) throw new LockedError(dir, holder);
        if (!told) options.onWait?.(holder);
        told = true;
        await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
      }
      held.push(path);
    }
  } catch (err) {
    release();
    throw err;
  }
  return {
    release: () => {
      release();
      process.removeListener("exit", release);
    }
  };
}
