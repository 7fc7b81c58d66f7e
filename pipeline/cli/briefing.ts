import {existsSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {chromium, type BrowserContext} from "playwright-core";
import {CHROMIUM_ARGS, CHROMIUM_PATH} from "../chromium.ts";
import {serveDist} from "../../scripts/serve-dist.ts";
import {manifestFor} from "../compact/council.ts";

/** The printable width of A4 with the margins below, in CSS pixels: charts are drawn at this width. */
const A4_CONTENT_WIDTH = 690;
const TIMEOUT_MS = 60_000;

export interface BriefingOptions {
  /** The built site (default dist). */
  dist?: string;
  /** The data folder, to check the council code (default data). */
  dataDir?: string;
  /** A printer already open (openPrinter), for printing several councils with one Chromium; else one is opened and closed. */
  printer?: Printer;
}

/** Chromium set up for printing briefings; several briefings can be printed with one. */
export interface Printer {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium for printing: A4's printable width, British locale and time, with no network beyond 127.0.0.1. */
export async function openPrinter(): Promise<Printer> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
  const profile = await mkdtemp(join(tmpdir(), "vcse-briefing-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: {width: A4_CONTENT_WIDTH, height: 1000},
      locale: "en-GB",
      timezoneId: "Europe/London"
    });
    await context.route((url) => url.hostname !== "127.0.0.1" && url.protocol.startsWith("http"), (route) => route.abort("blockedbyclient"));
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, {recursive: true, force: true});
      }
    };
  } catch (e) {
    await rm(profile, {recursive: true, force: true});
    throw e;
  }
}

/**
 * Prints a council's page of the built site to an A4 PDF: serves dist/ on 127.0.0.1, opens /council/<code>
 * in Chromium with print styles, waits for the headline and the trend chart, and writes the PDF to out.
 * Nothing leaves the machine: requests for any other host are refused.
 */
export async function briefing(code: string, out: string, opts: BriefingOptions = {}): Promise<void> {
  const dist = resolve(opts.dist ?? "dist");
  manifestFor(code, opts.dataDir ?? "data");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`no built site in ${dist}: run npm run build first`);
  if (!existsSync(join(dist, "council", `${code}.html`))) {
    throw new Error(`the built site in ${dist} has no page for ${code}: run npm run build first`);
  }
  const printer = opts.printer ?? (await openPrinter());
  const server = await serveDist(dist);
  const errors: string[] = [];
  const page = await printer.context.newPage();
  try {
    page.on("pageerror", (error) => errors.push(error.message));
    await page.emulateMedia({media: "print"});
    await page.goto(`${server.url}council/${code}`, {waitUntil: "load", timeout: TIMEOUT_MS});
    await page.locator("[data-testid=council-headline]").waitFor({state: "attached", timeout: TIMEOUT_MS});
    await page.locator("[data-testid=council-sources]").waitFor({state: "attached", timeout: TIMEOUT_MS});
    if (await page.locator("[data-testid=council-headline][data-year='']").count()) {
      // A council with no data still prints, with its notes and sources; there is just no chart to wait for.
    } else {
      await page.locator("figure svg").first().waitFor({state: "attached", timeout: TIMEOUT_MS});
    }
    if (errors.length) throw new Error(`the page for ${code} failed: ${errors.join("; ")}`);
    await page.pdf({
      path: out,
      format: "A4",
      printBackground: true,
      margin: {top: "12mm", bottom: "14mm", left: "14mm", right: "14mm"},
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate:
        '<div style="font: 8px system-ui, sans-serif; color: #555; width: 100%; padding: 0 14mm; text-align: right;">' +
        'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
    });
  } finally {
    await page.close();
    await server.close();
    if (!opts.printer) await printer.close();
  }
}
