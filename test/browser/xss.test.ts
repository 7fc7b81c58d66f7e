/**
 * Every data string reaches the page as text. The built site is served as it is, and the browser's requests
 * for its data files are answered with hostile copies: one council (Trafford) and the organisations paid most
 * are renamed `<img src=x onerror=alert(1)>`, `"><script>window.__xss=1</script>`, `<svg onload=…>` and a
 * spreadsheet formula; service areas, notes, publisher and licence carry markup; source addresses are
 * `javascript:` URLs. On every page that shows them (Overview, Compare, Recipients, the council's page,
 * Councils, Data, the embed) the strings must appear literally and nothing may run: no dialog, no
 * window.__xss, no <img src=x>, no injected <script>, no on* attribute from data, no javascript: link.
 * The CSV and SVG downloads of those tables and charts keep the text literal, and formula cells neutralised.
 */
import {readFileSync, readdirSync} from "node:fs";
import {mkdtemp, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseCsv} from "../../pipeline/read/parse-csv.ts";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {BUILD_TIMEOUT_MS, DIST, ensureBuilt} from "./council-build.ts";

/**
 * The built site to serve. XSS_DIST points at another copy, e.g. one whose pages were edited to use innerHTML,
 * to see this test fail.
 */
const SITE = process.env.XSS_DIST ?? DIST;
const CODE = "E08000009";
const IMG = "<img src=x onerror=alert(1)>";
const SCRIPT = `"><script>window.__xss=1</script>`;
const SVG = "<svg onload=window.__xss=2>";
const FORMULA = '=HYPERLINK("http://127.0.0.1:9/","click")';
/** In every name of the council, long or short, so each page shows it whichever it uses. */
const CORE = `${IMG}${SCRIPT}`;
const COUNCIL_NAME = `Trafford MBC ${CORE}`;
const SHORT_NAME = `Trafford ${CORE}`;
const REGION = `North West ${SVG}`;
/** The organisations the council paid most, renamed in this order. */
const RECIPIENTS = [`${IMG} Trust`, `${SCRIPT} Society`, FORMULA];
const SERVICE_PREFIX = `${SCRIPT} `;
const NOTE = `A note with ${IMG} and ${SVG}`;
const PUBLISHER = `${SVG} Publisher`;
const LICENCE = `OGL ${SCRIPT}`;
const FILE_PATH = `sample/spending/trafford/${IMG}.csv`;

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A data file's logical name from its built name: council/E08000009.8d4f368f.json -> council/E08000009.json. */
const logical = (builtPath: string) => builtPath.replace(/\.[0-9a-f]{8}(\.[a-z]+)$/, "$1");

/** Renames the council wherever a row or object carries its code; {columns, rows} documents row by row. */
function hostileCouncil(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hostileCouncil);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.columns) && Array.isArray(o.rows) && o.rows.every(Array.isArray)) {
    const columns = o.columns as string[];
    const rows = (o.rows as unknown[][]).map((r) => hostileCouncil(Object.fromEntries(columns.map((c, i) => [c, r[i]]))) as Record<string, unknown>);
    return {...o, rows: rows.map((r) => columns.map((c) => r[c]))};
  }
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, hostileCouncil(v)]));
  if (out.council_code === CODE || out.code === CODE) {
    for (const key of ["council_name", "name"]) if (typeof out[key] === "string") out[key] = COUNCIL_NAME;
    if (typeof out.short_name === "string") out.short_name = SHORT_NAME;
    if (typeof out.region === "string") out.region = REGION;
  }
  return out;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The council's own page data: names of recipients, service areas, notes, publisher, licence, file addresses. */
