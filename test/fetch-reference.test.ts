import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readDeflators, referenceDirIn} from "../pipeline/reference/deflators.ts";
import {councilSite, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();
const EMBEDDED = readFileSync("data/reference/deflators/gdp_deflators.csv", "utf8");
const CSV = {"content-type": "text/csv"};

/** ONS's download as it would be a year on: a later release date and four more quarters, in ONS's own layout. */
const NEXT_QUARTERS: [string, number][] = [["2025 Q2", 115.0], ["2025 Q3", 115.6], ["2025 Q4", 116.4], ["2026 Q1", 117.2]];
const later = EMBEDDED.replace('"Release date","30-06-2025"', '"Release date","30-06-2026"').trimEnd() + "\n" + NEXT_QUARTERS.map(([q, v]) => `"${q}","${v}"`).join("\n") + "\n";

describe("vcse-spend fetch --reference", () => {
  let site: CouncilSite;
  beforeAll(async () => {
    site = await councilSite();
  });
  afterAll(() => site.close());

  it("puts a newer ONS deflator series in use, and keeps it when a later download is not a series", async () => {
    const cache = temp("vcse-reference-");
    const dir = referenceDirIn(cache);
    expect(readDeflators("data", dir)).toMatchObject({source: "embedded", base_year: "2024-25", latest_quarter: "2025 Q1"});

    site.routes.set("/ybgb.csv", {headers: CSV, body: later});
    const run = await runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--cache", cache, "--json", "--quiet"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({status: "fetched", in_use: {source: "fetched", release_date: "30-06-2026", latest_quarter: "2026 Q1", base_year: "2025-26"}});
    const series = readDeflators("data", dir);
    expect(series.source).toBe("fetched");
    // 2025-26 is the new base: its mean of Q2..Q1 is 100; 2024-25's index follows from the quarters, worked out here.
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const base = mean(NEXT_QUARTERS.map(([, v]) => v));
    const fy2425 = mean([110.1, 112.1, 113.2, 114.1]);
    expect(series.years.find((y) => y.financial_year === "2025-26")!.index).toBeCloseTo(100, 10);
    expect(series.years.find((y) => y.financial_year === "2024-25")!.index).toBeCloseTo((100 * fy2425) / base, 10);
    // The embedded copy stays the offline default: without the folder, nothing changed.
    expect(readDeflators("data", null).base_year).toBe("2024-25");

    // A download that is an HTML page, then one that is not a series: the series in use stays.
    site.routes.set("/ybgb.csv", {headers: {"content-type": "text/html"}, body: "<!DOCTYPE html><html><body>Sorry</body></html>"});
    const html = await runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--cache", cache, "--quiet"]);
    expect(html.status).toBe(1);
    expect(html.stderr).toMatch(/error: .*ybgb\.csv/);
    expect(html.stderr).toContain("the deflator in use is the fetched series released 30-06-2026");
    site.routes.set("/ybgb.csv", {headers: CSV, body: '"Title","Something else"\n"2026 Q2","n/a"\n'});
    const bad = await runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--cache", cache, "--json", "--quiet"]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({status: "failed", error: expect.stringContaining("not an ONS time series"), in_use: {latest_quarter: "2026 Q1"}});
    expect(readDeflators("data", dir).latest_quarter).toBe("2026 Q1");

    // An older series (the embedded one) is not put in use over the newer.
    site.routes.set("/ybgb.csv", {headers: CSV, body: EMBEDDED});
    const older = await runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--cache", cache, "--json", "--quiet"]);
    expect(JSON.parse(older.stdout)).toMatchObject({status: "failed", error: expect.stringContaining("before the series in use")});
    expect(readDeflators("data", dir).latest_quarter).toBe("2026 Q1");
    expect(existsSync(join(dir, "gdp_deflators.csv"))).toBe(true);
  });

  it("asks for --reference before --deflator-url", async () => {
    const run = await runCli(["fetch", "--deflator-url", "http://127.0.0.1:1/x.csv", "--cache", temp("vcse-reference-")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--deflator-url needs --reference");
  });
});
