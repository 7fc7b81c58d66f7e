/**
 * The built site's own pages (overview, Compare, Data, Methodology, the embeds) in headless Chromium with
 * no network: builds dist/ when stale, serves it on 127.0.0.1, checks figures against the payment store
 * queried here with DuckDB (independently of the compact loaders), and writes a screenshot of each page.
 */
import {readFileSync, readdirSync} from "node:fs";
import {mkdir, readFile, stat, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {BUILD_TIMEOUT_MS, DIST, OUTPUT, ROOT, ensureBuilt} from "./council-build.ts";
import {storeYears, widestMatchedSet, type MatchedSet} from "./store-years.ts";
import {BASES} from "../../pipeline/types.ts";

const SCREENSHOTS = join(OUTPUT, "screenshots");

/** Same rule as formatPounds in src/components/format.js. */
function formatPounds(x: number): string {
  const sign = x < 0 ? "−" : "";
  const a = Math.abs(x);
  if (a >= 1e9) return `${sign}£${(a / 1e9).toFixed(2)}bn`;
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(1)}m`;
  if (a >= 1e4) return `${sign}£${(a / 1e3).toFixed(0)}k`;
  return `${sign}£${Math.round(a).toLocaleString("en-GB")}`;
}

// A test of its own, so a missing browser shows as a failed test and not only as a failed hook.
it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("the site's pages in Chromium, offline", () => {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  let expected: MatchedSet;
  const metrics: Record<string, {bytes: number; requests: number; firstChartMs?: number; headlineMs?: number; duckdbReadyMs?: number; loadMs?: number}> = {};
  const pages = new Map<string, Page>();

  beforeAll(async () => {
    assertChromium(); // fail, never skip, when Chromium is missing
    await ensureBuilt();
    const found = widestMatchedSet(await storeYears(ROOT));
    if (!found) throw new Error("no council has 12 months of data in two consecutive years: the store is empty or stale");
    expected = found;
    server = await serveDist(DIST);
    session = await launchBrowser();
    await mkdir(SCREENSHOTS, {recursive: true});
  }, BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (Object.keys(metrics).length > 0) {
      await mkdir(OUTPUT, {recursive: true});
      await writeFile(join(OUTPUT, "site-pages.json"), JSON.stringify(metrics, null, 2) + "\n");
      console.log("pages (bytes transferred, ms to first chart):", metrics);
    }
  });

  /** Opens a page, counting the bytes it fetches, and checks it raised no error and reached nothing outside. */
  async function visit(name: string, path: string, waitFor: string): Promise<Page> {
    const errorsBefore = session!.consoleErrors.length;
    const externalBefore = session!.externalRequests.length;
    const failedBefore = session!.failedRequests.length;
    const page = await session!.context.newPage();
    const m: (typeof metrics)[string] = (metrics[name] = {bytes: 0, requests: 0});
    page.on("response", (response) => {
      m.requests++;
      m.bytes += Number(response.headers()["content-length"] ?? 0);
    });
    const started = performance.now();
    await page.goto(server!.url + path, {waitUntil: "load", timeout: 60_000});
    await page.locator(waitFor).first().waitFor({state: "visible", timeout: 60_000});
    m.loadMs = Math.round(performance.now() - started);
    await page.waitForLoadState("networkidle", {timeout: 90_000});
    pages.set(name, page);
    expect(session!.consoleErrors.slice(errorsBefore), `${name}: console errors`).toEqual([]);
    expect(session!.externalRequests.slice(externalBefore), `${name}: requests leaving 127.0.0.1`).toEqual([]);
    expect(session!.failedRequests.slice(failedBefore), `${name}: failed requests`).toEqual([]);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({path, fullPage: true});
    expect((await stat(path)).size).toBeGreaterThan(10_000);
  }

  describe("overview", () => {
    it("shows the headline for the year with the most councils complete in it and the year before, equal to the store's figure", async () => {
      // ?bench: the page writes its timing marks (data-*-ms), read below.
      const page = await visit("overview", "?bench", "[data-testid=headline]");
      const headline = page.locator("[data-testid=headline]");
      expect(await headline.getAttribute("data-year")).toBe(expected.year);
      expect(Number(await headline.getAttribute("data-amount"))).toBeCloseTo(expected.vcse, 2);
      expect(Number(await headline.getAttribute("data-councils"))).toBe(expected.councils.length);
      expect((await page.locator("[data-testid=headline-figure]").textContent())?.trim()).toBe(formatPounds(expected.vcse));
      const coverage = await page.locator("[data-testid=headline-coverage]").textContent();
      expect(coverage).toContain(`based on ${expected.councils.length} council`);
      expect(coverage).toContain("12 of 12 months");
    });

    it("renders the headline and the first chart before DuckDB-WASM is ready, and then says it is ready", async () => {
      const page = pages.get("overview")!;
      const status = page.locator("[data-testid=duckdb-status].ready");
      await status.waitFor({state: "visible", timeout: 90_000});
      expect(await status.textContent()).toContain("Interactive queries ready");
      const readyMs = Number(await status.getAttribute("data-ready-ms"));
      const headlineMs = Number(await page.locator("[data-testid=headline]").getAttribute("data-rendered-ms"));
      const firstChartMs = Number(await page.locator("[data-testid=chart-spending]").getAttribute("data-first-chart-ms"));
      expect(headlineMs).toBeLessThan(readyMs);
      expect(firstChartMs).toBeLessThan(readyMs);
      metrics.overview!.firstChartMs = firstChartMs;
      metrics.overview!.headlineMs = headlineMs;
      metrics.overview!.duckdbReadyMs = readyMs;
      // The DuckDB-backed peer-group table answers.
      await page.locator("[data-testid=peer-table] tbody tr").first().waitFor({state: "visible", timeout: 30_000});
    });

    it("draws the spending chart, the league table and the accessible table views", async () => {
      const page = pages.get("overview")!;
      expect(await page.locator("[data-testid=chart-spending] svg rect").count()).toBeGreaterThan(0);
      const rows = page.locator("[data-testid=league-table] tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      // Every chart has a text summary and a keyboard-operable export toolbar.
      expect(await page.locator(".chart-summary").count()).toBeGreaterThanOrEqual(3);
      const toolbar = page.locator("[role=toolbar]").first();
      expect(await toolbar.locator("button").allTextContents()).toEqual(["Download PNG", "Download SVG", "Download CSV", "Copy embed code"]);
      await screenshot(page, "overview");
    });

    it("downloads the spending chart as PNG and SVG with its title and source line", async () => {
      const page = pages.get("overview")!;
      const toolbar = page.locator("[role=toolbar]").first();
      const [svg] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=svg]").click()]);
      const svgText = await readFile((await svg.path())!, "utf8");
      expect(svg.suggestedFilename()).toBe("vcse-spending-by-year.svg");
      expect(svgText).toContain("VCSE spending by financial year (cash)");
      expect(svgText).toContain("Source:");
      expect(svgText).not.toContain("var(--");
      const [png] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=png]").click()]);
      const bytes = await readFile((await png.path())!);
      expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      expect(bytes.length).toBeGreaterThan(5_000);
    });
  });

  describe("compare", () => {
    it("adds a council by type-ahead search: chart, table and address all change, and the address restores the view", async () => {
      const page = await visit("compare", "compare?councils=E08000009&metric=cash", "[data-testid=compare-chart] svg");
      const chart = page.locator("[data-testid=compare-chart]");
      expect(await chart.getAttribute("data-councils")).toBe("E08000009");
      const before = await page.locator("[data-testid=compare-table] tbody tr").allTextContents();
      expect(before.every((r) => r.startsWith("Trafford"))).toBe(true);

      await page.locator("[data-testid=council-search]").fill("Hyndb");
      await page.locator("[data-testid=council-search]").press("Enter");
      await expect.poll(() => chart.getAttribute("data-councils")).toBe("E08000009,E07000120");
      await expect.poll(() => new URL(page.url()).searchParams.get("councils")).toBe("E08000009,E07000120");
      const after = await page.locator("[data-testid=compare-table] tbody tr").allTextContents();
      expect(after.some((r) => r.startsWith("Hyndburn"))).toBe(true);
      expect(await page.locator("[data-testid=compare-chart] svg text", {hasText: "Hyndburn"}).count()).toBeGreaterThan(0);

      await page.locator("[data-testid=compare-metric] input[value=share]").check();
      await expect.poll(() => new URL(page.url()).searchParams.get("metric")).toBe("share");
      await expect.poll(() => chart.getAttribute("data-metric")).toBe("share");
      await page.locator("[data-testid=year-from]").selectOption("2017-18");
      await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBe("2017-18");
      const shown = await page.locator("[data-testid=compare-table] tbody tr").allTextContents();
      await screenshot(page, "compare");

      // Loading the address alone reproduces the view.
      const restored = await session!.open(page.url(), {waitFor: "[data-testid=compare-chart] svg"});
      expect(await restored.locator("[data-testid=compare-chart]").getAttribute("data-councils")).toBe("E08000009,E07000120");
      expect(await restored.locator("[data-testid=compare-chart]").getAttribute("data-metric")).toBe("share");
      expect(await restored.locator("[data-testid=compare-metric] input[value=share]").isChecked()).toBe(true);
      expect(await restored.locator("[data-testid=year-from]").inputValue()).toBe("2017-18");
      expect(await restored.locator("[data-testid=council-chips] .chip").allTextContents()).toEqual(["Trafford×", "Hyndburn×"]);
      expect(await restored.locator("[data-testid=compare-table] tbody tr").allTextContents()).toEqual(shown);
      await restored.close();
    });

    it("downloads a CSV whose rows are the rows of the table shown", async () => {
      const page = pages.get("compare")!;
      const toolbar = page.locator("[role=toolbar]").first();
      const [download] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=csv]").click()]);
      const text = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
      const [header, ...lines] = text.trim().split("\r\n").map((l) => l.split(","));
      expect(header).toEqual([
        "Council",
        "GSS code",
        "Financial year",
        "Months of data",
        "VCSE share of spending outside the public sector (fraction)",
        "Change on previous year (percentage points as a fraction)"
      ]);
      const table = await page.locator("[data-testid=compare-table] tbody tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim()))
      );
      expect(lines.length).toBe(table.length);
      lines.forEach((cells, i) => {
        const [council, , year, months, share, change] = cells;
        const shown = table[i]!;
        expect([council, year, `${months} of 12`]).toEqual(shown.slice(0, 3));
        expect(share === "" ? "–" : `${(100 * Number(share)).toFixed(1)}%`).toBe(shown[3]);
        if (change === "") expect(shown[4]).toBe("–");
        else expect(shown[4]!.replace("−", "-").replace("+", "")).toBe(`${(100 * Number(change)).toFixed(1)} pts`);
      });
    });

    it("chooses a peer group by council type and region", async () => {
      const page = pages.get("compare")!;
      await page.locator("[data-testid=compare-mode] input[value=peer]").check();
      await page.locator("[data-testid=peer-type]").selectOption("Metropolitan district");
      await page.locator("[data-testid=peer-region]").selectOption("North West");
      await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBe("North West");
      const members = async () => ((await page.locator("[data-testid=compare-chart]").getAttribute("data-councils")) ?? "").split(",").sort();
      await expect.poll(members, {timeout: 15_000}).toEqual(["E08000003", "E08000006", "E08000009"]);
    });
  });

  /** The page names each charity register the store's files were classified with, and its date, as state.json records them. */
  const expectRegisterSaid = async (page: Page) => {
    const state = JSON.parse(readFileSync(join(ROOT, "store/state.json"), "utf8")) as {files: Record<string, {register?: {title: string; date: string}}>};
    const registers = Object.values(state.files).map((f) => f.register!);
    expect(registers.length).toBeGreaterThan(0);
    const said = (await page.locator("[data-testid=register-used]").textContent()) ?? "";
    for (const r of registers) {
      expect(said).toContain(r.title);
      expect(said).toContain(/^\d{4}-\d{2}-\d{2}$/.test(r.date) ? String(Number(r.date.slice(8))) : r.date);
    }
  };

  describe("data", () => {
    it("shows coverage, rejects, classification basis, every source and downloads", async () => {
      const page = await visit("data", "data", "[data-testid=sources-table]");
      await expectRegisterSaid(page);
      expect(await page.locator("figure svg rect").count()).toBeGreaterThan(100);
      const manifests = readdirSync(join(ROOT, "data/sources")).filter((f) => f.endsWith(".json"));
      const files = manifests.reduce((n, f) => n + JSON.parse(readFileSync(join(ROOT, "data/sources", f), "utf8")).files.length, 0);
      expect(await page.locator("[data-testid=sources-table] tbody tr").count()).toBe(files);
      expect(await page.locator("[data-testid=staleness-table] tbody tr").count()).toBe(manifests.length);
      // One row per basis the classifier gives (pipeline/types.ts Basis).
      expect(await page.locator("[data-testid=basis-table] tbody tr").count()).toBe(BASES.length);
      expect(await page.locator("[data-testid=downloads] a[href$='.parquet']").count()).toBe(5);
      expect(await page.locator("[data-testid=downloads] a[download='suppliers.parquet']").count()).toBe(1);
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("button[data-download='council-years.csv']").click()]);
      const csv = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
      expect(csv.split("\r\n")[0]).toContain("council_code,council_name,short_name");
      await screenshot(page, "data");
    });
  });

  describe("methodology", () => {
    it("states the deflator base year and the population interpolation", async () => {
      const page = await visit("methodology", "methodology", "[data-testid=deflator-table]");
      const text = await page.locator("#observablehq-main").textContent();
      expect(text).toMatch(/\d{4}-\d{2} = 100/);
      expect(text).toContain("interpolated linearly between mid-2011 and mid-2022");
      expect(text).toContain("held at mid-2022");
      await expectRegisterSaid(page);
      // Every step of the order of evidence that decided any pounds has a row, in order.
      const steps = await page.locator("[data-testid=classification-steps-table] tbody tr th").allTextContents();
      expect(steps.length).toBeGreaterThanOrEqual(6);
      // Each row is headed by its step's number and what it rests on, in order.
      const numbers = steps.map((s) => Number(/^(\d+)\. \S/.exec(s)?.[1]));
      expect(numbers.every(Number.isInteger)).toBe(true);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      await screenshot(page, "methodology");
    });
  });

  describe("embeds", () => {
    it("renders the trend chart alone, with title, source line and date", async () => {
      const page = await visit("embed-trend", "embed/vcse-trend", "[data-testid=embed-figure] svg rect");
      expect(await page.locator("#observablehq-sidebar").count()).toBe(0);
      expect(await page.locator("#observablehq-header").count()).toBe(0);
      expect(await page.locator("#observablehq-footer").count()).toBe(0);
      const figure = page.locator("[data-testid=embed-figure]");
      expect(await figure.locator("h2").textContent()).toContain("What English councils paid the voluntary sector");
      expect(await figure.locator("figcaption").textContent()).toMatch(/Source: .*Updated \d{1,2} \w+ \d{4}/);
      await screenshot(page, "embed-vcse-trend");
    });

    it("exports the trend chart as a JavaScript module another page can import", async () => {
      const page = await session!.open(server!.url + "embed/compare?councils=E08000009", {waitFor: "[data-testid=embed-figure] svg"});
      await screenshot(page, "embed-compare");
      // A string, so that the test runner does not rewrite import() before the browser sees it.
      const result: {title: string; bars: number; source: string} = await page.evaluate(`(async () => {
        const module = await import(${JSON.stringify(server!.url + "embed/vcse-trend.js")});
        const element = await module.VcseTrend({width: 500});
        document.body.append(element);
        return {title: element.querySelector("h2")?.textContent, bars: element.querySelectorAll("svg rect").length, source: element.querySelector("figcaption")?.textContent};
      })()`);
      expect(result.title).toContain("What English councils paid the voluntary sector");
      expect(result.bars).toBeGreaterThan(0);
      expect(result.source).toContain("Updated");
      expect(session!.consoleErrors).toEqual([]);
      expect(session!.externalRequests).toEqual([]);
      await page.close();
    });
  });
});
