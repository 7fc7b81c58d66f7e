/**
 * Details a reader meets at 390 and 1280 px: an address the site does not have answers 404 with a page
 * that carries the site's navigation, and the first Tab on every page reaches a visible "Skip to content"
 * link that moves focus to the page's content.
 */
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import config from "../../observablehq.config.ts";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";

const WIDTHS = [390, 1280];
const NAV = config.pages.flatMap((p) => ("pages" in p ? p.pages : [p]));

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("404 page and skip link", () => {
  const site = builtSite();

  async function open(path: string, width: number): Promise<{page: Page; status: number | undefined}> {
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    const response = await page.goto(site.url + path, {waitUntil: "load", timeout: 60_000});
    return {page, status: response?.status()};
  }

  for (const width of WIDTHS) {
    it(`answers an unknown address with 404 and a page that links to every page of the site (${width} px)`, async () => {
      const {page, status} = await open("council/no-such-council/at-all", width);
      try {
        expect(status).toBe(404);
        await page.locator("h1").first().waitFor({state: "visible"});
        expect(await page.locator("h1").first().textContent()).toBe("Page not found");
        const hrefs = await page.locator("#observablehq-sidebar a").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
        for (const p of NAV) expect(hrefs).toContain(p.path);
        // The page's own links go to pages that exist, from any depth of address.
        for (const href of await page.locator("#observablehq-main a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) {
          const r = await page.request.get(href);
          expect(r.status(), href).toBe(200);
        }
      } finally {
        await page.close();
      }
    });

    for (const path of ["", "compare", "recipients", "council/E08000009"]) {
      it(`/${path}: the first Tab reaches a visible skip link that moves focus to the content (${width} px)`, async () => {
        const {page} = await open(path, width);
        try {
          await page.locator("#observablehq-main").waitFor({state: "attached"});
          await page.locator("a.skip-link").waitFor({state: "attached"});
          await page.keyboard.press("Tab");
          const focused = await page.evaluate(() => {
            const a = document.activeElement as HTMLAnchorElement;
            const r = a.getBoundingClientRect();
            return {text: a.textContent, href: a.getAttribute("href"), visible: r.width > 20 && r.height > 10 && r.top >= 0 && r.left >= 0 && r.right <= innerWidth};
          });
          expect(focused).toEqual({text: "Skip to content", href: "#observablehq-main", visible: true});
          await page.keyboard.press("Enter");
          await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("observablehq-main");
        } finally {
          await page.close();
        }
      });
    }
  }

  it("logs no console errors and makes no request that leaves 127.0.0.1", () => {
    expect(site.session.externalRequests).toEqual([]);
    // The 404 page's own request is the one failure.
    expect(site.session.consoleErrors.filter((e) => !/404/.test(e))).toEqual([]);
  });
});
