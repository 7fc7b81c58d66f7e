/**
 * The site at national scale: builds it (observable build) from a generated store in a throwaway project
 * folder, serves dist/ on 127.0.0.1 and times pages in headless Chromium: the overview's first chart (and
 * whether DuckDB-WASM had been asked for before it), the moment interactive queries are ready, and the
 * latency of changing councils and metric on Compare and of searching recipients, 50 times each.
 */
import {spawnSync} from "node:child_process";
import {copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, symlinkSync} from "node:fs";
import {join, resolve} from "node:path";
import {createHash} from "node:crypto";
import type {Page} from "playwright-core";
import {serveDist} from "../scripts/serve-dist.ts";
import {launchBrowser} from "../test/browser/browser.ts";

export interface Latency {
  n: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

export interface SiteResult {
  build_seconds: number;
  /** Overview: ms from navigation to the first chart, to the headline, to DuckDB-WASM answering. */
  first_chart_ms: number;
  headline_ms: number | null;
  duckdb_ready_ms: number | null;
  /** Whether DuckDB-WASM's engine (its wasm or worker) had been requested when the first chart was drawn. */
  duckdb_requested_before_first_chart: boolean;
  /** ms from navigation to the first request for the engine (its JavaScript module is preloaded earlier). */
  duckdb_engine_requested_ms: number | null;
  /** The overview's bytes over the wire (all requests: data, code, engines). */
  overview_transfer_bytes: number;
  interactions: Record<string, Latency>;
  /** performance.memory.usedJSHeapSize of the last page at the end. */
  js_heap_bytes: number;
  councils: number;
  notes: string[];
}

const ROOT = resolve(import.meta.dirname, "..");
const REPEATS = 50;

/** Builds and measures the site for the store and the data folder (manifests) of a generated corpus. */
export async function siteBench(storeDir: string, dataDir: string, work: string): Promise<SiteResult | {skipped: string}> {
  const root = join(work, "site");
  const build = buildSite(root, storeDir, dataDir);
  cleanCaches(root);
  if ("skipped" in build) return build;
  const councils = readdirSync(join(dataDir, "sources")).filter((f) => f.endsWith(".json")).length;
  return {build_seconds: build.seconds, councils, ...(await measureSite(join(root, "dist")))};
}

/**
 * Builds the site for a store in the project folder root (made by prepareRoot). With keepLoaderCache, an
 * existing root keeps Framework's cached loader outputs, and pages are copied with their timestamps, so that
 * only what changed is built again (bench/site-only.ts).
 */
export function buildSite(root: string, storeDir: string, dataDir: string, {keepLoaderCache = false, src = join(ROOT, "src")} = {}): {seconds: number} | {skipped: string} {
  if (keepLoaderCache && existsSync(join(root, "src"))) refreshPages(root, src);
  else prepareRoot(root, storeDir, dataDir);
  // Timed inside the lock: waiting for someone else's build is not this build's time.
  const timed = `start=$(date +%s%N); "$0" build; rc=$?; echo "build_ns $(( $(date +%s%N) - start ))" >&2; exit $rc`;
  const build = spawnSync("flock", [BUILD_LOCK, "sh", "-c", timed, join(ROOT, "node_modules/.bin/observable")], {
    cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 60 * 60 * 1000,
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", NO_COLOR: "1"}
  });
  if (build.status !== 0) return {skipped: `observable build failed (exit ${build.status}): ${(build.stderr || build.stdout || String(build.error)).slice(-2000)}`};
  const ns = /build_ns (\d+)/.exec(build.stderr ?? "");
  if (!ns) return {skipped: "observable build printed no time"};
  return {seconds: Number(ns[1]) / 1e9};
}

/** Builds on this machine take turns (other people's builds and tests use the same lock). */
const BUILD_LOCK = "/tmp/vcse-build.lock";

/** The browser timings of a built site. */
export async function measureSite(dist: string): Promise<Omit<SiteResult, "build_seconds" | "councils">> {
  const notes: string[] = [];
  const server = await serveDist(dist);
  const browser = await launchBrowser();
  try {
    const overview = await measureOverview(browser.context.newPage.bind(browser.context), `${server.url}?bench`);
    const compare = await browser.context.newPage();
    await compare.goto(`${server.url}compare`, {waitUntil: "load", timeout: 120_000});
    await compare.locator("[data-testid=compare-chart]").first().waitFor({state: "attached", timeout: 120_000});
    const councilLatency = await changeCouncils(compare);
    const metricLatency = await switchMetric(compare);
    await compare.close();
    const recipients = await browser.context.newPage();
    await recipients.goto(`${server.url}recipients?bench`, {waitUntil: "load", timeout: 120_000});
    await recipients.locator("[data-testid=recipients-status].ready").waitFor({state: "attached", timeout: 180_000});
    const searchLatency = await searchRecipients(recipients);
    const heap = (await recipients.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")) as number;
    await recipients.close();
    if (browser.consoleErrors.length) notes.push(`console errors: ${browser.consoleErrors.slice(0, 5).join(" | ")}`);
    return {
      ...overview,
      interactions: {"Compare: change councils": councilLatency, "Compare: switch metric": metricLatency, "Recipients: search": searchLatency},
      js_heap_bytes: heap, notes
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** A project folder whose src, config and code are this project's, and whose data and store are the corpus's. */
function prepareRoot(root: string, storeDir: string, dataDir: string): void {
  rmSync(root, {recursive: true, force: true});
  mkdirSync(root, {recursive: true});
  // src without Framework's cache of data-loader outputs (they are the embedded data's), but with its npm cache.
  cpSync(join(ROOT, "src"), join(root, "src"), {recursive: true, filter: (p) => !p.includes(`${join("src", ".observablehq")}`)});
  const npm = join(ROOT, "src/.observablehq/cache");
  if (!existsSync(join(npm, "_npm"))) spawnSync("npm", ["run", "npm-cache"], {cwd: ROOT, stdio: "inherit"});
  for (const dir of ["_npm", "_observablehq"]) {
    if (existsSync(join(npm, dir))) cpSync(join(npm, dir), join(root, "src/.observablehq/cache", dir), {recursive: true});
  }
  for (const name of ["observablehq.config.ts", "package.json"]) cpSync(join(ROOT, name), join(root, name));
  for (const name of ["node_modules", "pipeline", "scripts", "bin"]) symlinkSync(join(ROOT, name), join(root, name));
  mkdirSync(join(root, "data"));
  // Hard links, not symbolic ones: manifests refuse files reached through a link that leaves the data folder.
  for (const name of ["sources", "spending"]) linkTree(resolve(dataDir, name), join(root, "data", name));
  for (const name of ["reference", "grants", "overrides.csv", "source.schema.json", "PROVENANCE.md"]) {
    if (existsSync(join(ROOT, "data", name))) symlinkSync(join(ROOT, "data", name), join(root, "data", name));
  }
  symlinkSync(resolve(storeDir), join(root, "store"));
}

/** Mirrors a folder with hard links (a copy where the file systems differ). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, {recursive: true});
  for (const entry of readdirSync(from, {withFileTypes: true})) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** Copies src (this project's, or an earlier version's) over root's, keeping root's loader cache and every file's timestamp. */
function refreshPages(root: string, src: string): void {
  const cache = `${join("src", ".observablehq")}`;
  for (const entry of readdirSync(join(root, "src"))) {
    if (entry !== ".observablehq") rmSync(join(root, "src", entry), {recursive: true, force: true});
  }
  cpSync(src, join(root, "src"), {recursive: true, preserveTimestamps: true, filter: (p) => !p.includes(cache)});
}

/** The compact loaders keep caches in node_modules/.cache/vcse-spend (here the project's own): drop this store's. */
function cleanCaches(root: string): void {
  const cache = join(ROOT, "node_modules/.cache/vcse-spend");
  if (!existsSync(cache)) return;
  const store = createHash("sha256").update(resolve(root, "store")).digest("hex").slice(0, 12);
  for (const f of readdirSync(cache)) if (f.startsWith(`payments-${store}-`)) rmSync(join(cache, f), {force: true});
}

async function measureOverview(newPage: () => Promise<Page>, url: string) {
  const page = await newPage();
  let bytes = 0;
  page.on("response", (r) => {
    bytes += Number(r.headers()["content-length"] ?? 0);
  });
  await page.goto(url, {waitUntil: "load", timeout: 120_000});
  const chart = page.locator("[data-testid=chart-spending][data-first-chart-ms]").first();
  await chart.waitFor({state: "attached", timeout: 120_000});
  const firstChart = Number(await chart.getAttribute("data-first-chart-ms"));
  const headline = await page.locator("[data-testid=headline]").first().getAttribute("data-rendered-ms");
  let ready: number | null = null;
  try {
    const status = page.locator("[data-testid=duckdb-status].ready");
    await status.waitFor({state: "attached", timeout: 180_000});
    ready = Number(await status.getAttribute("data-ready-ms"));
  } catch {
    ready = null;
  }
  await page.waitForLoadState("networkidle", {timeout: 120_000}).catch(() => undefined);
  const duckdbStarts = (await page.evaluate(
    `performance.getEntriesByType("resource").filter((e) => /duckdb[^/]*\\.wasm|duckdb-browser[^/]*worker/i.test(e.name)).map((e) => e.startTime)`
  )) as number[];
  await page.close();
  return {
    first_chart_ms: firstChart, headline_ms: headline === null ? null : Number(headline), duckdb_ready_ms: ready,
    duckdb_requested_before_first_chart: duckdbStarts.some((t) => t < firstChart),
    duckdb_engine_requested_ms: duckdbStarts.length ? Math.min(...duckdbStarts) : null, overview_transfer_bytes: bytes
  };
}

/**
 * Runs `act` in the page and waits (polling each frame) for `done`, then one more frame: ms from act to paint.
 * Sent as text: functions compiled by tsx carry helpers the page does not have.
 */
async function timed(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(`(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    ${act}
    for (let i = 0; i < 3000 && !(${done}); i++) await frame();
    await frame();
    return performance.now() - t0;
  })()`);
}

/** Adds a council by typing its name and pressing Enter, then takes it away again, alternately. */
async function changeCouncils(page: Page): Promise<Latency> {
  const names = await page.evaluate(() => {
    const list = document.querySelector("[data-testid=council-search]")?.getAttribute("list") ?? "";
    return [...(document.getElementById(list)?.querySelectorAll("option") ?? [])].map((o) => o.value);
  });
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const before = await councilCount(page);
    if (i % 2 === 0) {
      const chosen = await page.evaluate(() => [...document.querySelectorAll("[data-testid=council-chips] .chip")].map((c) => c.firstChild?.textContent ?? ""));
      const free = names.filter((n) => !chosen.includes(n));
      const name = free[(i * 7919) % free.length]!;
      samples.push(await timed(page,
        `const s = document.querySelector("[data-testid=council-search]"); s.value = ${JSON.stringify(name)};
         s.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));`,
        `${COUNT} === ${before + 1}`));
    } else {
      samples.push(await timed(page, `[...document.querySelectorAll("[data-testid=council-chips] .chip button")].at(-1).click();`, `${COUNT} === ${before - 1}`));
    }
  }
  return summarise(samples);
}

const COUNT = `(document.querySelector("[data-testid=compare-chart]")?.dataset.councils ?? "").split(",").filter(Boolean).length`;

async function councilCount(page: Page): Promise<number> {
  return page.evaluate((count) => new Function(`return ${count};`)() as number, COUNT);
}

async function switchMetric(page: Page): Promise<Latency> {
  const metrics = await page.evaluate(() => [...document.querySelectorAll("[data-testid=compare-metric] input")].map((i) => (i as HTMLInputElement).value));
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const current = await page.evaluate(() => (document.querySelector("[data-testid=compare-chart]") as HTMLElement | null)?.dataset.metric);
    const next = metrics.filter((m) => m !== current)[i % (metrics.length - 1)]!;
    samples.push(await timed(page,
      `document.querySelector('[data-testid=compare-metric] input[value=${JSON.stringify(next)}]').click();`,
      `document.querySelector("[data-testid=compare-chart]")?.dataset.metric === ${JSON.stringify(next)}`));
  }
  return summarise(samples);
}

const QUERIES = ["age", "trust", "council", "care", "community", "church", "scout", "hospice", "housing", "school", "ltd", "group",
  "foundation", "association", "club", "centre", "services", "society", "youth", "village"];

/** Types a search and waits until the status names it and the list of matches shows it (pages before 2026-11-25 mark no list: status only). */
async function searchRecipients(page: Page): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const q = `${QUERIES[i % QUERIES.length]}${i >= QUERIES.length ? ` ${"abcdefghij"[i % 10]}` : ""}`;
    samples.push(await timed(page,
      `const input = document.querySelector("main input[type=text], main input:not([type])"); input.value = ${JSON.stringify(q)};
       input.dispatchEvent(new Event("input", {bubbles: true}));`,
      `(document.querySelector("[data-testid=recipients-status]")?.textContent ?? "").includes(${JSON.stringify(`“${q}”`)})
       && (document.querySelector("[data-testid=recipients-matches]")?.dataset.query ?? ${JSON.stringify(q)}) === ${JSON.stringify(q)}`));
  }
  return summarise(samples);
}

function summarise(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {n: samples.length, p50_ms: at(0.5), p95_ms: at(0.95), max_ms: sorted.at(-1)!};
}
