/**
 * Compare at 390 and 1280 px, against the store's council-years worked out independently (store-years.ts): a
 * warning when the chosen councils share no full year (and the shared years named when they do); each line
 * labelled at its last full-year point; no repeated axis tick labels for any measure; a peer group's median with
 * one member set against it; a title and subtitle that name the councils and years drawn; an exported chart that
 * carries its source line once (SVG, and a PNG of the same layout).
 */
import {readFile} from "node:fs/promises";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {ROOT} from "./council-build.ts";
import {storeYears, type StoreYear} from "./store-years.ts";

const TRAFFORD = "E08000009";
const OXFORD = "E07000178";
const HYNDBURN = "E07000120";
const WAKEFIELD = "E08000036";

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe.each([390, 1280])("Compare at %i px", (width) => {
  let years: StoreYear[] = [];
  const site = builtSite(async () => {
    years = await storeYears(ROOT);
  });

  async function open(search: string): Promise<Page> {
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    await page.goto(`${site.url}compare${search}`, {waitUntil: "load"});
    await page.locator("[data-testid=compare-chart] svg g[aria-label=text] text").first().waitFor({state: "attached", timeout: 90_000});
    return page;
  }
  const full = (code: string) => years.filter((y) => y.council_code === code && y.months === 12).map((y) => y.financial_year).sort();

  it("warns when the chosen councils share no full year, and names the years they share otherwise", async () => {
    expect(full(TRAFFORD).filter((fy) => full(OXFORD).includes(fy))).toEqual([]);
    const apart = await open(`?councils=${TRAFFORD},${OXFORD}&metric=cash`);
    try {
      await apart.locator("[data-testid=compare-no-shared-year]").waitFor({state: "visible"});
      expect(await apart.locator("[data-testid=compare-shared-years]").count()).toBe(0);
    } finally {
      await apart.close();
    }
    const shared = full(TRAFFORD).filter((fy) => full(HYNDBURN).includes(fy));
    expect(shared.length).toBeGreaterThan(0);
    const together = await open(`?councils=${TRAFFORD},${HYNDBURN}&metric=cash`);
    try {
      const line = await together.locator("[data-testid=compare-shared-years]").textContent();
      expect(line!.match(/\d{4}-\d{2}/g)).toEqual(shared);
      expect(await together.locator("[data-testid=compare-no-shared-year]").count()).toBe(0);
    } finally {
      await together.close();
    }
  });

  it("labels each line at its council's last full-year point, not at a later part year", async () => {
    const page = await open(`?councils=${TRAFFORD},${OXFORD},${HYNDBURN}&metric=share`);
    try {
      const labels = await page.locator("[data-testid=compare-chart] svg").first().evaluate((svg) => {
        const x = (el: Element) => Number(/translate\(([-\d.]+)/.exec(el.getAttribute("transform") ?? "")?.[1] ?? el.getAttribute("cx"));
        const fullDots = [...svg.querySelectorAll("g[aria-label=dot] circle")].filter((c) => /\n12 of 12 months/.test(c.querySelector("title")?.textContent ?? ""));
        return [...svg.querySelectorAll("g[aria-label=text] text")].map((t) => {
          const mine = fullDots.filter((c) => c.querySelector("title")!.textContent!.startsWith(`${t.textContent}, `));
          return {name: t.textContent, at: x(t), lastFull: Math.max(...mine.map((c) => Number(c.getAttribute("cx")))), years: mine.map((c) => /, (\d{4}-\d{2})/.exec(c.querySelector("title")!.textContent!)![1])};
        });
      });
      expect(labels.map((l) => l.name).sort()).toEqual(["Hyndburn", "Oxford", "Trafford"]);
      for (const l of labels) expect(l.at, l.name!).toBeCloseTo(l.lastFull, 1);
      // Each council's last full year in the store is the last labelled one; Oxford and Hyndburn end on a part year.
      const code = {Hyndburn: HYNDBURN, Oxford: OXFORD, Trafford: TRAFFORD} as Record<string, string>;
      for (const l of labels) expect(l.years.sort().at(-1)).toBe(full(code[l.name!]!).at(-1));
      expect(years.some((y) => y.council_code === OXFORD && y.months > 0 && y.months < 12 && y.financial_year > full(OXFORD).at(-1)!)).toBe(true);
    } finally {
      await page.close();
    }
  });

  for (const metric of ["cash", "real", "per_resident", "share"]) {
    it(`repeats no axis tick label (${metric})`, async () => {
      for (const councils of [`${TRAFFORD},${OXFORD},${HYNDBURN}`, WAKEFIELD, `${TRAFFORD},${WAKEFIELD}`]) {
        const page = await open(`?councils=${councils}&metric=${metric}`);
        try {
          for (const axis of ["y-axis", "x-axis"]) {
            const ticks = await page.locator(`[data-testid=compare-chart] svg g[aria-label="${axis} tick label"] text`).allTextContents();
            expect(ticks.length, `${councils} ${axis}`).toBeGreaterThan(1);
            expect(new Set(ticks).size, `${councils} ${axis}: ${ticks.join(" ")}`).toBe(ticks.length);
          }
        } finally {
          await page.close();
        }
      }
    });
  }

  it("shows a peer group's median, with the chosen member against it, and a title and subtitle that agree with the lines", async () => {
    const page = await open(`?type=Metropolitan+district&region=&council=${TRAFFORD}&metric=share`);
    try {
      await expect.poll(() => page.locator("[data-testid=compare-chart]").getAttribute("data-highlight")).toBe(TRAFFORD);
      expect(await page.locator("[data-testid=peer-council]").inputValue()).toBe(TRAFFORD);
      const labels = await page.locator("[data-testid=compare-chart] svg g[aria-label=text] text").allTextContents();
      expect(labels.sort()).toEqual(["Median", "Trafford"]);
      const members = ((await page.locator("[data-testid=compare-chart]").getAttribute("data-councils")) ?? "").split(",");
      // The median of the members' VCSE shares in each year where they have 12 months, from the store.
      const expected = new Map<string, {median: number; n: number}>();
      for (const fy of [...new Set(years.map((y) => y.financial_year))]) {
        const shares = years.filter((y) => members.includes(y.council_code) && y.financial_year === fy && y.months === 12 && y.non_public > 0).map((y) => y.vcse / y.non_public).sort((a, b) => a - b);
        if (shares.length) expected.set(fy, {median: shares.length % 2 ? shares[(shares.length - 1) / 2]! : (shares[shares.length / 2 - 1]! + shares[shares.length / 2]!) / 2, n: shares.length});
      }
      const rows = await page.locator("[data-testid=compare-table] tbody tr").evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));
      const medians = rows.filter((r) => r[0]!.startsWith("Median"));
      expect(medians.map((r) => r[1]).sort()).toEqual([...expected.keys()].sort());
      for (const r of medians) {
        const e = expected.get(r[1]!)!;
        expect(r[0]).toContain(`(${e.n} ${e.n === 1 ? "council" : "councils"})`);
        expect(r[3]).toBe(`${(100 * e.median).toFixed(1)}%`);
      }
      const title = await page.locator("[data-testid=compare-chart] h2").textContent();
      const subtitle = (await page.locator("[data-testid=compare-chart] h3").textContent())!;
      expect(title).toContain("with Trafford");
      const drawn = new Set(rows.filter((r) => !r[0]!.startsWith("Median")).map((r) => r[0]));
      expect(subtitle).toContain(`${drawn.size} councils with data`);
      const spanYears = rows.filter((r) => !r[0]!.startsWith("Median")).map((r) => r[1]!).sort();
      expect(subtitle).toContain(`${spanYears[0]} to ${spanYears.at(-1)}`);
    } finally {
      await page.close();
    }
  });

  it("names in the title each chosen council drawn, and in the subtitle how many and which years", async () => {
    const page = await open(`?councils=${TRAFFORD},${HYNDBURN}&metric=cash&from=2020-21&to=2026-27`);
    try {
      const title = (await page.locator("[data-testid=compare-chart] h2").textContent())!;
      expect(title).toBe("VCSE spending, cash: Hyndburn, Trafford");
      const drawn = years.filter((y) => [TRAFFORD, HYNDBURN].includes(y.council_code) && y.months > 0 && y.financial_year >= "2020-21" && y.financial_year <= "2026-27").map((y) => y.financial_year).sort();
      const subtitle = (await page.locator("[data-testid=compare-chart] h3").textContent())!;
      expect(subtitle).toContain(`2 councils with data, ${drawn[0]} to ${drawn.at(-1)}`);
    } finally {
      await page.close();
    }
  });

  it("exports the chart with its source line once", async () => {
    const page = await open(`?councils=${TRAFFORD},${HYNDBURN}&metric=cash`);
    try {
      const toolbar = page.locator("[role=toolbar]").first();
      const [svg] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=svg]").click()]);
      const text = await readFile((await svg.path())!, "utf8");
      const texts = [...text.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
      expect(texts.filter((t) => /Source/i.test(t))).toHaveLength(1);
      const svgHeight = Number(/<svg[^>]* height="(\d+)"/.exec(text)![1]);
      const [png] = await Promise.all([page.waitForEvent("download"), toolbar.locator("button[data-export=png]").click()]);
      const bytes = await readFile((await png.path())!);
      // The PNG is the same layout drawn at twice the scale: its height (IHDR) is twice the SVG's.
      expect(bytes.readUInt32BE(20)).toBe(2 * svgHeight);
    } finally {
      await page.close();
    }
  });

  it("fits the screen and keeps to the machine", async () => {
    const page = await open(`?type=Metropolitan+district&region=&council=${TRAFFORD}&metric=share`);
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
    expect(site.session.externalRequests).toEqual([]);
    expect(site.session.consoleErrors).toEqual([]);
  });
});
