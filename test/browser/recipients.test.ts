/**
 * The Recipients page in Chromium, offline: the search finds a known VCSE organisation and shows which
 * councils pay it; case and punctuation do not change what a search finds; the address keeps the search and
 * the organisation; a year without payments is a gap in the chart (at 390 and 1280 px); text that would break
 * spliced SQL is only ever a bound parameter; nothing leaves 127.0.0.1.
 */
import {readdirSync} from "node:fs";
import {mkdir, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {DuckDBInstance} from "@duckdb/node-api";
import {BUILD_TIMEOUT_MS, DIST, OUTPUT, ensureBuilt} from "./council-build.ts";

/** Letters and digits only, lower case: how a reader expects "Barnardo's" and "BARNARDOS" to compare. */
const bare = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** Distinct (key, name, financial_year) of the built site's recipients file, read here with DuckDB. */
async function recipientRows(): Promise<{key: string; name: string; financial_year: string}[]> {
  const dir = join(DIST, "_file", "data");
  const file = readdirSync(dir).find((f) => /^recipients\.[0-9a-f]+\.parquet$/.test(f));
  if (!file) throw new Error(`no recipients parquet in ${dir}`);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT DISTINCT key, name, financial_year FROM read_parquet('${join(dir, file)}')`);
    return reader.getRowObjectsJson() as {key: string; name: string; financial_year: string}[];
  } finally {
    connection.closeSync();
  }
}

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("Recipients page in Chromium, offline", () => {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    assertChromium();
    await ensureBuilt();
    server = await serveDist(DIST);
    session = await launchBrowser();
    page = await session.open(`${server.url}recipients`, {waitFor: "[data-testid=recipients-status].ready", timeout: 90_000});
  }, BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const search = async (text: string) => {
    const box = page!.getByLabel("Organisation");
    await box.fill(text);
    await expect.poll(() => page!.locator("[data-testid=recipients-status]").textContent(), {timeout: 30_000}).toContain(text.trim() ? `“${text}”` : "paid most");
  };

  it("lists the organisations paid most before anything is typed, and never an individual", async () => {
    const rows = page!.locator("form table tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const names = await page!.locator("form table tbody tr td:nth-child(2)").allTextContents();
    for (const n of names) expect(n).not.toMatch(/redacted|personal data|^(mr|mrs|ms|miss|dr)\b/i);
  });

  it("says what each organisation's classification rests on, and keeps a generic name to its own council", async () => {
    await search("Citizens Advice Bureau");
    await expect.poll(async () => page!.locator("[data-testid=recipient-evidence]").textContent(), {timeout: 30_000}).toMatch(/Classified by: Name rule: citizens advice\./);
    expect(await page!.locator("[data-testid=recipient-evidence]").textContent()).toContain("shown for this council alone");
    // Each such bureau is paid by one council.
    const councils = await page!.locator("[data-testid=recipient-table] tbody tr").count();
    expect(councils).toBe(1);
    await search("Barnardos");
    await expect.poll(async () => page!.locator("[data-testid=recipient-evidence]").textContent(), {timeout: 30_000}).toMatch(/GB-CHC-\d+/);
  });

  it("ignores case and punctuation: Barnardo's, Barnardos, BARNARDO’S and barnardo find the organisations an independent match finds", async () => {
    const rows = await recipientRows();
    const expected = (q: string) => new Set(rows.filter((r) => bare(r.name).includes(bare(q)) || bare(r.key).includes(bare(q))).map((r) => r.key)).size;
    const found: Record<string, string[]> = {};
    for (const q of ["Barnardo's", "Barnardos", "BARNARDO’S", "barnardo"]) {
      const n = expected(q);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(50);
      await search(q);
      expect(await page!.locator("[data-testid=recipients-status]").textContent()).toContain(`${n} ${n === 1 ? "organisation" : "organisations"} matching`);
      found[q] = await page!.locator("form table tbody tr td:nth-child(2)").allTextContents();
    }
    expect(found["Barnardos"]).toEqual(found["Barnardo's"]);
    expect(found["BARNARDO’S"]).toEqual(found["Barnardo's"]);
    for (const name of found["Barnardos"]!) expect(found["barnardo"]).toContain(name);
  });

  it("keeps the search and the organisation shown in the address, and opens on them again", async () => {
    await search("barnardo's");
    const name = page!.locator("[data-testid=recipient-name]");
    await expect.poll(async () => bare((await name.textContent()) ?? ""), {timeout: 30_000}).toContain("barnardo");
    await expect.poll(() => new URL(page!.url()).searchParams.get("q")).toBe("barnardo's");
    const shown = await name.textContent();
    const key = new URL(page!.url()).searchParams.get("org");
    expect(key).toBeTruthy();
    const again = await session!.open(page!.url(), {waitFor: "[data-testid=recipient-name]", timeout: 90_000});
    try {
      expect(await again.locator("[data-testid=recipient-name]").textContent()).toBe(shown);
      expect(await again.getByLabel("Organisation").inputValue()).toBe("barnardo's");
      expect(new URL(again.url()).searchParams.get("org")).toBe(key);
    } finally {
      await again.close();
    }
  });

  for (const width of [390, 1280]) {
    it(`draws a year without payments as a gap in the chart and a column in the table (${width} px)`, async () => {
      const years = new Map<string, Set<string>>();
      for (const r of await recipientRows()) years.set(r.key, (years.get(r.key) ?? new Set()).add(r.financial_year));
      const start = (fy: string) => Number(fy.slice(0, 4));
      const gapped = [...years].map(([key, ys]) => {
        const starts = [...ys].map(start);
        const all: string[] = [];
        for (let y = Math.min(...starts); y <= Math.max(...starts); y++) all.push(`${y}-${String((y + 1) % 100).padStart(2, "0")}`);
        return {key, gaps: all.filter((fy) => !ys.has(fy))};
      }).find((d) => d.gaps.length > 0);
      expect(gapped, "an organisation with a year between payments").toBeDefined();
      const p = await session!.context.newPage();
      try {
        await p.setViewportSize({width, height: 900});
        await p.goto(`${server!.url}recipients?org=${encodeURIComponent(gapped!.key)}`, {waitUntil: "load"});
        const marks = p.locator("figure svg text[aria-label$=': no payments']");
        await expect.poll(() => marks.count(), {timeout: 60_000}).toBe(gapped!.gaps.length);
        expect(await marks.evaluateAll((ts) => ts.map((t) => t.getAttribute("aria-label")!.split(":")[0]))).toEqual(gapped!.gaps);
        const ticks = await p.locator("figure svg g[aria-label='x-axis tick label'] text").allTextContents();
        for (const fy of gapped!.gaps) expect(ticks).toContain(fy);
        const heads = await p.locator("[data-testid=recipient-table] thead th").allTextContents();
        for (const fy of gapped!.gaps) expect(heads).toContain(fy);
      } finally {
        await p.close();
      }
    });
  }

  it("finds Age UK and shows the councils that pay it, by year", async () => {
    await search("Age UK");
    const first = page!.locator("form table tbody tr").first();
    await expect.poll(() => first.textContent()).toMatch(/age uk/i);
    // The first match's details follow once typing pauses (a quarter of a second).
    await expect.poll(async () => (await page!.locator("[data-testid=recipient-name]").textContent())?.toLowerCase(), {timeout: 30_000}).toContain("age uk");
    await page!.locator("[data-testid=recipient-table] tbody tr").first().waitFor({state: "visible"});
    expect(await page!.locator("[data-testid=recipient-table] tbody tr").count()).toBeGreaterThan(0);
    await page!.locator("figure svg rect").first().waitFor({state: "attached"});
    await mkdir(join(OUTPUT, "screenshots"), {recursive: true});
    const path = join(OUTPUT, "screenshots", "recipients.png");
    await page!.screenshot({path, fullPage: true});
    expect((await stat(path)).size).toBeGreaterThan(10_000);
  });

  it("treats a quote and a semicolon as text: no error, no match, and the index is still there", async () => {
    await search("'; DROP TABLE recipients; --");
    expect(await page!.locator("[data-testid=recipients-status]").textContent()).toContain("No organisation’s name contains");
    await search("O'Brien\"; SELECT 1; --");
    await search("Age UK");
    expect(await page!.locator("form table tbody tr").count()).toBeGreaterThan(0);
  });

  it("opens on the organisation named in the address (?org=)", async () => {
    const p = await session!.open(`${server!.url}recipients?org=${encodeURIComponent("AGE UK")}`, {waitFor: "[data-testid=recipient-name]", timeout: 90_000});
    try {
      expect((await p.locator("[data-testid=recipient-name]").textContent())?.toLowerCase()).toContain("age uk");
    } finally {
      await p.close();
    }
  });

  it("logs no console errors and makes no request that leaves 127.0.0.1", () => {
    expect(session!.externalRequests).toEqual([]);
    expect(session!.failedRequests).toEqual([]);
    expect(session!.consoleErrors).toEqual([]);
  });
});