function hostileDetail(doc: Json): Json {
  const d = hostileCouncil(doc) as Json;
  d.recipients.slice(0, RECIPIENTS.length).forEach((r: Json, i: number) => (r.name = RECIPIENTS[i]));
  for (const change of d.changes) {
    if (change.gained.top[0]) change.gained.top[0].name = RECIPIENTS[1];
    if (change.lost.top[0]) change.lost.top[0].name = RECIPIENTS[0];
  }
  for (const s of d.services) s.service = SERVICE_PREFIX + s.service;
  d.source.notes = [...(d.source.notes ?? []), NOTE];
  d.source.publisher = PUBLISHER;
  d.source.licence = LICENCE;
  d.source.landing_page = "javascript:window.__xss=5";
  d.files[0].url = "javascript:window.__xss=6";
  if (d.files[1]) d.files[1].url = `https://example.org/spend/${IMG}.csv`;
  if (d.files[2]) {
    d.files[2].url = null;
    d.files[2].path = FILE_PATH;
  }
  return d;
}

/** The council's every recipient, for its download: the same names as its page's largest. */
function hostileRecipients(doc: Json): Json {
  const d = hostileCouncil(doc) as Json[];
  d.slice(0, RECIPIENTS.length).forEach((r, i) => (r.name = RECIPIENTS[i]));
  return d;
}

function hostileSources(doc: Json): Json {
  const d = hostileCouncil(doc) as Json;
  for (const c of d.councils.filter((c: Json) => c.council_code === CODE)) {
    c.publisher = PUBLISHER;
    c.licence = LICENCE;
    c.notes = [...(c.notes ?? []), NOTE];
  }
  const files = d.files.filter((f: Json) => f.council_code === CODE);
  files[0].url = "javascript:window.__xss=7";
  files[0].path = FILE_PATH;
  files[0].licence = LICENCE;
  return d;
}

