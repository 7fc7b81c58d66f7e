import {readdirSync, utimesSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {pruneCache} from "../pipeline/cache-dir.ts";
import {tempDirs} from "./temp-dirs.ts";

const tempDir = tempDirs();

describe("pruneCache", () => {
  it("keeps the newest complete versions and another process's temporary file, and drops a dead process's", async () => {
    const dir = tempDir("cache-prune-");
    const now = Date.now() / 1000;
    const file = (name: string, ageSeconds: number) => {
      writeFileSync(join(dir, name), name);
      utimesSync(join(dir, name), now - ageSeconds, now - ageSeconds);
    };
    for (let i = 0; i < 5; i++) file(`registers-v${i}.json`, i * 60);
    file("registers-v9.json.123.tmp", 10);
    file("registers-v8.json.456.tmp", 2 * 60 * 60);
    file("payments-x.parquet", 24 * 60 * 60);
    await pruneCache(dir, "registers-", ".json", 3);
    expect(readdirSync(dir).sort()).toEqual(["payments-x.parquet", "registers-v0.json", "registers-v1.json", "registers-v2.json", "registers-v9.json.123.tmp"]);
  });
});
