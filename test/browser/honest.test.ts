/**
 * What the built site claims, checked as a reader would meet it at phone (390 px) and desktop (1280 px)
 * width against figures worked out here from the payment store and the reference list (store-years.ts):
 * the overview's coverage of England's councils and its matched-set headline, change and year-on-year table;
 * ranks within one year; no guidance-test verdict across a manifest's comparability break; old data said to be
 * old next to the headline; and labels whose words match what the figure counts.
 */
import type {Page} from "playwright-core";
import {afterAll, describe, expect, it} from "vitest";
import {assertChromium} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {ROOT} from "./council-build.ts";
import {englishCouncilsToday, manifests, matchedSets, payeeMovements, referenceCouncils, storeYears, widestMatchedSet, type StoreYear} from "./store-years.ts";

const WIDTHS = [390, 1280];
/** The width the payee behind a council's change is read at. */
const PAYEE_WIDTH = 1280;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const monthName = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
const pounds = (x: number) => {
  const a = Math.abs(x);
  const s = a >= 1e9 ? `£${(a / 1e9).toFixed(2)}bn` : a >= 1e6 ? `£${(a / 1e6).toFixed(1)}m` : a >= 1e4 ? `£${(a / 1e3).toFixed(0)}k` : `£${Math.round(a).toLocaleString("en-GB")}`;
  return x < 0 ? `−${s}` : s;
};
const change = (x: number) => (x > 0 ? `+${(100 * x).toFixed(1)}%` : x < 0 ? `−${(-100 * x).toFixed(1)}%` : "0.0%");
/** Words no page may use: they describe a different figure from the one shown, or the page's machinery. */
const WRONG_WORDS = [/all suppliers/i, /spending on everything/i, /dark dashes/i, /DuckDB/i, /not recorded for this council/i];

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("the site tells the truth, at 390 and 1280 px", () => {
  let years: StoreYear[];
  const names = new Map(referenceCouncils(ROOT).map((c) => [c.code, c.name]));
  const types = new Map(referenceCouncils(ROOT).map((c) => [c.code, c.type]));
  const sources = manifests(ROOT);
  const site = builtSite(async () => {
    years = await storeYears(ROOT);
  });

  async function open(path: string, width: number, waitFor: string): Promise<Page> {
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    await page.goto(site.url + path, {waitUntil: "load", timeout: 60_000});
    await page.locator(waitFor).first().waitFor({state: "attached", timeout: 60_000});
    return page;
  }

  /** Council pages at 1280 px, kept open by the test that reads each of them for the one that reads them again. */
  const kept = new Map<string, Page>();
  afterAll(async () => {
    for (const page of kept.values()) await page.close();
  });

  const latestFull = (code: string) => years.filter((y) => y.council_code === code && y.months === 12).map((y) => y.financial_year).sort().at(-1) ?? null;

  for (const width of WIDTHS) {
    describe(`overview at ${width} px`, () => {
      it("says how many of England's councils it covers and names the matched set behind the headline and its change", async () => {
        const page = await open("", width, "[data-testid=headline] [data-testid=headline-figure]");
        try {
          const withData = new Set(years.map((y) => y.council_code));
          const statement = page.locator("[data-testid=coverage-statement]");
          await statement.waitFor({state: "visible"});
          expect(await statement.textContent()).toContain(`${withData.size} of ${englishCouncilsToday(ROOT)} English councils`);

          const m = widestMatchedSet(years)!;
          expect(m.councils.length).toBeGreaterThan(1);
          const headline = page.locator("[data-testid=headline]");
          expect(await headline.getAttribute("data-year")).toBe(m.year);
          expect((await headline.getAttribute("data-council-codes"))!.split(",").sort()).toEqual(m.councils);
          const coverage = (await page.locator("[data-testid=headline-coverage]").textContent())!;
          for (const code of m.councils) expect(coverage).toContain(names.get(code));
          expect(coverage).toContain(`both ${m.previous} and ${m.year}`);
          expect((await page.locator("[data-testid=headline-change]").textContent())!.trim()).toBe(change(m.vcse / m.vcse_previous - 1));
          // The share's label says what its denominator counts, and the figure is that denominator's share.
          const shareCard = page.locator(".card", {has: page.locator("[data-testid=headline-share]")});
          expect(await shareCard.locator("h2").textContent()).toContain("outside the public sector");
          expect((await page.locator("[data-testid=headline-share]").textContent())!.trim()).toBe(`${((100 * m.vcse) / m.non_public).toFixed(1)}%`);
          expect(await shareCard.locator("p").textContent()).toContain(`of the ${pounds(m.non_public)} paid to suppliers outside the public sector`);
          // Timing marks are the benchmark's (?bench): with the chart drawn, an ordinary visit has none.
          await page.locator("[data-testid=chart-spending] svg rect").first().waitFor({state: "attached"});
          expect(await page.locator("[data-rendered-ms], [data-first-chart-ms], [data-ready-ms]").count()).toBe(0);
        } finally {
          await page.close();
        }
      });

      it("gives each year's change over the councils in both years, and the chart the number of councils per year", async () => {
        const page = await open("", width, "[data-testid=matched-table] tbody tr");
        try {
          const expected = matchedSets(years);
          const rows = await page.locator("[data-testid=matched-table] tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));
          expect(rows.map((r) => r[0])).toEqual(expected.map((m) => m.year));
          rows.forEach((r, i) => {
            const m = expected[i]!;
            expect(Number(r[1])).toBe(m.councils.length);
            expect(r[2]).toBe(pounds(m.vcse_previous));
            expect(r[3]).toBe(pounds(m.vcse));
            expect(r[4]).toBe(change(m.vcse / m.vcse_previous - 1));
            expect(r[6]!.split(", ").sort()).toEqual(m.councils.map((c) => names.get(c)).sort());
          });
          // The numbers above the bars: councils with 12 months each year.
          const chart = page.locator("[data-testid=chart-spending] svg").first();
          await chart.locator("rect").first().waitFor({state: "attached"});
          const counts = await chart.locator("text").allTextContents();
          const full = new Map<string, number>();
          for (const y of years.filter((y) => y.months === 12)) full.set(y.financial_year, (full.get(y.financial_year) ?? 0) + 1);
          for (const n of full.values()) expect(counts).toContain(String(n));
          // The chart's export and embed say whose figures they are.
          const label = await page.locator("[role=toolbar]").first().getAttribute("aria-label");
          expect(label).toMatch(/\d+ of \d+ English councils/);
          const text = await page.locator("#observablehq-main").innerText();
          for (const wrong of WRONG_WORDS) expect(text).not.toMatch(wrong);
        } finally {
          await page.close();
        }
      });

      it("gives no guidance-test verdict across a manifest's comparability break, and says why", async () => {
        const page = await open("", width, "[data-testid=league-table] tbody tr");
        try {
          let checked = 0;
          for (const m of sources) {
            for (const b of m.comparability_breaks ?? []) {
              const year = latestFull(m.council.code);
              if (!year) continue;
              const y = Number(year.slice(0, 4));
              const spans = b.from > `${y - 1}-04` && b.from <= `${y + 1}-03`;
              const row = page.locator("[data-testid=league-table] tbody tr", {hasText: names.get(m.council.code)!});
              const verdict = (await row.locator("td").last().textContent())!;
              if (spans) {
                expect(verdict).toMatch(/^No verdict/);
                expect(verdict).toContain(b.reason);
                checked++;
              } else {
                expect(verdict).not.toMatch(/^No verdict/);
              }
            }
          }
          expect(checked, "a break spanning some council's latest two years").toBeGreaterThan(0);
        } finally {
          await page.close();
        }
      });

      it("embeds a chart that says whose figures it shows", async () => {
        const page = await open("embed/vcse-trend", width, "[data-testid=embed-figure] svg rect");
        try {
          const counted = new Set(years.filter((y) => y.months === 12).map((y) => y.council_code));
          expect(await page.locator("[data-testid=embed-figure] h2").textContent()).toContain(`${counted.size} of ${englishCouncilsToday(ROOT)} councils`);
          const whose = (await page.locator("[data-testid=embed-whose]").textContent())!;
          for (const code of counted) expect(whose).toContain(names.get(code));
        } finally {
          await page.close();
        }
      });
    });
  }

  for (const width of WIDTHS) {
    it(`council pages at ${width} px: ranks within one year, old data said to be old at the top, month spans and labels that match the data`, async () => {
      const today = new Date();
      let old = 0;
      let recent = 0;
      for (const m of sources) {
        const code = m.council.code;
        const page = await open(`council/${code}`, width, "[data-testid=council-headline]");
        try {
          await page.locator("[data-testid=council-sources]").waitFor({state: "attached"});
          const full = latestFull(code);
          // Ranks: only against councils of the same type with a full year in the same year.
          const rank = page.locator("[data-testid=headline-rank]");
          expect(await rank.getAttribute("data-year"), code).toBe(full ?? "");
          if (full) {
            const peers = sources.filter((p) => types.get(p.council.code) === types.get(code) && years.some((y) => y.council_code === p.council.code && y.financial_year === full && y.months === 12));
            const text = (await rank.textContent())!.trim();
            if (peers.length > 1) expect(text, code).toMatch(new RegExp(`^\\d+(st|nd|rd|th) of ${peers.length}$`));
            else expect(text, code).toBe("Not ranked");
          }
          // Old data: the latest full year (or latest year) ended more than two years ago.
          const own = years.filter((y) => y.council_code === code && y.months > 0).map((y) => y.financial_year).sort();
          const year = full ?? own.at(-1)!;
          const ended = new Date(Date.UTC(Number(year.slice(0, 4)) + 3, 2, 31));
          const warning = page.locator("[data-testid=old-data]");
          if (today > ended) {
            old++;
            await warning.waitFor({state: "visible"});
            expect(await warning.textContent()).toContain(year);
            const [w, h] = [await warning.boundingBox(), await page.locator("[data-testid=council-headline]").boundingBox()];
            expect(w!.y, `${code}: the warning sits above the headline`).toBeLessThan(h!.y);
            expect(h!.y - (w!.y + w!.height), `${code}: and next to it`).toBeLessThan(120);
          } else {
            recent++;
            expect(await warning.count(), code).toBe(0);
          }
          // A span of months that has gaps names them; the sources line ends at the last month with data.
          const card = (await page.locator("[data-testid=council-headline] .card").first().textContent())!;
          const span = /(\d+) months? of data \(([A-Z][a-z]+ \d{4}) to ([A-Z][a-z]+ \d{4})([^)]*)\)/.exec(card);
          if (span) {
            const [, n, a, b, rest] = span;
            const idx = (s: string) => Number(s.split(" ")[1]) * 12 + MONTHS.indexOf(s.split(" ")[0]!);
            const length = idx(b!) - idx(a!) + 1;
            if (Number(n) < length) expect(rest, code).toMatch(/no data for/);
            else expect(rest, code).toBe("");
          }
          const last = years.filter((y) => y.council_code === code && y.last_month).map((y) => y.last_month!).sort().at(-1)!;
          expect(await page.locator("[data-testid=council-sources]").textContent(), code).toContain(`to ${monthName(last)}`);
          const notes = (await page.locator("[data-testid=council-notes]").textContent())!;
          if (m.threshold === 0) expect(notes).toContain("publishes every payment, whatever its value");
          else if (m.threshold) expect(notes).toContain(`payments over £${m.threshold}`);
          const text = await page.locator("#observablehq-main").innerText();
          for (const wrong of WRONG_WORDS) expect(text, code).not.toMatch(wrong);
        } finally {
          if (width === PAYEE_WIDTH) kept.set(code, page);
          else await page.close();
        }
      }
      expect(old, "some council's data is old").toBeGreaterThan(0);
      expect(recent, "some council's data is recent").toBeGreaterThan(0);
    }, 300_000);
  }

  it("names the payee behind more than a quarter of a council's headline change in VCSE spending", async () => {
    let named = 0;
    const pairs: {code: string; from: string; to: string; change: number}[] = [];
    for (const m of sources) {
      const code = m.council.code;
      const full = latestFull(code);
      if (!full) continue;
      const start = Number(full.slice(0, 4)) - 1;
      const before = `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
      const [a, b] = [before, full].map((fy) => years.find((y) => y.council_code === code && y.financial_year === fy && y.months === 12));
      if (a && b) pairs.push({code, from: before, to: full, change: b.vcse - a.vcse});
    }
    const movements = await payeeMovements(ROOT, pairs);
    for (const {code, change} of pairs) {
      const top = movements.get(code)!.filter((p) => p.delta / change > 0.25).sort((x, y) => y.delta / change - x.delta / change)[0];
      const page = kept.get(code) ?? (await open(`council/${code}`, PAYEE_WIDTH, "[data-testid=council-headline]"));
      kept.delete(code);
      try {
        const line = page.locator("[data-testid=change-streams]");
        if (top) {
          await line.waitFor({state: "visible"});
          const text = (await line.textContent())!.split(" Spending outside the public sector")[0]!;
          expect(text, code).toMatch(new RegExp(`^VCSE spending ${change < 0 ? "fell" : "rose"} `));
          expect(text, code).toContain(`one payee, `);
          expect(text, code).toContain(`${top.delta < 0 ? "−" : "+"}${pounds(Math.abs(top.delta))}`);
          named++;
        } else if (await line.count()) {
          const vcseSentence = (await line.textContent())!.split(" Spending outside the public sector")[0]!;
          expect(vcseSentence, code).not.toMatch(/^VCSE spending .*one payee/);
        }
      } finally {
        await page.close();
      }
    }
    expect(named, "some council's change is driven by one payee").toBeGreaterThan(0);
  }, 120_000);

  it("prints the old-data warning on the briefing, above the headline", async () => {
    const code = sources.map((m) => m.council.code).find((c) => {
      const full = latestFull(c);
      return full && new Date() > new Date(Date.UTC(Number(full.slice(0, 4)) + 3, 2, 31));
    })!;
    const page = await open(`council/${code}`, 1280, "[data-testid=old-data]");
    try {
      await page.emulateMedia({media: "print"});
      expect(await page.locator("[data-testid=old-data]").isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
