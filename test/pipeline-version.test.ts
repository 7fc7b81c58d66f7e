import {appendFileSync, cpSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ingestModules, pipelineVersion} from "../pipeline/ingest/pipeline-version.ts";

describe("pipeline version", () => {
  const copy = mkdtempSync(join(tmpdir(), "vcse-pv-"));
  cpSync("pipeline", join(copy, "pipeline"), {recursive: true});
  afterAll(() => rmSync(copy, {recursive: true, force: true}));

  it("covers what ingest imports, directly or not, and not the site's loaders or the CLI", () => {
    const modules = ingestModules("pipeline");
    for (const m of ["ingest/ingest.ts", "ingest/fast-ingest.ts", "conform/conform.ts", "classify/classify.ts", "classify/name-rules.ts", "classify/registry.ts", "store/store.ts", "conform/parse-amount.ts", "types.ts"]) {
      expect(modules).toContain(m);
    }
    for (const m of ["cli/cli.ts", "compact/council.ts", "compact/council-years.ts", "fetch/fetch-source.ts", "cli/briefing.ts"]) {
      expect(modules).not.toContain(m);
    }
  });

  it("changes when a rule changes, not when a page's loader does", async () => {
    const {pipelineVersion: versionOfCopy} = (await import(join(copy, "pipeline/ingest/pipeline-version.ts"))) as {pipelineVersion: typeof pipelineVersion};
    const before = versionOfCopy("data");
    appendFileSync(join(copy, "pipeline/compact/council.ts"), "\n// a page's loader changed\n");
    expect(versionOfCopy("data")).toBe(before);
    appendFileSync(join(copy, "pipeline/classify/name-rules.ts"), "\n// a rule changed\n");
    expect(versionOfCopy("data")).not.toBe(before);
  });
});
