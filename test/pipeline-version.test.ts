import {appendFileSync, cpSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ingestModules, pipelineVersion} from "../loaders/pipeline-version.ts";

describe("pipeline version", () => {
  const copy = mkdtempSync(join(tmpdir(), "vcse-pv-"));
  cpSync("loaders", join(copy, "loaders"), {recursive: true});
  afterAll(() => rmSync(copy, {recursive: true, force: true}));

  it("covers what ingest imports, directly or not, and not the site's loaders or the CLI", () => {
    const modules = ingestModules("loaders");
    for (const m of ["ingest.ts", "fast-ingest.ts", "conform.ts", "classify.ts", "name-rules.ts", "registry.ts", "store.ts", "parse-amount.ts"]) {
      expect(modules).toContain(m);
    }
    for (const m of ["cli.ts", "compact-council.ts", "compact-council-years.ts", "fetch-source.ts", "briefing.ts"]) {
      expect(modules).not.toContain(m);
    }
  });

  it("changes when a rule changes, not when a page's loader does", async () => {
    const {pipelineVersion: versionOfCopy} = (await import(join(copy, "loaders/pipeline-version.ts"))) as {pipelineVersion: typeof pipelineVersion};
    const before = versionOfCopy("data");
    appendFileSync(join(copy, "loaders/compact-council.ts"), "\n// a page's loader changed\n");
    expect(versionOfCopy("data")).toBe(before);
    appendFileSync(join(copy, "loaders/name-rules.ts"), "\n// a rule changed\n");
    expect(versionOfCopy("data")).not.toBe(before);
  });
});
