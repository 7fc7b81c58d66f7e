/**
 * Council pages at 390 and 1280 px: the service-area chart keeps every bar and label inside its plot on every
 * council page (each loaded at 390 px and resized to 1280, and when drawn at any width from 320 to 1280 px); the section on how services are delivered
 * reconciles with the store (VCSE pounds by payment type, all suppliers' pounds by service group, summed here
 * from the stored rows), downloads what it shows and embeds a chart-only page; Trafford's grants register is set
 * against its payments.
 */
import {readFile} from "node:fs/promises";
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {countedSql, queryRows} from "../../pipeline/compact/query.ts";
import {assertChromium, redrawnAt} from "./browser.ts";
import {builtSite} from "./built-site.ts";
import {DIST, ROOT} from "./council-build.ts";
import {csvParseRows} from "d3-dsv";
import {manifests} from "./store-years.ts";

const TRAFFORD = "E08000009";
const WAKEFIELD = "E08000036";
const CODES = manifests(ROOT).map((m) => m.council.code);
const PAGE_WIDTHS = [390, 1280];

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

/** In the service-area chart's <svg>: bars of negative width or outside the plot, and value labels past the right edge. */
function serviceChartFaults(svg: SVGSVGElement): string[] {
  const width = Number(svg.getAttribute("width"));
  const origin = svg.getBoundingClientRect().left;
  const faults: string[] = [];
  const axis = [...svg.querySelectorAll('g[aria-label="x-axis tick"] path')].map((p) => p.getBoundingClientRect().left - origin);
  const left = Math.min(...axis);
  for (const r of svg.querySelectorAll("g[aria-label=bar] rect")) {
    const w = Number(r.getAttribute("width"));
    const box = r.getBoundingClientRect();
    if (!(w >= 0)) faults.push(`bar width ${w}`);
    if (box.left - origin < left - 1 || box.right - origin > width + 0.5) faults.push(`bar ${(box.left - origin).toFixed(0)}..${(box.right - origin).toFixed(0)} outside ${left.toFixed(0)}..${width}`);
  }
  for (const t of svg.querySelectorAll("g[aria-label=text] text")) {
    const right = t.getBoundingClientRect().right - origin;
    if (right > width + 1) faults.push(`label "${t.textContent}" ends at ${right.toFixed(0)} of ${width}`);
  }
  if (axis.length < 2) faults.push("no x axis");
  return faults;
}

describe("the service-area chart on every council page", () => {
  const site = builtSite();

  it("is drawn inside its plot at 390 px and, the same page resized, at 1280 px", async () => {
    for (const code of CODES) {
      const page = await site.session.context.newPage();
      try {
        const chart = page.locator("[data-testid=council-service-areas] svg").first();
        for (const [i, width] of PAGE_WIDTHS.entries()) {
          if (i === 0) {
            await page.setViewportSize({width, height: 900});
            await page.goto(`${site.url}council/${code}`, {waitUntil: "load"});
            await chart.waitFor({state: "attached", timeout: 90_000});
          } else {
            await redrawnAt(page, "[data-testid=council-service-areas]", {width, height: 900});
          }
          expect(await chart.evaluate(serviceChartFaults), `${code} at ${width} px`).toEqual([]);
        }
      } finally {
        await page.close();
      }
    }
  }, 300_000);
});

