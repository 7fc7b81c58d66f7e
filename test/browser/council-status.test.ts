/**
 * The Data page's table of every English council, at 390 and 1280 px: one row per council of the reference list,
 * the councils whose payments are in the store marked so (counted here from the store's state.json), sorting by a
 * heading, filtering by name and status, and no sideways scrolling, of the page or of the table's own box.
 */
import {mkdir, readFile} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {OUTPUT, ROOT} from "./council-build.ts";
import {englishCouncilsToday, referenceCouncils} from "./store-years.ts";

const WIDTHS = [390, 1280];
const TABLE = "[data-testid=council-status-table]";

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("every English council on the Data page", () => {
  /** English councils with kept rows in the store the site was built from. */
  let inStore: Set<string>;

  const site = builtSite(async () => {
    const state = JSON.parse(await readFile(join(ROOT, "store", "state.json"), "utf8")) as {files: Record<string, {report: {council: string; kept: number}}>};
    // Today's councils, as englishCouncilsToday counts them: an abolished council's data is in the store, not in this table.
    const today = new Set(referenceCouncils(ROOT).filter((c) => c.nation === "England" && !c.ended && !["COMB", "SRA", "GLA"].includes(c.type)).map((c) => c.code));
    inStore = new Set(Object.values(state.files).filter((f) => f.report.kept > 0 && today.has(f.report.council)).map((f) => f.report.council));
  });

  async function open(width: number): Promise<Page> {
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    await page.goto(`${site.url}data`, {waitUntil: "load", timeout: 60_000});
    await page.locator(`${TABLE} tbody tr`).first().waitFor({state: "attached", timeout: 90_000});
    return page;
  }

  const rows = (page: Page) => page.locator(`${TABLE} tbody tr`).evaluateAll((trs) => trs.map((tr) => ({code: (tr as HTMLElement).dataset.code!, status: (tr as HTMLElement).dataset.status!, name: tr.querySelector("th")!.firstChild!.textContent!, text: (tr as HTMLElement).innerText})));

  for (const width of WIDTHS) {
    it(`lists each of England's councils with its status, sorts and filters, and fits ${width} px`, async () => {
      const page = await open(width);
      try {
        const all = await rows(page);
        expect(all).toHaveLength(englishCouncilsToday(ROOT));
        expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
        expect(all.filter((r) => r.status === "in_data").map((r) => r.code).sort()).toEqual([...inStore].sort());
        // Every council with data names its years and latest month; every other says why not.
        for (const r of all) expect(r.text, r.code).toMatch(r.status === "in_data" ? /\d{4}-\d{2}.*latest \w+ \d{4}/s : /known|manifest|found|failed|discovered/i);
        const names = all.map((r) => r.name);
        expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

        // Nothing wider than the screen: not the page, not the table inside its box.
        const fit = await page.evaluate((sel) => {
          const table = document.querySelector(sel)!;
          const box = table.parentElement!;
          return {table: table.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth, client: document.documentElement.clientWidth};
        }, TABLE);
        expect(fit.table).toBeLessThanOrEqual(fit.box);
        expect(fit.page).toBeLessThanOrEqual(fit.client);
        await mkdir(join(OUTPUT, "screenshots"), {recursive: true});
        await page.locator("[data-testid=council-status-search]").scrollIntoViewIfNeeded();
        await page.screenshot({path: join(OUTPUT, "screenshots", `data-council-status-${width}.png`)});

        // Sorted by the "Data" heading: councils with data first; clicked again, those with no source known first.
        const dataHeading = page.locator(`${TABLE} thead th`).nth(1);
        await dataHeading.locator("button").click();
        await expect.poll(() => dataHeading.getAttribute("aria-sort")).toBe("ascending");
        const byData = await rows(page);
        expect(byData.slice(0, inStore.size).every((r) => r.status === "in_data")).toBe(true);
        await dataHeading.locator("button").click();
        await expect.poll(() => dataHeading.getAttribute("aria-sort")).toBe("descending");
        expect((await rows(page))[0]!.status).toBe("no_source");

        // Filtered by status, then by name.
        const noSource = all.filter((r) => r.status === "no_source").length;
        await page.locator("[data-testid=council-status-filter]").selectOption("no_source");
        await expect.poll(async () => (await rows(page)).length).toBe(noSource);
        expect((await rows(page)).every((r) => r.status === "no_source")).toBe(true);
        expect(await page.locator("[data-testid=council-status-shown]").textContent()).toBe(`Showing ${noSource} of ${all.length} councils.`);
        await page.locator("[data-testid=council-status-filter]").selectOption("");
        const first = [...inStore][0]!;
        const name = all.find((r) => r.code === first)!.name;
        await page.locator("[data-testid=council-status-search]").fill(name.slice(0, 6).toLowerCase());
        await expect.poll(async () => (await rows(page)).every((r) => r.name.toLowerCase().includes(name.slice(0, 6).toLowerCase()))).toBe(true);
        expect((await rows(page)).map((r) => r.code)).toContain(first);
      } finally {
        await page.close();
      }
    });
  }
});
