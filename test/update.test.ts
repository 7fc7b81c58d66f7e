import {existsSync, readFileSync, statSync, truncateSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilStatus} from "../pipeline/compact/council-status.ts";
import {englishCouncils} from "../pipeline/sources/councils.ts";
import {councilSite, page, STALL, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {csv, payments, pounds, total, withCommas} from "./spend-files.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();
const CSV = {"content-type": "text/csv"};

describe("vcse-spend update: discover, fetch and ingest every council, faults kept to their council", () => {
  // Each council its own server, as each is its own host.
  let good: CouncilSite, down: CouncilSite, html: CouncilSite, ckan: CouncilSite, stalled: CouncilSite;
  const goodRows = [payments(2025, 4), payments(2025, 5)];
  const ckanRows = payments(2025, 6);

  beforeAll(async () => {
    [good, down, html, ckan, stalled] = await Promise.all([councilSite(), councilSite(), councilSite(), councilSite(), councilSite()]);
    // Answers robots.txt, then never answers the page.
    stalled.routes.set("/spend", STALL);
    good.routes.set("/spend", page("Spending over £500", `<h2>2025/26</h2><h3>April</h3><a href="/f/1">CSV</a><h3>May</h3><a href="/f/2">CSV</a><a href="/f/contracts.csv">Contracts register</a>`));
    good.routes.set("/f/1", {headers: CSV, body: csv(goodRows[0]!, pounds)});
    good.routes.set("/f/2", {headers: CSV, body: csv(goodRows[1]!, withCommas)});
    down.routes.set("/spend", {status: 500, body: "Internal Server Error"});
    html.routes.set("/spend", page("Payments to suppliers", `<ul><li><a href="/files/payments-2025-04.csv">Payments April 2025</a></li><li><a href="/private/payments-2025-05.csv">Payments May 2025</a></li></ul>`));
    html.routes.set("/robots.txt", {headers: {"content-type": "text/plain"}, body: "User-agent: *\nDisallow: /private/\n"});
    html.routes.set("/private/payments-2025-05.csv", {headers: CSV, body: csv(payments(2025, 5), pounds)});
    html.routes.set("/files/payments-2025-04.csv", page("Sorry", "<p>This page has moved.</p>"));
    const resources = [{url: `${ckan.base}/r/june-2025.csv`, format: "CSV", name: "Spend over £500 June 2025"}];
    ckan.routes.set("/api/action/package_show?id=lancaster-spend", {headers: {"content-type": "application/json"}, body: JSON.stringify({success: true, result: {name: "lancaster-spend", resources}})});
    ckan.routes.set("/r/june-2025.csv", {headers: CSV, body: csv(ckanRows, pounds)});
  });
  afterAll(() => Promise.all([good, down, html, ckan, stalled].map((s) => s.close())));

  it("updates the councils that work and names the ones that fail, with the reason", async () => {
    const dir = temp("vcse-update-");
    const list = join(dir, "pages.csv");
    writeFileSync(
      list,
      [
        "gss_code,council_name,page_url,file_url_example,datagovuk_dataset,source,seen",
        `E07000120,Hyndburn Borough Council,${good.base}/spend,,,test,2026`,
        `E07000117,Burnley Borough Council,${down.base}/spend,,,test,2026`,
        `E07000122,Pendle Borough Council,${html.base}/spend,,,test,2026`,
        `E07000121,Lancaster City Council,,,lancaster-spend,test,2026`,
        `E07000118,Chorley Borough Council,${stalled.base}/spend,,,test,2026`
      ].join("\n") + "\n"
    );
    const [sources, cache, out] = ["sources", "cache", "store"].map((d) => join(dir, d));
    const run = await runCli(["update", "--list", list, "--ckan", `${ckan.base}/api`, "--sources", sources!, "--cache", cache!, "--out", out!, "--delay", "0", "--timeout", "1000", "--contact", "tests@example.org", "--quiet", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const by = (code: string) => report.councils.find((c: {council: string}) => c.council === code);
    expect(report.councils).toHaveLength(englishCouncils().length);
    expect(report.updated).toBe(2);
    expect(by("E07000120")).toMatchObject({status: "updated", discover: "found", files: 2, ingest: {rows_in: goodRows.flat().length, kept: goodRows.flat().length, amount_kept: total(goodRows.flat()), failed_files: 0, changed: {new_files: 2, republished: 0, layout_changed: 0}}});
    expect(by("E07000121")).toMatchObject({status: "updated", discover: "found", files: 1, ingest: {kept: ckanRows.length, amount_kept: total(ckanRows)}});
    expect(by("E07000117")).toMatchObject({status: "failed", discover: "failed"});
    expect(by("E07000117").reason).toContain(`${down.base}/spend: HTTP 500`);
    expect(by("E07000122"), JSON.stringify(by("E07000122"))).toMatchObject({status: "failed", discover: "found", fetch: {fetched: 0, failed: 2}});
    expect(html.hits("/private/payments-2025-05.csv")).toBe(0);
    for (const path of ["/f/1", "/f/2"]) expect(good.requests.find((r) => r.path === path)!.agent).toMatch(/^vcse-spend-discover\/.*contact: tests@example\.org/);
    expect(by("E07000122").reason).toMatch(/no file could be fetched: .*payments-2025-04\.csv.*HTML/i);
    expect(by("E07000118")).toMatchObject({status: "failed", discover: "failed"});
    expect(by("E07000118").reason).toContain(`${stalled.base}/spend: no answer within 1000 ms`);
    expect(report.failed.map((f: {council: string}) => f.council).sort()).toEqual(["E07000117", "E07000118", "E07000122"]);
    expect(run.stderr).toMatch(/failed: E07000117 Burnley: .*HTTP 500/);
    expect(by("E07000001")).toBeUndefined();
    const missing = report.councils.filter((c: {discover: string}) => c.discover === "no_source");
    expect(missing).toHaveLength(englishCouncils().length - 5);
    expect(good.hits("/f/contracts.csv")).toBe(0);
    expect(existsSync(join(sources!, "E07000117.json"))).toBe(false);
    expect(report.verify).toMatchObject({damaged: [], ledger: [], rebuilt: []});

    // The run is logged with the store, and the Data page's status of every council says what it did.
    const status = new Map((await councilStatus(out!, "data", sources!)).councils.map((c) => [c.code, c]));
    expect(status.size).toBe(englishCouncils().length);
    expect(status.get("E07000120")).toMatchObject({status: "in_data", years: ["2025-26"], last_month: "2025-05", kept: goodRows.flat().length});
    expect(status.get("E07000121")).toMatchObject({status: "in_data", last_month: "2025-06", manifest: "draft", dataset: "lancaster-spend"});
    for (const code of ["E07000117", "E07000118"]) expect(status.get(code)).toMatchObject({status: "failed", why: `Last update failed: ${by(code).reason}`});
    expect(status.get("E07000122")).toMatchObject({status: "failed", manifest: "draft"});
    expect(status.get("E07000122")!.why).toMatch(/HTML/i);

    // A stored file of Hyndburn's is cut short, and this run updates only Lancaster: the verify before the build
    // finds the file and ingests Hyndburn again from its manifest and cache.
    const state = () => JSON.parse(readFileSync(join(out!, "state.json"), "utf8")) as {files: Record<string, {outputs: string[]; checks: Record<string, {bytes: number}>; report: {council: string}}>};
    const [source, stored] = Object.entries(state().files).find(([, f]) => f.report.council === "E07000120")!;
    const damaged = stored.outputs.find((o) => o.startsWith("payments/"))!;
    truncateSync(join(out!, damaged), 10);
    // Lancaster publishes June again, with one payment fewer: reading it must not touch Hyndburn's damaged file.
    const june2 = ckanRows.slice(1);
    ckan.routes.set("/r/june-2025.csv", {headers: CSV, body: csv(june2, pounds)});
    {
      const again = await runCli(["update", "--council", "E07000121", "--list", list, "--ckan", `${ckan.base}/api`, "--sources", sources!, "--cache", cache!, "--out", out!, "--delay", "0", "--timeout", "1000", "--contact", "tests@example.org", "--quiet", "--json"]);
      const second = JSON.parse(again.stdout);
      expect(second.verify).toMatchObject({damaged: [], ledger: [], rebuilt: [source]});
      expect(again.stderr).toContain(`rebuilt: ${source}`);
      expect(statSync(join(out!, damaged)).size).toBe(state().files[source]!.checks[damaged]!.bytes);
      expect(second.councils.filter((c: {status: string}) => c.status === "updated").map((c: {council: string}) => c.council)).toEqual(["E07000121"]);
      // The run says what changed: Lancaster's one file published again, and what it holds now.
      expect(second.councils.find((c: {council: string}) => c.council === "E07000121").ingest).toMatchObject({kept: june2.length, amount_kept: total(june2), changed: {new_files: 0, republished: 1, layout_changed: 0}});
      expect((await runCli(["verify", "--out", out!])).status).toBe(0);
    }
  });
});
