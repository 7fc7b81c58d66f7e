/**
 * Phone width: at 390 px no page scrolls sideways; a table wider than the screen scrolls inside its own box
 * (overflow-x: auto), not the page. Checked at 1280 px too. Each page is measured once the element that made
 * it wide (a table, a control) is on the page.
 */
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {ROOT} from "./council-build.ts";
import {manifests} from "./store-years.ts";

const WIDTHS = [390, 1280];
/** Each page with the elements whose arrival completes its layout. */
const PAGES: Array<[string, string[]]> = [
  ["", ["[data-testid=headline-figure]"]],
  ["compare", ["[data-testid=council-search]", "[data-testid=compare-table] tbody tr"]],
  ["councils", ["#observablehq-main table, #observablehq-main form"]],
  ["data", ["[data-testid=staleness-table] tbody tr", "[data-testid=downloads] tbody tr"]],
  ["recipients", ["[data-testid=recipient-table] tbody tr"]],
  ["methodology", ["#observablehq-main h2"]],
  // Every council page: the service-area and recipient tables are the widest there.
  ...manifests(ROOT).map((m): [string, string[]] => [`council/${m.council.code}`, ["[data-testid=headline-figure]", "#observablehq-main table tbody tr"]])
];

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("no page scrolls sideways", () => {
  const site = builtSite();

  async function open(path: string, width: number, waitFor: string[]): Promise<Page> {
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    await page.goto(site.url + path, {waitUntil: "load", timeout: 60_000});
    for (const selector of waitFor) await page.locator(selector).first().waitFor({state: "attached", timeout: 90_000});
    return page;
  }

  /** Elements reaching past the viewport's right edge that no scrolling box holds. */
  const overflowing = (page: Page) =>
    page.evaluate(() => {
      const held = (el: Element) => {
        for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
          if (["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX)) return true;
        }
        return false;
      };
      const edge = document.documentElement.clientWidth;
      return [...document.querySelectorAll("#observablehq-main *")]
        .filter((el) => el.getBoundingClientRect().right > edge + 1 && !held(el))
        .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : ""}`)
        .slice(0, 5);
    });

  for (const width of WIDTHS) {
    for (const [path, waitFor] of PAGES) {
      it(`/${path} at ${width} px is no wider than the screen`, async () => {
        const page = await open(path, width, waitFor);
        try {
          expect(await overflowing(page)).toEqual([]);
          const {scroll, client} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth}));
          expect(scroll).toBeLessThanOrEqual(client);
        } finally {
          await page.close();
        }
      }, 120_000);
    }
  }

  it("holds a table wider than a phone in a box that scrolls, not the page (recipients at 390 px)", async () => {
    const page = await open("recipients", 390, ["[data-testid=recipient-table] tbody tr"]);
    try {
      const box = await page.locator("[data-testid=recipient-table]").evaluate((table) => {
        const parent = table.parentElement!;
        return {table: table.getBoundingClientRect().width, box: parent.clientWidth, overflow: getComputedStyle(parent).overflowX};
      });
      expect(box.table).toBeGreaterThan(box.box);
      expect(box.overflow).toBe("auto");
    } finally {
      await page.close();
    }
  }, 120_000);

  it("logs no console errors and makes no request that leaves 127.0.0.1", () => {
    expect(site.session.externalRequests).toEqual([]);
    expect(site.session.consoleErrors).toEqual([]);
  });
});
