import * as XLSX from "@e965/xlsx";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {referenceData} from "../pipeline/compact/reference.ts";
import {readDeflators, referenceDirIn} from "../pipeline/reference/deflators.ts";
import {populationBasis, populationFor, readPopulation} from "../pipeline/reference/population.ts";
import {councilSite, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();
const EMBEDDED = readFileSync("data/reference/deflators/gdp_deflators.csv", "utf8");
const CSV = {"content-type": "text/csv"};

/** ONS's download as it would be a year on: a later release date and four more quarters, in ONS's own layout. */
const NEXT_QUARTERS: [string, number][] = [["2025 Q2", 115.0], ["2025 Q3", 115.6], ["2025 Q4", 116.4], ["2026 Q1", 117.2]];
const later = EMBEDDED.replace('"Release date","30-06-2025"', '"Release date","30-06-2026"').trimEnd() + "\n" + NEXT_QUARTERS.map(([q, v]) => `"${q}","${v}"`).join("\n") + "\n";

/** ONS's table of mid-year estimates: title lines, then Code, Name, Geography and a Mid-YYYY column per year, newest first. */
const YEARS = Array.from({length: 13}, (_, i) => 2023 - i);
// Trafford as the embedded workbook gives it for 2011 and 2022, and figures no straight line gives between.
const TRAFFORD: Record<number, number> = Object.fromEntries(YEARS.map((y) => [y, y === 2011 ? 227091 : y === 2022 ? 236301 : 227091 + 700 * (y - 2011) + (y % 3) * 111]));
const LAMBETH: Record<number, number> = Object.fromEntries(YEARS.map((y) => [y, 300000 + 1000 * (y - 2011) + (y % 2) * 555]));
function onsTable(years: number[]): (string | number)[][] {
  const row = (code: string, name: string, geography: string, values: (y: number) => number) => [code, name, geography, ...years.map(values)];
  return [
    [`MYE4: Population estimates: Summary for England and Wales, mid-${years.at(-1)} to mid-${years[0]}`],
    ["This worksheet contains one table."],
    ["Code", "Name", "Geography", ...years.map((y) => `Mid-${y}`)],
    row("K04000001", "ENGLAND AND WALES", "Country", (y) => 60_000_000 + y),
    row("E12000002", "NORTH WEST", "Region", (y) => 7_000_000 + y),
    row("E08000009", "Trafford", "Metropolitan District", (y) => TRAFFORD[y]!),
    row("E09000022", "Lambeth", "London Borough", (y) => LAMBETH[y]!),
    row("W06000015", "Cardiff", "Unitary Authority", (y) => 360_000 + y)
  ];
}
function xlsx(rows: (string | number)[][]): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["Mid-Year Population Estimates, England and Wales"]]), "Cover sheet");
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "MYE4");
  return new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx", compression: true}) as ArrayBuffer);
}
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map((c) => `"${c}"`).join(",")).join("\n") + "\n";
const XLSX_TYPE = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};

