/**
 * The Recipients page in Chromium, offline: the search finds a known VCSE organisation and shows which
 * councils pay it; text that would break spliced SQL is only ever a bound parameter; nothing leaves 127.0.0.1.
 */
import {mkdir, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {BUILD_TIMEOUT_MS, DIST, OUTPUT, ensureBuilt} from "./council-build.ts";

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
