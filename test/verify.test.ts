import {createHash} from "node:crypto";
import {readFileSync, truncateSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {sqlLiteral} from "../pipeline/sql.ts";
import {memoryDb} from "./memory-db.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * A damaged store is found, not served: verify names a truncated and an altered Parquet file (exit 1), and the
 * next ingest writes both again from their sources, leaving the rows and pounds of the undamaged store.
 */

const HYNDBURN = "data/sample/spending/hyndburn";
const FILES = ["1705.csv", "1801.csv", "April-2020.csv", "April-2023.csv"].map((f) => join(HYNDBURN, f));
const work = tempDirs()("vcse-verify-");
const store = join(work, "store");
const db = memoryDb();

interface Stored {
  files: Record<string, {outputs: string[]; checks: Record<string, {bytes: number; sha256: string}>}>;
}
const state = () => JSON.parse(readFileSync(join(store, "state.json"), "utf8")) as Stored;
const ingestArgs = ["ingest", "--council", "E07000120", "--out", store, "--quiet", "--files", ...FILES];

/** Rows and pence of every payment the store's state lists, read straight from the Parquet files. */
async function totals(): Promise<{n: number; p: string}> {
  const files = Object.values(state().files).flatMap((f) => f.outputs).filter((o) => o.startsWith("payments/"));
  const list = files.map((f) => sqlLiteral(join(store, f))).join(", ");
  const [row] = (await db().runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(amount_pence)::VARCHAR AS p FROM read_parquet([${list}])`)).getRowObjectsJS();
  return row as {n: number; p: string};
}

describe("vcse-spend verify", () => {
  it("records each output's size and sha256, names a truncated and an altered file, and ingest rebuilds them", async () => {
    const first = await runCli(ingestArgs);
    expect(first.status, first.stderr).toBe(0);
    const before = await totals();
    expect(before.n).toBeGreaterThan(100);
    // The recorded checks are those of the files on disk, computed here independently.
    for (const f of Object.values(state().files)) {
      for (const o of f.outputs) {
        const bytes = readFileSync(join(store, o));
        expect(f.checks[o]).toEqual({bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex")});
      }
    }
    const clean = await runCli(["verify", "--out", store]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stderr).toContain("all as written");

    const sources = Object.entries(state().files);
    const truncated = sources[0]![1].outputs.find((o) => o.startsWith("payments/"))!;
    const altered = sources[2]![1].outputs.find((o) => o.startsWith("payments/"))!;
    truncateSync(join(store, truncated), 64);
    const bytes = readFileSync(join(store, altered));
    // One byte in the middle, the size kept: only the hash can tell.
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(join(store, altered), bytes);

    const damaged = await runCli(["verify", "--out", store, "--json"]);
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toContain(`damaged: ${truncated} (from ${sources[0]![0]}): truncated: 64 of`);
    expect(damaged.stderr).toContain(`damaged: ${altered} (from ${sources[2]![0]}): altered`);
    const report = JSON.parse(damaged.stdout) as {damaged: {file: string}[]};
    expect(report.damaged.map((d) => d.file).sort()).toEqual([truncated, altered].sort());

    const repair = await runCli(ingestArgs);
    expect(repair.status, repair.stderr).toBe(0);
    const after = await runCli(["verify", "--out", store]);
    expect(after.status, after.stderr).toBe(0);
    expect(await totals()).toEqual(before);
  });

  it("a ledger whose rows do not add up is named", async () => {
    const path = join(store, "state.json");
    const s = JSON.parse(readFileSync(path, "utf8")) as {files: Record<string, {report: {kept: number}}>};
    const [source, file] = Object.entries(s.files)[1]!;
    file.report.kept += 1;
    writeFileSync(path, JSON.stringify(s));
    const run = await runCli(["verify", "--out", store]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`ledger: ${source}: rows in`);
    expect(run.stderr).toContain(`ledger: ${source}: its files hold`);
  });
});