describe.each(PAGE_WIDTHS)("council pages at %i px", (width) => {
  const pages = new Map<string, Page>();
  const site = builtSite();

  async function open(code: string, waitFor: string): Promise<Page> {
    const key = `${code} ${waitFor}`;
    if (pages.has(key)) return pages.get(key)!;
    const page = await site.session.context.newPage();
    await page.setViewportSize({width, height: 900});
    await page.goto(`${site.url}council/${code}`, {waitUntil: "load"});
    await page.locator(waitFor).first().waitFor({state: "attached", timeout: 90_000});
    pages.set(key, page);
    return page;
  }

  it("draws the service-area chart of every council's every year inside its plot at 320 to 1280 px", async () => {
    const page = await open(TRAFFORD, "[data-testid=council-service-areas] svg");
    const module = readdirSync(join(DIST, "_import/components")).find((f) => f.startsWith("council-charts."))!;
    const details = readdirSync(join(DIST, "_file/data/council")).filter((f) => /^E\d{8}\./.test(f)).map((f) => JSON.parse(readFileSync(join(DIST, "_file/data/council", f), "utf8")));
    // A string, so that the test runner does not rewrite import() before the browser sees it.
    const faults: string[] = await page.evaluate(`(async () => {
      const {servicesChart} = await import(${JSON.stringify(`/_import/components/${module}`)});
      const faultsOf = ${serviceChartFaults.toString()};
      const details = ${JSON.stringify(details.map((d) => ({code: d.council.code, services: d.services})))};
      const out = [];
      for (const d of details) {
        for (const year of [...new Set(d.services.map((s) => s.financial_year))]) {
          for (let w = 320; w <= 1280; w += 80) {
            const figure = servicesChart(d.services, {width: w, year});
            document.body.append(figure);
            out.push(...faultsOf(figure.querySelector("svg")).map((f) => d.code + " " + year + " at " + w + " px: " + f));
            figure.remove();
          }
        }
      }
      return out;
    })()`);
    expect(faults).toEqual([]);
  }, 300_000);

  for (const code of [TRAFFORD, WAKEFIELD]) {
    it(`${code}: VCSE pounds by payment type and all pounds by service group reconcile with the store`, async () => {
      const page = await open(code, "[data-testid=council-sector-chart] svg");
      const stored = await queryRows(() => `
        SELECT financial_year, sum(amount_pence) FILTER (WHERE sector = 'vcse')::BIGINT AS vcse, sum(amount_pence)::BIGINT AS everything
        FROM (${countedSql(join(ROOT, "store"))}) WHERE council_code = '${code}' GROUP BY ALL ORDER BY 1`, join(ROOT, "store"));
      const toolbar = (title: string) => page.getByRole("toolbar", {name: `Export: ${title}`});
      const csv = async (title: string) => {
        const [download] = await Promise.all([page.waitForEvent("download"), toolbar(title).locator("button[data-export=csv]").click()]);
        const [header, ...lines] = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "").trim().split("\r\n").map((l) => l.split(","));
        return {header: header!, lines};
      };
      const shortName = (await page.locator("[data-testid=council-types-chart] h2").textContent())!.split(":")[0]!;
      const types = await csv(`${shortName}: VCSE money by payment type`);
      expect(types.header.slice(0, 5)).toEqual(["Financial year", "VCSE (£)", "Grants (£)", "Payments for services (£)", "Unknown (£)"]);
      const vcseYears = stored.filter((r) => Number(r.vcse) !== 0);
      expect(types.lines.map((l) => l[0])).toEqual(vcseYears.map((r) => r.financial_year));
      for (const [i, l] of types.lines.entries()) {
        expect(Math.round(Number(l[1]) * 100)).toBe(Number(vcseYears[i]!.vcse));
        expect(Math.round((Number(l[2]) + Number(l[3]) + Number(l[4])) * 100)).toBe(Number(vcseYears[i]!.vcse));
      }
      const groups = await csv(`${shortName}: supplier spending by service and sector`);
      const byYear = new Map<string, number>();
      for (const l of groups.lines) byYear.set(l[1]!, (byYear.get(l[1]!) ?? 0) + Math.round(Number(l[2]) * 100));
      expect(Object.fromEntries(byYear)).toEqual(Object.fromEntries(stored.map((r) => [r.financial_year, Number(r.everything)])));
      expect(await page.locator("[data-testid=council-services-compare] tbody tr").count()).toBeGreaterThan(1);
    });
  }

  it("names Wakefield's service areas as its files do, not by the codes of its directorates", async () => {
    const page = await open(WAKEFIELD, "[data-testid=council-service-areas] svg");
    const shown = await page.locator("[data-testid=council-service-areas] svg").first().evaluate((svg) =>
      [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text, g[aria-label=text] text')].map((t) => t.textContent!).filter((t) => !t.startsWith("£")));
    // The files' own pairs of SeRCOP service code and name, read here with d3-dsv.
    const named = new Set<string>();
    const codes = new Set<string>();
    for (const f of manifests(ROOT).find((m) => m.council.code === WAKEFIELD)!.files) {
      const rows = csvParseRows(readFileSync(join(ROOT, "data", f.path), "utf8").replace(/^\ufeff/, ""));
      const header = rows[0]!;
      const code = header.indexOf("Service (Sercop)");
      const name = header.findIndex((h) => /^sercop uri$/i.test(h));
      const directorate = header.indexOf("Directorate");
      expect([code, name, directorate].every((i) => i >= 0)).toBe(true);
      for (const r of rows.slice(1)) {
        if (r[name]) named.add(r[name]!);
        if (r[directorate]) codes.add(r[directorate]!);
      }
    }
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) {
      expect(codes.has(s), s).toBe(false);
      expect([...named].some((n) => n === s || (s.endsWith("…") && n.startsWith(s.slice(0, -1)))), s).toBe(true);
    }
    expect(shown).toContain("Adult Social Care");
    // Some rows write the apostrophe as the text "\xB4": read back, each service is drawn once, under one spelling.
    expect(shown.filter((s) => /\\x[89a-f][0-9a-f]|\u00b4/i.test(s))).toEqual([]);
    const spellings = shown.map((s) => s.replace(/['\u2019]/g, ""));
    expect(new Set(spellings).size).toBe(spellings.length);
    expect(shown.some((s) => s.startsWith("Children's"))).toBe(true);
  });

  it("embeds the grants chart as a chart-only page with the council's name, its source and date", async () => {
    const page = await open(TRAFFORD, "[data-testid=council-types-chart] svg");
    const toolbar = page.getByRole("toolbar", {name: "Export: Trafford: VCSE money by payment type"});
    await toolbar.locator("button[data-export=embed]").click();
    const snippet = await toolbar.locator("textarea.export-snippet").inputValue();
    const src = new URL(/src="([^"]+)"/.exec(snippet)![1]!.replaceAll("&amp;", "&"));
    expect([src.pathname, src.searchParams.get("chart")]).toEqual([`/embed/council/${TRAFFORD}`, "services"]);
    const embed = await site.session.context.newPage();
    try {
      await embed.setViewportSize({width: Math.min(width, 800), height: 200});
      await embed.goto(src.href, {waitUntil: "load"});
      const figure = embed.locator("[data-testid=embed-figure][data-chart=services]");
      await figure.locator("svg rect").first().waitFor({state: "attached", timeout: 60_000});
      expect(await figure.locator("h2").textContent()).toContain("Trafford");
      expect(await figure.innerText()).toMatch(/Source: .* compiled \d{1,2} [A-Z][a-z]+ 20\d\d/);
      expect(await embed.evaluate(() => document.querySelector("#observablehq-sidebar, #observablehq-header"))).toBeNull();
      expect(await embed.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(Number(/height="(\d+)"/.exec(snippet)![1]));
    } finally {
      await embed.close();
    }
  });

  it("sets Trafford's grants register against its payments, with the awards shown one by one", async () => {
    const page = await open(TRAFFORD, "[data-testid=council-grants-list] tbody tr");
    const said = page.locator("[data-testid=council-grants]");
    const rows = await page.locator("[data-testid=council-grants-list] tbody tr").evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));
    expect(rows.length).toBe(Number(await said.getAttribute("data-awards")));
    expect(rows.filter((r) => r[3] !== "Not found").length).toBe(Number(await said.getAttribute("data-matched")));
    const grants = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => f.startsWith("grants."))!), "utf8"));
    expect(grants.find((g: {council_code: string}) => g.council_code === TRAFFORD).matched.awards).toBe(Number(await said.getAttribute("data-matched")));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("toolbar", {name: "Export: Trafford: grants register against payments"}).locator("button[data-export=csv]").click()]);
    const lines = (await readFile((await download.path())!, "utf8")).trim().split("\r\n");
    expect(lines.length - 1).toBe(rows.length);
  });

  it("fits the screen and keeps to the machine", async () => {
    const page = await open(TRAFFORD, "[data-testid=council-grants-list] tbody tr");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(site.session.externalRequests).toEqual([]);
    expect(site.session.consoleErrors).toEqual([]);
  });
});
