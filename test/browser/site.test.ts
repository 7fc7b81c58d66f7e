/**
 * The built site in a real browser, with no network: builds dist/ when it is missing or older than its
 * sources, serves it on 127.0.0.1 and checks the overview page in headless Chromium.
 */
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, readdir, stat, writeFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = join(ROOT, "dist");
const OUTPUT = join(ROOT, "test-output");
const BUILD_TIMEOUT_MS = 280_000;

/** What the built site depends on: rebuild when any of it is newer than dist/index.html. */
const BUILD_INPUTS = ["src", "loaders", "observablehq.config.ts", "scripts/fill-npm-cache.ts", "package.json"];

async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) {
    if (entry === ".observablehq" || entry === "node_modules") continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

async function buildIfStale(): Promise<void> {
  const index = join(DIST, "index.html");
  const builtAt = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  const inputs = Math.max(...(await Promise.all(BUILD_INPUTS.map((p) => newestMtime(join(ROOT, p))))));
  if (builtAt > inputs) return;
  const started = performance.now();
  const result = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    encoding: "utf-8",
    timeout: BUILD_TIMEOUT_MS,
    env: {...process.env, NO_COLOR: "1", OBSERVABLE_TELEMETRY_DISABLE: "true"}
  });
  if (result.status !== 0) {
    throw new Error(
      `npm run build failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`
    );
  }
  console.log(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Same rule as formatPounds in src/index.md. */
function formatPounds(x: number): string {
  const sign = x < 0 ? "−" : "";
  const a = Math.abs(x);
  if (a >= 1e9) return `${sign}£${(a / 1e9).toFixed(2)}bn`;
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(1)}m`;
  return `${sign}£${Math.round(a).toLocaleString("en-GB")}`;
}

interface Expected {
  year: string;
  vcse: number;
  councils: number;
  years: number;
  rows: number;
}

/** The headline computed independently, with DuckDB in Node, from the parquet file the site serves. */
async function expectedFromBuiltParquet(): Promise<Expected> {
  const dir = join(DIST, "_file", "data");
  const files = (await readdir(dir)).filter((f) => /^council-years\.[0-9a-f]+\.parquet$/.test(f));
  if (files.length !== 1) throw new Error(`expected one dist/_file/data/council-years.*.parquet, found ${files.length}`);
  const path = join(dir, files[0]!).replaceAll("'", "''");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      WITH cy AS (SELECT * FROM read_parquet('${path}')),
           latest AS (SELECT max(financial_year) AS year FROM cy)
      SELECT latest.year AS year,
             coalesce(sum(amount) FILTER (WHERE sector = 'vcse' AND financial_year = latest.year), 0)::DOUBLE AS vcse,
             count(DISTINCT council_code) FILTER (WHERE financial_year = latest.year)::INTEGER AS councils,
             count(DISTINCT financial_year)::INTEGER AS years,
             count(*)::INTEGER AS rows
      FROM cy, latest
      GROUP BY latest.year`);
    const row = reader.getRowObjectsJS()[0];
    if (!row) throw new Error("council-years.parquet is empty");
    return {
      year: String(row.year),
      vcse: Number(row.vcse),
      councils: Number(row.councils),
      years: Number(row.years),
      rows: Number(row.rows)
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// A test of its own, so a missing browser shows as a failed test and not only as a failed hook.
it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("built site in Chromium, offline", () => {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  let page: Page | undefined;
  let expected: Expected;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    assertChromium(); // fail, never skip, when Chromium is missing
    await buildIfStale();
    expected = await expectedFromBuiltParquet();
    server = await serveDist(DIST);
    session = await launchBrowser();
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (Object.keys(timings).length > 0) {
      await mkdir(OUTPUT, {recursive: true});
      await writeFile(join(OUTPUT, "browser-timings.json"), JSON.stringify(timings, null, 2) + "\n");
      console.log("overview timings (ms):", timings);
    }
  });

  function openedPage(): Page {
    if (!page) throw new Error("the overview page did not open (see the first test)");
    return page;
  }

  it("shows the latest year's VCSE total and council count, computed from the built parquet", async () => {
    const started = performance.now();
    page = await session!.open(server!.url, {waitFor: "[data-testid=headline]"});
    timings.headlineSeenByTest = Math.round(performance.now() - started);

    const headline = page.locator("[data-testid=headline]");
    const amount = Number(await headline.getAttribute("data-amount"));
    expect(await headline.getAttribute("data-year")).toBe(expected.year);
    expect(amount).toBeCloseTo(expected.vcse, 2);
    expect(Number(await headline.getAttribute("data-councils"))).toBe(expected.councils);
    expect((await page.locator("[data-testid=headline-figure]").textContent())?.trim()).toBe(formatPounds(expected.vcse));
    expect((await page.locator("[data-testid=headline-councils]").textContent())?.trim()).toBe(String(expected.councils));
    timings.headlineRendered = Number(await headline.getAttribute("data-rendered-ms"));
  });

  it("draws the bar chart of VCSE spending by year", async () => {
    const p = openedPage();
    await p.locator("figure svg rect").first().waitFor({state: "visible", timeout: 30_000});
    expect(await p.locator("figure svg rect").count()).toBe(expected.years);
    await expect.poll(() => p.locator("figure h2").first().textContent()).toContain("VCSE spending by financial year");
  });

  it("gets answers from DuckDB-WASM after the headline is shown", async () => {
    const p = openedPage();
    const status = p.locator("[data-testid=duckdb-status].ready");
    await status.waitFor({state: "visible", timeout: 90_000});
    expect(await status.textContent()).toContain("interactive queries ready");
    expect(await status.textContent()).toContain(expected.rows.toLocaleString("en-GB"));
    timings.duckdbReady = Number(await status.getAttribute("data-ready-ms"));
    expect(timings.headlineRendered).toBeLessThan(timings.duckdbReady);
    // The DuckDB-backed table: one row per financial year.
    await p.locator("form table tbody tr").first().waitFor({state: "visible", timeout: 30_000});
    expect(await p.locator("form table tbody tr").count()).toBe(expected.years);
  });

  it("writes a screenshot", async () => {
    const p = openedPage();
    await mkdir(join(OUTPUT, "screenshots"), {recursive: true});
    const path = join(OUTPUT, "screenshots", "overview.png");
    await p.screenshot({path, fullPage: true});
    expect((await stat(path)).size).toBeGreaterThan(10_000);
  });

  it("logs no console errors and makes no request that leaves 127.0.0.1", async () => {
    openedPage();
    expect(session!.externalRequests).toEqual([]);
    expect(session!.consoleErrors).toEqual([]);
    expect(session!.failedRequests).toEqual([]);
  });
});
