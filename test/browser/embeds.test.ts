/**
 * Every "Copy embed code" button on the overview, Compare and each council page gives an iframe of a
 * chart-only page (under /embed/, with the council and chart, trend or services, in the address for a council's chart), and that
 * page, at every width from 320 to 800 px, shows its title (with the council's name), a source line and a date
 * inside the height the snippet gives it.
 */
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {assertChromium, redrawnAt} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {ROOT} from "./council-build.ts";
import {manifests, referenceCouncils} from "./store-years.ts";

const WIDTHS = [320, 390, 560, 800];

interface Snippet {
  from: string;
  src: URL;
  height: number;
}

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("embed snippets point at chart-only pages that fit them", () => {
  const site = builtSite();
  const names = new Map(referenceCouncils(ROOT).map((c) => [c.code, c.name]));
  const councils = manifests(ROOT).map((m) => m.council.code);
  const snippets: Snippet[] = [];

  /** Clicks every embed button on a page and reads the snippet it shows. */
  async function collect(page: Page, from: string): Promise<Snippet[]> {
    const buttons = page.locator("button[data-export=embed]");
    const found: Snippet[] = [];
    for (let i = 0; i < (await buttons.count()); i++) {
      const toolbar = page.locator("[role=toolbar]", {has: page.locator("button[data-export=embed]")}).nth(i);
      await toolbar.locator("button[data-export=embed]").click();
      const box = toolbar.locator("textarea.export-snippet");
      await expect.poll(() => box.inputValue()).toMatch(/^<iframe /);
      const text = await box.inputValue();
      const src = /src="([^"]+)"/.exec(text)![1]!.replaceAll("&amp;", "&");
      found.push({from, src: new URL(src), height: Number(/height="(\d+)"/.exec(text)![1])});
    }
    return found;
  }

  it("on the overview, Compare and every council page, each embed button gives a chart-only page", async () => {
    const pages: [string, string][] = [
      ["", "[data-testid=chart-spending] svg"],
      ["compare?councils=E08000009,E07000120&metric=cash", "[data-testid=compare-chart] svg"],
      ...councils.map((code): [string, string] => [`council/${code}`, "[data-testid=council-headline]"])
    ];
    for (const [path, waitFor] of pages) {
      const page = await site.session.open(site.url + path, {waitFor});
      try {
        await page.locator(waitFor).first().waitFor({state: "visible"});
        const found = await collect(page, path);
        if (path === "" || path.startsWith("compare")) expect(found.length, path).toBeGreaterThan(0);
        for (const s of found) {
          expect(s.src.pathname, `${path}: ${s.src.href}`).toMatch(/^\/embed\//);
          if (path.startsWith("council/")) {
            const code = path.split("/")[1]!;
            expect(s.src.pathname).toBe(`/embed/council/${code}`);
            expect(["trend", "services"]).toContain(s.src.searchParams.get("chart"));
          }
        }
        snippets.push(...found);
      } finally {
        await page.close();
      }
    }
    // Each council page embeds its trend, and its grants chart where it paid the VCSE sector.
    const councilEmbeds = snippets.filter((s) => s.src.pathname.startsWith("/embed/council/"));
    expect(councilEmbeds.filter((s) => s.src.searchParams.get("chart") === "trend").length).toBe(councils.length);
    expect(councilEmbeds.filter((s) => s.src.searchParams.get("chart") === "services").length).toBeGreaterThan(0);
  }, 240_000);

  it("each embed page shows its title, source line and date within the snippet's height at 320 to 800 px", async () => {
    expect(snippets.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const s of snippets) {
      const key = s.src.pathname + s.src.search;
      if (seen.has(key)) continue;
      seen.add(key);
      // One load per page, at the narrowest width; each wider one is the same page resized, measured once its chart
      // is drawn again for the new width (Framework's resize() replaces the chart when its container's width changes).
      const errorsBefore = site.session.consoleErrors.length;
      const page = await site.session.context.newPage();
      try {
        const figure = page.locator("[data-testid=embed-figure]");
        for (const [i, width] of WIDTHS.entries()) {
          if (i === 0) {
            await page.setViewportSize({width, height: 100});
            await page.goto(site.url + key.slice(1), {waitUntil: "load"});
            await figure.locator("svg").first().waitFor({state: "attached", timeout: 30_000});
            await page.waitForLoadState("networkidle");
          } else {
            await redrawnAt(page, "[data-testid=embed-figure]", {width, height: 100});
          }
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          expect(height, `${key} at ${width} px`).toBeLessThanOrEqual(s.height);
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(scrollWidth, `${key} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
          const text = await figure.innerText();
          expect(text).toMatch(/Source:/);
          expect(text).toMatch(/\b\d{1,2} [A-Z][a-z]+ 20\d\d\b/);
          const code = /^\/embed\/council\/(E\d{8})$/.exec(s.src.pathname)?.[1];
          if (code) expect(await figure.locator("h2").first().textContent()).toContain(names.get(code));
          expect(site.session.consoleErrors.slice(errorsBefore), `${key} at ${width} px`).toEqual([]);
        }
      } finally {
        await page.close();
      }
    }
  }, 300_000);
});
