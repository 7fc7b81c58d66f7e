/**
 * The Services page in Chromium, offline, at a phone's width and a desktop's: Trafford's VCSE money by payment
 * type matches the store's VCSE pounds per year (summed here from the payments), the service-group chart and
 * tables are drawn, the CSV download holds the rows of the table shown, and nothing leaves 127.0.0.1.
 */
import {readFile} from "node:fs/promises";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {countedSql, queryRows} from "../../pipeline/compact/query.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {BUILD_TIMEOUT_MS, ROOT, ensureBuilt} from "./council-build.ts";

const TRAFFORD = "E08000009";

describe.each([390, 1280])("Services page at %i px", (width) => {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    assertChromium();
    await ensureBuilt();
    server = await serveDist(`${ROOT}/dist`);
    session = await launchBrowser();
    page = await session.open(`${server.url}services?council=${TRAFFORD}`, {waitFor: "[data-testid=services-types-table] tbody tr", timeout: 90_000});
    await page.setViewportSize({width, height: 900});
  }, BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const cells = (testid: string) => page!.locator(`[data-testid=${testid}] tbody tr`).evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));

  it("shows Trafford's VCSE pounds per year as the store has them, split into grants, services and unknown", async () => {
    const stored = await queryRows(() => `
      SELECT financial_year, (sum(amount_pence) / 100)::DOUBLE AS pounds FROM (${countedSql(`${ROOT}/store`)})
      WHERE council_code = '${TRAFFORD}' AND sector = 'vcse' GROUP BY ALL HAVING sum(amount_pence) <> 0 ORDER BY 1`, `${ROOT}/store`);
    const shown = await cells("services-types-table");
    expect(shown.map((r) => r[0])).toEqual(stored.map((r) => r.financial_year));
    const toolbar = page!.getByRole("toolbar", {name: "Export: Trafford: VCSE money by payment type"});
    const [download] = await Promise.all([page!.waitForEvent("download"), toolbar.locator("button[data-export=csv]").click()]);
    const [header, ...lines] = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "").trim().split("\r\n").map((l) => l.split(","));
    expect(header!.slice(0, 5)).toEqual(["Financial year", "VCSE (£)", "Grants (£)", "Payments for services (£)", "Unknown (£)"]);
    expect(lines.map((l) => l[0])).toEqual(shown.map((r) => r[0]));
    for (const [i, l] of lines.entries()) {
      expect(Number(l[1])).toBeCloseTo(stored[i]!.pounds as number, 2);
      expect(Number(l[2]) + Number(l[3]) + Number(l[4])).toBeCloseTo(Number(l[1]), 2);
    }
    expect(lines.some((l) => Number(l[2]) > 0) && lines.some((l) => Number(l[3]) > 0)).toBe(true);
  });

  it("draws supplier spending by service group and sector, with the comparison and the unmapped areas", async () => {
    await page!.locator("[data-testid=services-sector-chart] svg rect").first().waitFor({state: "attached"});
    const groups = (await cells("services-compare-table")).map((r) => r[0]);
    expect(groups).toContain("Adult social care");
    expect(groups).toContain("Unmapped");
    expect((await cells("services-unmapped-table")).length).toBeGreaterThan(0);
    const [svg] = await Promise.all([
      page!.waitForEvent("download"),
      page!.getByRole("toolbar", {name: "Export: Trafford: supplier spending by service and sector"}).locator("button[data-export=svg]").click()
    ]);
    expect(await readFile((await svg.path())!, "utf8")).toContain("Trafford: supplier spending by service and sector");
  });

  it("fits the width and keeps to the machine", async () => {
    const overflow = await page!.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(session!.externalRequests).toEqual([]);
    expect(session!.consoleErrors).toEqual([]);
  });
});
