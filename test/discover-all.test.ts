import {readFileSync, writeFileSync, mkdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilSite, page, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();

describe("vcse-spend discover --all", () => {
  let site: CouncilSite;
  beforeAll(async () => {
    site = await councilSite();
    site.routes.set("/a", page("Spending over £500", `<a href="/a/2024-01.csv">January 2024</a>`));
    site.routes.set("/b", page("Spending over £500", `<p>We no longer publish here.</p><a href="/b/policy.pdf">Policy</a>`));
    site.routes.set("/c", page("Spending over £500", `<a href="/c/2024-02.csv">February 2024</a>`));
  });
  afterAll(() => site.close());

  it("walks the councils asked for, keeps a reviewed manifest and a fresh draft, and says what it found for each", async () => {
    const dir = temp("vcse-discover-all-");
    const list = join(dir, "pages.csv");
    writeFileSync(
      list,
      [
        "gss_code,council_name,page_url,file_url_example,datagovuk_dataset,source,seen",
        `E07000120,Hyndburn,${site.base}/a,,,test,2026`,
        `E07000117,Burnley,${site.base}/b,,,test,2026`,
        `E07000122,Pendle,${site.base}/c,,,test,2026`,
        `E07000118,Chorley,${site.base}/d,,,test,2026`
      ].join("\n") + "\n"
    );
    const sources = join(dir, "sources");
    mkdirSync(sources);
    const reviewed = JSON.stringify({reviewed: true, note: "checked by hand"});
    writeFileSync(join(sources, "E07000122.json"), reviewed);
    const councils = ["E07000120", "E07000117", "E07000122", "E07000118", "E07000121"].flatMap((c) => ["--council", c]);
    const args = ["discover", "--all", "--list", list, ...councils, "--sources", sources, "--delay", "0", "--quiet", "--json"];
    const first = await runCli(args);
    expect(first.status, first.stderr).toBe(0);
    const status = (run: {stdout: string}) => Object.fromEntries(JSON.parse(run.stdout).map((r: {council: string; status: string}) => [r.council, r.status]));
    expect(status(first)).toEqual({E07000117: "no_files", E07000118: "failed", E07000120: "found", E07000121: "no_source", E07000122: "reviewed"});
    expect(readFileSync(join(sources, "E07000122.json"), "utf8")).toBe(reviewed);
    expect(JSON.parse(readFileSync(join(sources, "E07000120.json"), "utf8")).files).toHaveLength(1);
    expect(first.stderr).toMatch(/failed: E07000118 Chorley: .*\/d: HTTP 404/);
    expect(site.hits("/c")).toBe(0);

    const again = await runCli([...args, "--stale-days", "7"]);
    expect(status(again)).toMatchObject({E07000120: "fresh", E07000122: "reviewed"});
    expect(site.hits("/a")).toBe(1);
  });
});