describe("vcse-spend fetch --reference", () => {
  let site: CouncilSite;
  let reference: (cache: string, ...more: string[]) => ReturnType<typeof runCli>;
  beforeAll(async () => {
    site = await councilSite();
    site.routes.set("/mye.xlsx", {headers: XLSX_TYPE, body: xlsx(onsTable(YEARS))});
    site.routes.set("/ybgb.csv", {headers: CSV, body: EMBEDDED});
    reference = (cache, ...more) =>
      runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--population-url", `${site.base}/mye.xlsx`, "--cache", cache, "--quiet", ...more]);
  });
  afterAll(() => site.close());

  it("puts a newer ONS deflator series in use, and keeps it when a later download is not a series", async () => {
    const cache = temp("vcse-reference-");
    const dir = referenceDirIn(cache);
    expect(readDeflators("data", dir)).toMatchObject({source: "embedded", base_year: "2024-25", latest_quarter: "2025 Q1"});

    site.routes.set("/ybgb.csv", {headers: CSV, body: later});
    const run = await reference(cache, "--json");
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
    const html = await reference(cache);
    expect(html.status).toBe(1);
    expect(html.stderr).toMatch(/error: .*ybgb\.csv/);
    expect(html.stderr).toContain("the deflator in use is the fetched series released 30-06-2026");
    site.routes.set("/ybgb.csv", {headers: CSV, body: '"Title","Something else"\n"2026 Q2","n/a"\n'});
    const bad = await reference(cache, "--json");
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({status: "failed", error: expect.stringContaining("not an ONS time series"), in_use: {latest_quarter: "2026 Q1"}});
    expect(readDeflators("data", dir).latest_quarter).toBe("2026 Q1");

    // An older series (the embedded one) is not put in use over the newer.
    site.routes.set("/ybgb.csv", {headers: CSV, body: EMBEDDED});
    const older = await reference(cache, "--json");
    expect(JSON.parse(older.stdout)).toMatchObject({status: "failed", error: expect.stringContaining("before the series in use")});
    expect(readDeflators("data", dir).latest_quarter).toBe("2026 Q1");
    expect(existsSync(join(dir, "gdp_deflators.csv"))).toBe(true);
  });

  it("puts ONS's estimates for every year in use: per-resident figures use each year's own, and interpolate only where a council has none", async () => {
    const cache = temp("vcse-reference-");
    const dir = referenceDirIn(cache);
    site.routes.set("/ybgb.csv", {headers: CSV, body: EMBEDDED});
    site.routes.set("/mye.xlsx", {headers: XLSX_TYPE, body: xlsx(onsTable(YEARS))});
    const run = await reference(cache, "--json");
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).population).toMatchObject({status: "fetched", in_use: {source: "fetched", years: [...YEARS].reverse()}});
    expect(run.stderr).toContain("the population estimates in use are the fetched table over the embedded one, mid-2011 to mid-2023 (13 years)");

    const {councils} = readPopulation("data", dir);
    const trafford = councils.get("E08000009")!;
    expect(trafford.estimates).toEqual(TRAFFORD);
    for (const y of YEARS) {
      const fy = `${y}-${String((y + 1) % 100).padStart(2, "0")}`;
      expect(populationFor(trafford, fy)).toBe(TRAFFORD[y]);
      expect(populationBasis(trafford, fy)).toBe(`mid-${y} estimate`);
    }
    expect(populationFor(trafford, "2025-26")).toBe(TRAFFORD[2023]);
    expect(populationBasis(trafford, "2025-26")).toBe("mid-2023 estimate (held)");
    // A council the table leaves out keeps the embedded mid-2011 and mid-2022, and only it is interpolated.
    const hyndburn = councils.get("E07000120")!;
    expect(hyndburn.estimates).toEqual({2011: 80549, 2022: 83213});
    expect(populationFor(hyndburn, "2015-16")).toBeCloseTo(80549 + ((83213 - 80549) * 4) / 11, 9);
    // Wales, England, regions: not councils of England.
    expect([...councils.keys()].filter((c) => !/^E(06|07|08|09|10)/.test(c))).toEqual([]);

    // What the site's reference data and Methodology say: the table in use and each year's basis.
    const fetched = referenceData("data", dir);
    expect(fetched.population_in_use).toMatchObject({source: "fetched", years: [...YEARS].reverse()});
    expect(fetched.population_in_use.titles[1]).toBe("MYE4: Population estimates: Summary for England and Wales, mid-2011 to mid-2023");
    expect(fetched.population_in_use.method).toBe("Every year between has its own estimate; years from 2023-24 on are held at mid-2023, and years before 2011-12 at mid-2011.");
    const traffordYears = fetched.population.find((p) => p.code === "E08000009")!.by_year;
    expect(traffordYears.find((y) => y.financial_year === "2015-16")).toEqual({financial_year: "2015-16", population: TRAFFORD[2015], basis: "mid-2015 estimate"});
    // The embedded default is as it was: mid-2011 and mid-2022, the years between interpolated.
    const embedded = referenceData("data", null);
    expect(embedded.population_in_use).toMatchObject({source: "embedded", years: [2011, 2022]});
    expect(embedded.population_in_use.method).toBe(
      "Years with no estimate of their own are interpolated: mid-2012 to mid-2021 are interpolated linearly between mid-2011 and mid-2022; years from 2022-23 on are held at mid-2022, and years before 2011-12 at mid-2011."
    );
    expect(embedded.population.find((p) => p.code === "E08000009")!.by_year.find((y) => y.financial_year === "2015-16")!.population).toBe(Math.round(227091 + ((236301 - 227091) * 4) / 11));

    // The same table as before: not modified. One that ends earlier, an HTML page, a file not in the layout: the table in use stays.
    expect(JSON.parse((await reference(cache, "--json")).stdout).population.status).toBe("not_modified");
    site.routes.set("/mye.xlsx", {headers: XLSX_TYPE, body: xlsx(onsTable(YEARS.slice(2)))});
    const earlier = await reference(cache, "--json");
    expect(earlier.status).toBe(1);
    expect(JSON.parse(earlier.stdout).population).toMatchObject({status: "failed", error: expect.stringContaining("ends at mid-2021, before the estimates in use (to mid-2023)")});
    site.routes.set("/mye.xlsx", {headers: {"content-type": "text/html"}, body: "<!DOCTYPE html><html><body>Moved</body></html>"});
    expect((await reference(cache)).stderr).toMatch(/error: .*mye\.xlsx.*HTML/);
    site.routes.set("/mye.xlsx", {headers: XLSX_TYPE, body: xlsx([["Code", "Name", "Median age"], ["E08000009", "Trafford", "40.1"]])});
    expect(JSON.parse((await reference(cache, "--json")).stdout).population.error).toContain("not a table of ONS mid-year estimates");
    expect(readPopulation("data", dir).councils.get("E08000009")!.estimates).toEqual(TRAFFORD);

    // ONS's CSV in the same layout, a year on: read the same way, and put in use.
    const next = [2024, ...YEARS];
    TRAFFORD[2024] = 239000;
    LAMBETH[2024] = 316000;
    site.routes.set("/mye.csv", {headers: CSV, body: csv(onsTable(next))});
    const fromCsv = await runCli(["fetch", "--reference", "--deflator-url", `${site.base}/ybgb.csv`, "--population-url", `${site.base}/mye.csv`, "--cache", cache, "--quiet", "--json"]);
    expect(fromCsv.status, fromCsv.stderr).toBe(0);
    expect(JSON.parse(fromCsv.stdout).population).toMatchObject({status: "fetched", in_use: {years: [...next].reverse()}});
    expect(populationFor(readPopulation("data", dir).councils.get("E08000009")!, "2024-25")).toBe(239000);
  });

  it("asks for --reference before --deflator-url and --population-url", async () => {
    const run = await runCli(["fetch", "--deflator-url", "http://127.0.0.1:1/x.csv", "--cache", temp("vcse-reference-")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--deflator-url needs --reference");
    const population = await runCli(["fetch", "--population-url", "http://127.0.0.1:1/x.xlsx", "--cache", temp("vcse-reference-")]);
    expect(population.status).toBe(2);
    expect(population.stderr).toContain("--population-url needs --reference");
  });
});
