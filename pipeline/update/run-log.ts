import {appendFileSync, existsSync, mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {UpdateReport} from "./update.ts";

/** The update's log, kept with the store: one JSON line per run. */
export const RUN_LOG = "update-log.jsonl";

/** One run of update as logged: when it started and ended, and its report. */
export type RunLogEntry = Pick<UpdateReport, "councils" | "updated" | "failed"> & {started: string; ended: string};

/** Appends one run to STORE/update-log.jsonl. */
export function appendRun(storeDir: string, entry: RunLogEntry): void {
  mkdirSync(storeDir, {recursive: true});
  appendFileSync(join(storeDir, RUN_LOG), `${JSON.stringify(entry)}\n`);
}

/** The last complete run in the store's log, or null when there is none (a line cut short by a crash is passed over). */
export function lastRun(storeDir: string): RunLogEntry | null {
  const path = join(storeDir, RUN_LOG);
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const entry = JSON.parse(lines[i]!) as RunLogEntry;
      if (Array.isArray(entry.councils)) return entry;
    } catch {
      // A line cut short: the run before it stands.
    }
  }
  return null;
}
