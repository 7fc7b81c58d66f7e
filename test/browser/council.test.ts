/**
 * Every council page and the Councils page in Chromium, offline: each loads with no console error and no
 * request leaving 127.0.0.1; Trafford's and Wakefield's headline equals the figure worked out straight from
 * the store (test/council-oracle.ts); screenshots go to test-output/screenshots/.
 */
import {readFileSync, readdirSync} from "node:fs";
import {mkdir, readFile, stat, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {csvParseRows} from "d3-dsv";
import {afterAll, describe, expect, it} from "vitest";
import {countedSql, queryRows} from "../../pipeline/compact/query.ts";
import {formatPence, oracleHeadline} from "../council-oracle.ts";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {OUTPUT, ROOT} from "./council-build.ts";

const councils: {code: string; name: string}[] = readdirSync(join(ROOT, "data/sources"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(ROOT, "data/sources", f), "utf8")).council);

const CHECKED = ["E08000009", "E08000036"];

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("council pages in Chromium, offline", () => {
  const site = builtSite();
  const timings: Record<string, {headline: number; chart: number | null; seenByTest: number}> = {};

  afterAll(async () => {
    if (Object.keys(timings).length) {
      await mkdir(OUTPUT, {recursive: true});
      await writeFile(join(OUTPUT, "council-timings.json"), JSON.stringify(timings, null, 2) + "\n");
    }
  });

  async function screenshot(page: Page, name: string): Promise<void> {
    await mkdir(join(OUTPUT, "screenshots"), {recursive: true});
    const path = join(OUTPUT, "screenshots", `${name}.png`);
    await page.screenshot({path, fullPage: true});
    expect((await stat(path)).size).toBeGreaterThan(10_000);
  }

  it("has a page per council in data/sources", () => {
    expect(councils.length).toBeGreaterThan(0);
  });

  for (const {code, name} of councils) {
    it(`${code} ${name}: loads offline with its headline, notes and sources and no errors`, async () => {
      const errorsBefore = site.session.consoleErrors.length;
      const started = performance.now();
      // ?bench: the page writes its timing marks (data-rendered-ms), read below.
      const page = await site.session.open(`${site.url}council/${code}?bench`, {waitFor: "[data-testid=council-headline]"});
      const seenByTest = Math.round(performance.now() - started);
      try {
        await expect.poll(() => page.locator("[data-testid=council-name]").textContent()).toBe(name);
        await page.locator("[data-testid=council-sources]").waitFor({state: "attached"});
        await page.locator("[data-testid=council-notes] li").first().waitFor({state: "attached"});
        const headline = page.locator("[data-testid=council-headline]");
        const year = await headline.getAttribute("data-year");
        let chart: number | null = null;
        if (year) {
          await page.locator("[data-testid=council-trend] figure svg rect").first().waitFor({state: "attached", timeout: 30_000});
          chart = Number(await page.locator("[data-testid=council-trend]").getAttribute("data-rendered-ms"));
        }
        timings[code] = {headline: Number(await headline.getAttribute("data-rendered-ms")), chart, seenByTest};
        // No individual's name: the recipients table lists VCSE organisations only, never a redacted label.
        const names = await page.locator("[data-testid=council-recipients] tbody th").allTextContents();
        for (const n of names) expect(n).not.toMatch(/redacted|personal data/i);
        await page.waitForLoadState("networkidle");
        expect(site.session.externalRequests).toEqual([]);
        expect(site.session.failedRequests).toEqual([]);
        expect(site.session.consoleErrors.slice(errorsBefore)).toEqual([]);
        if (code === "E08000009") await screenshot(page, `council-${code}`);
      } finally {
        await page.close();
      }
    });
  }

  for (const code of CHECKED) {
    it(`${code}: the headline equals the last full year's VCSE spending worked out from the store`, async () => {
      const expected = await oracleHeadline(code, join(ROOT, "store"), join(ROOT, "data"));
      expect(expected.year, `${code} has no full year in the store`).not.toBeNull();
      const page = await site.session.open(`${site.url}council/${code}`, {waitFor: "[data-testid=council-headline]"});
      try {
        const headline = page.locator("[data-testid=council-headline]");
        expect(await headline.getAttribute("data-year")).toBe(expected.year);
        expect(await headline.getAttribute("data-months")).toBe("12");
        expect(Math.round(Number(await headline.getAttribute("data-amount")) * 100)).toBe(Number(expected.vcse_pence));
        expect((await page.locator("[data-testid=headline-figure]").textContent())?.trim()).toBe(formatPence(expected.vcse_pence!));
      } finally {
        await page.close();
      }
    });
  }

  for (const code of CHECKED) {
    it(`${code}: the largest recipients say what each is classified on, and the download holds every recipient, as the store has them`, async () => {
      const page = await site.session.open(`${site.url}council/${code}`, {waitFor: "[data-testid=council-recipients] tbody tr"});
      try {
        const evidence = await page.locator("[data-testid=council-recipients] tbody td.evidence").allTextContents();
        expect(evidence.length).toBe(await page.locator("[data-testid=council-recipients] tbody tr").count());
        for (const e of evidence) expect(e).toMatch(/^(?:Register number|Name in|Name rule|A name cut short|Most of its pounds coded|The council’s own label|Reviewed by hand)/);
        const stored = await queryRows(() => `
          SELECT count(DISTINCT supplier_key)::INTEGER AS recipients, (sum(amount_pence) / 100)::DOUBLE AS pounds
          FROM (${countedSql(join(ROOT, "store"))}) WHERE council_code = '${code}' AND sector = 'vcse' AND NOT redacted`, join(ROOT, "store"));
        const toolbar = page.getByRole("toolbar", {name: /VCSE recipients by financial year$/});
        const [download] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=csv]").click()]);
        const [header, ...lines] = csvParseRows((await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "").trim());
        expect(header!.slice(0, 4)).toEqual(["Organisation", "Kind", "Classified on", "Register id, name or rule matched"]);
        expect(lines.length).toBe(stored[0]!.recipients);
        const pence = lines.reduce((sum, l) => sum + l.slice(4).reduce((s, x) => s + Math.round(Number(x || 0) * 100), 0), 0);
        expect(pence).toBe(Math.round(Number(stored[0]!.pounds) * 100));
      } finally {
        await page.close();
      }
    });
  }

  it("prints: navigation and controls hidden, title, headline, chart, notes and sources kept", async () => {
    const page = await site.session.open(`${site.url}council/E08000009`, {waitFor: "[data-testid=council-headline]"});
    try {
      await page.emulateMedia({media: "print"});
      for (const hidden of ["#observablehq-sidebar", ".export-toolbar", "form"]) {
        for (const el of await page.locator(hidden).all()) expect(await el.isVisible(), hidden).toBe(false);
      }
      for (const kept of ["[data-testid=council-name]", "[data-testid=council-headline]", "[data-testid=council-trend] svg", "[data-testid=council-notes]", "[data-testid=council-sources]", ".print-only"]) {
        expect(await page.locator(kept).first().isVisible(), kept).toBe(true);
      }
    } finally {
      await page.close();
    }
  });

  it("embeds the trend chart alone, with its source line (?embed=trend)", async () => {
    const errorsBefore = site.session.consoleErrors.length;
    const page = await site.session.open(`${site.url}council/E08000036?embed=trend`, {waitFor: "[data-testid=council-embed-source]"});
    try {
      await page.locator("[data-testid=council-trend] figure svg rect").first().waitFor({state: "visible"});
      expect(await page.locator("[data-testid=council-embed-source]").isVisible()).toBe(true);
      expect(await page.locator("[data-testid=council-embed-source]").textContent()).toMatch(/Wakefield.*Source: .*Open Government Licence/);
      for (const hidden of ["[data-testid=council-name]", "[data-testid=council-headline]", "#observablehq-sidebar", ".export-toolbar", "[data-testid=council-notes]"]) {
        expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
      }
      await screenshot(page, "council-embed-E08000036");
      expect(site.session.consoleErrors.slice(errorsBefore)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("lists every council on the Councils page, each linking to its page", async () => {
    const errorsBefore = site.session.consoleErrors.length;
    const page = await site.session.open(`${site.url}councils`, {waitFor: "[data-testid=council-link]"});
    try {
      await expect.poll(() => page.locator("[data-testid=council-link]").count()).toBe(councils.length);
      const hrefs = await page.locator("[data-testid=council-link]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
      expect(hrefs.sort()).toEqual(councils.map((c) => `/council/${c.code}`).sort());
      // Sorting by a column heading works (Inputs.table sorts on click).
      await page.locator("th", {hasText: "VCSE spending"}).first().click();
      await screenshot(page, "councils");
      await page.locator("[data-testid=council-link]", {hasText: "Wakefield"}).click();
      await page.locator("[data-testid=council-headline]").waitFor({state: "attached"});
      expect(new URL(page.url()).pathname).toBe("/council/E08000036");
      expect(site.session.externalRequests).toEqual([]);
      expect(site.session.consoleErrors.slice(errorsBefore)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