/** Hostile copies of every data file, keyed by logical name. */
async function hostileFiles(): Promise<Map<string, Buffer>> {
  const dataDir = join(SITE, "_file", "data");
  const files = readdirSync(dataDir, {recursive: true, encoding: "utf8"}).filter((f) => /\.(json|parquet)$/.test(f));
  const out = new Map<string, Buffer>();
  const work = await mkdtemp(join(tmpdir(), "vcse-xss-"));
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  try {
    const recipients = files.find((f) => logical(f) === "recipients.parquet");
    if (!recipients) throw new Error(`no recipients.parquet in ${dataDir}`);
    const top = (
      await db.runAndReadAll(
        `SELECT key FROM read_parquet(${sql(join(dataDir, recipients))}) WHERE council_code = ${sql(CODE)} GROUP BY key ORDER BY sum(amount) DESC, key LIMIT ${RECIPIENTS.length}`
      )
    ).getRowObjectsJS().map((r) => String(r.key));
    for (const file of files) {
      const name = logical(file);
      const path = join(dataDir, file);
      if (file.endsWith(".json")) {
        const doc = JSON.parse(readFileSync(path, "utf8"));
        const hostile =
          name === `council/${CODE}.json` ? hostileDetail(doc)
          : name === `council/${CODE}-recipients.json` ? hostileRecipients(doc)
          : name === "sources.json" ? hostileSources(doc)
          : hostileCouncil(doc);
        out.set(name, Buffer.from(JSON.stringify(hostile)));
        continue;
      }
      const columns = new Set(
        (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sql(path)})`)).getRowObjectsJS().map((r) => String(r.column_name))
      );
      const council = (column: string, value: string) => `CASE WHEN council_code = ${sql(CODE)} THEN ${sql(value)} ELSE ${column} END AS ${column}`;
      const replace = [
        columns.has("council_name") && council("council_name", COUNCIL_NAME),
        columns.has("short_name") && council("short_name", SHORT_NAME),
        columns.has("region") && council("region", REGION),
        columns.has("name") && columns.has("key") &&
          `CASE ${top.map((key, i) => `WHEN key = ${sql(key)} THEN ${sql(RECIPIENTS[i]!)}`).join(" ")} ELSE name END AS name`
      ].filter(Boolean);
      const target = join(work, name.replaceAll("/", "_"));
      await db.run(
        `COPY (SELECT * ${replace.length ? `REPLACE (${replace.join(", ")})` : ""} FROM read_parquet(${sql(path)})) TO ${sql(target)} (FORMAT parquet, COMPRESSION zstd)`
      );
      out.set(name, await readFile(target));
    }
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(work, {recursive: true, force: true});
  }
  return out;
}

/** What the page's DOM holds that data could have injected. */
interface Injected {
  xss: unknown;
  imgX: number;
  scripts: number;
  handlers: string[];
  javascriptLinks: string[];
  text: string;
}

function inspect(page: Page): Promise<Injected> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll("*")];
    return {
      xss: (window as unknown as {__xss?: unknown}).__xss,
      imgX: document.querySelectorAll('img[src="x"]').length,
      scripts: [...document.querySelectorAll("script")].filter((s) => (s.textContent ?? "").includes("__xss")).length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name) && /__xss|alert/.test(a.value)).map((a) => `${el.tagName} ${a.name}=${a.value}`)),
      javascriptLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? "").filter((h) => /^\s*javascript:/i.test(h)),
      text: document.body.textContent ?? ""
    };
  });
}

/** The rows of a CSV download (the BOM dropped), parsed by the ingest's reader, not the site's writer. */
async function downloadCsv(page: Page, toolbar: string): Promise<string[][]> {
  const button = page.getByRole("toolbar", {name: `Export: ${toolbar}`, exact: true}).locator("button[data-export=csv]");
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
  return parseCsv(text, ",").map((r) => r.cells);
}

/** An SVG download (of the first chart whose toolbar's name contains title): its markup, and what a browser's XML parser finds in it. */
async function downloadSvg(page: Page, title: string) {
  const button = page.getByRole("toolbar", {name: `Export: ${title}`}).locator("button[data-export=svg]").first();
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const markup = await readFile((await download.path())!, "utf8");
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      elements: [...doc.querySelectorAll("script, img, foreignObject")].map((e) => e.tagName),
      handlers: [...doc.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      text: doc.documentElement.textContent ?? ""
    };
  }, markup);
  return {markup, ...parsed};
}

it("finds Debian's Chromium", () => {
  expect(assertChromium).not.toThrow();
});

describe("hostile data strings render as text and run nothing", () => {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  let hostile: Map<string, Buffer>;
  const dialogs: {page: Page; text: string}[] = [];
  const dialogsOf = (page?: Page) => dialogs.filter((d) => !page || d.page === page).map((d) => d.text);
  const served = new Set<string>();

  beforeAll(async () => {
    assertChromium();
    if (!process.env.XSS_DIST) await ensureBuilt();
    hostile = await hostileFiles();
    server = await serveDist(SITE);
    session = await launchBrowser();
    await session.context.route(/\/_file\/data\/.+\.(json|parquet)(\?.*)?$/, async (route) => {
      const path = relative("/_file/data", new URL(route.request().url()).pathname);
      const body = hostile.get(logical(path));
      if (!body) return route.continue();
      served.add(logical(path));
      await route.fulfill({status: 200, body, contentType: path.endsWith(".json") ? "application/json" : "application/octet-stream"});
    });
    session.context.on("page", (page) =>
      page.on("dialog", (dialog) => {
        dialogs.push({page, text: `${page.url()}: ${dialog.type()} ${dialog.message()}`});
        void dialog.dismiss();
      })
    );
  }, BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  /** Opens a page, waits for what proves its data is drawn, and checks that nothing was injected. */
  async function visit(path: string, ready: string[]): Promise<{page: Page; injected: Injected}> {
    const page = await session!.open(`${server!.url}${path}`, {timeout: 90_000});
    for (const selector of ready) await page.locator(selector).first().waitFor({state: "attached", timeout: 90_000});
    // Let an injected image fail to load and its onerror fire, were there one.
    await page.waitForLoadState("networkidle", {timeout: 90_000});
    const injected = await inspect(page);
    expect(injected.xss, path).toBeUndefined();
    expect(injected.imgX, path).toBe(0);
    expect(injected.scripts, path).toBe(0);
    expect(injected.handlers, path).toEqual([]);
    expect(injected.javascriptLinks, path).toEqual([]);
    expect(dialogsOf(page), path).toEqual([]);
    return {page, injected};
  }

  it("the hostile copies cover every data file the pages load", () => {
    expect([...hostile.keys()]).toEqual(expect.arrayContaining([`council/${CODE}.json`, "recipients.parquet", "sources.json", "council/summary.json"]));
    const overview = [...hostile.keys()].filter((k) => k.startsWith("council-years."));
    expect(overview.length).toBeGreaterThan(0);
  });

  it("Overview: the league table shows the council's name and region literally; its CSV keeps them", async () => {
    const {page} = await visit("", ["[data-testid=league-table] tbody tr", "[data-testid=duckdb-status].ready"]);
    try {
      const league = (await page.locator("[data-testid=league-table]").textContent()) ?? "";
      expect(league).toContain(SHORT_NAME);
      expect(league).toContain(REGION);
      await expect.poll(() => page.getByText(SHORT_NAME, {exact: false}).first().isVisible()).toBe(true);
      const csv = await downloadCsv(page, "VCSE spending by council");
      const row = csv.find((r) => r.includes(CODE));
      expect(row).toBeDefined();
      expect(row).toContain(SHORT_NAME);
      expect(row).toContain(REGION);
      expect(dialogsOf(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Compare: table, chart labels and chips show the name literally; the SVG and CSV downloads keep it literal", async () => {
    const {page} = await visit(`compare?councils=${CODE}&metric=cash`, ["[data-testid=compare-chart] svg", "[data-testid=compare-table] tbody tr"]);
    try {
      expect(await page.locator("[data-testid=compare-table]").textContent()).toContain(SHORT_NAME);
      expect(await page.locator("[data-testid=council-chips]").textContent()).toContain(SHORT_NAME);
      const svg = await downloadSvg(page, "");
      expect(svg.error).toBeNull();
      expect(svg.elements).toEqual([]);
      expect(svg.handlers).toEqual([]);
      expect(svg.text).toContain(SHORT_NAME);
      expect(svg.markup).not.toMatch(/<(img|script|svg onload)\b[^>]*(onerror|__xss)/);
      const csv = await downloadCsv(page, (await page.getByRole("toolbar", {name: "Export: "}).first().getAttribute("aria-label"))!.slice("Export: ".length));
      expect(csv.slice(1).every((r) => r[0] === SHORT_NAME)).toBe(true);
      expect((await inspect(page)).xss).toBeUndefined();
    } finally {
      await page.close();
    }
  });

  it("Recipients: organisations and the council found by their literal names (typed markup is a bound parameter), shown as text", async () => {
    const {page} = await visit("recipients", ["[data-testid=recipients-status].ready", "[data-testid=recipient-name]"]);
    try {
      for (const [typed, name] of [["<img src=x", RECIPIENTS[0]!], ['"><script>', RECIPIENTS[1]!], ['=HYPERLINK("', RECIPIENTS[2]!]] as const) {
        await page.getByLabel("Organisation").fill(typed);
        await expect.poll(() => page.locator("[data-testid=recipients-status]").textContent(), {timeout: 30_000}).toContain(`“${typed}”`);
        expect(await page.locator("form table tbody tr td:nth-child(2)").first().textContent()).toBe(name);
        await expect.poll(() => page.locator("[data-testid=recipient-name]").textContent(), {timeout: 30_000}).toBe(name);
        await expect.poll(() => page.locator("[data-testid=recipient-table]").textContent(), {timeout: 30_000}).toContain(COUNCIL_NAME);
      }
      const csv = await downloadCsv(page, `Payments to ${RECIPIENTS[2]} by council and financial year`);
      const header = csv[0]!;
      const rows = csv.slice(1).filter((r) => r[header.indexOf("GSS code")] === CODE);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect([r[header.indexOf("Organisation")], r[header.indexOf("Council")]]).toEqual([`'${FORMULA}`, COUNCIL_NAME]);
      const after = await inspect(page);
      expect([after.xss, after.imgX, after.scripts, after.handlers]).toEqual([undefined, 0, 0, []]);
      expect(dialogsOf(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("the council's page: name, region, recipients, gained and lost, service areas, notes, publisher and licence literal; no javascript: link", async () => {
    const {page, injected} = await visit(`council/${CODE}`, [
      "[data-testid=council-headline]",
      "[data-testid=council-recipients] tbody tr",
      "[data-testid=council-notes] li",
      "[data-testid=council-files] tbody tr"
    ]);
    try {
      expect(await page.locator("[data-testid=council-name]").textContent()).toBe(COUNCIL_NAME);
      expect(await page.locator(".council-meta").textContent()).toContain(REGION);
      expect((await page.locator("[data-testid=council-recipients] tbody th").allTextContents()).slice(0, 3)).toEqual(RECIPIENTS);
      expect(await page.locator("[data-testid=council-notes]").textContent()).toContain(NOTE);
      const sources = (await page.locator("[data-testid=council-sources]").textContent()) ?? "";
      expect(sources).toContain(PUBLISHER);
      expect(sources).toContain(LICENCE);
      const files = (await page.locator("[data-testid=council-files]").textContent()) ?? "";
      expect(files).toContain(`${IMG}.csv (example.org)`);
      expect(files).toContain(FILE_PATH);
      for (const text of [RECIPIENTS[1]!, SERVICE_PREFIX]) expect(injected.text).toContain(text);
      await expect.poll(() => page.getByText(COUNCIL_NAME).first().isVisible()).toBe(true);

      const recipients = await downloadCsv(page, `${SHORT_NAME}: VCSE recipients by financial year`);
      expect(recipients.slice(1, 4).map((r) => r[0])).toEqual([RECIPIENTS[0], RECIPIENTS[1], `'${FORMULA}`]);
      const servicesBar = page.getByRole("toolbar", {name: `Export: ${SHORT_NAME}: spending by service area`});
      const services = await downloadCsv(page, (await servicesBar.getAttribute("aria-label"))!.slice("Export: ".length));
      expect(services.slice(1).every((r) => r[1]!.startsWith(SERVICE_PREFIX))).toBe(true);
      const svg = await downloadSvg(page, `${SHORT_NAME}: spending by service area`);
      expect(svg.error).toBeNull();
      expect(svg.elements).toEqual([]);
      expect(svg.handlers).toEqual([]);
      expect(svg.text).toContain(SERVICE_PREFIX.trim());
      expect(svg.markup).not.toContain("<script>");
      expect(dialogsOf(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Councils: the index shows the name and region literally", async () => {
    const {page} = await visit("councils", ["[data-testid=council-link]"]);
    try {
      expect(await page.locator("[data-testid=council-link]", {hasText: "Trafford"}).textContent()).toBe(SHORT_NAME);
      expect(await page.locator("table").first().textContent()).toContain(REGION);
    } finally {
      await page.close();
    }
  });

  it("Data: sources, staleness and notes show the strings literally, and a javascript: address is not a link", async () => {
    const {page, injected} = await visit("data", ["[data-testid=sources-table] tbody tr", "[data-testid=staleness-table] tbody tr"]);
    try {
      const sources = (await page.locator("[data-testid=sources-table]").textContent()) ?? "";
      expect(sources).toContain(SHORT_NAME);
      // The javascript: address is shown as text, not made a link (injected.javascriptLinks is empty).
      expect(sources).toContain("javascript:window.__xss=7");
      expect(injected.text).toContain(NOTE);
      expect(injected.text).toContain(PUBLISHER);
      const csv = await downloadCsv(page, "Source files");
      const header = csv[0]!;
      const row = csv.find((r) => r[header.indexOf("path")] === FILE_PATH);
      expect(row?.[header.indexOf("council")]).toBe(SHORT_NAME);
    } finally {
      await page.close();
    }
  });

  it("the embed draws from the hostile data and nothing runs", async () => {
    const {page} = await visit("embed/vcse-trend", ["[data-testid=embed-figure] svg rect"]);
    await page.close();
  });

  it("every hostile file was served, no dialog opened, and nothing left 127.0.0.1", () => {
    expect([...served]).toEqual(expect.arrayContaining([`council/${CODE}.json`, "recipients.parquet", "sources.json", "council/summary.json"]));
    expect(dialogsOf()).toEqual([]);
    expect(session!.externalRequests).toEqual([]);
  });
});
