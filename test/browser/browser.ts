/**
 * Browser test harness: Debian's Chromium driven by playwright-core, with every console error, uncaught
 * page error, failed request and request leaving 127.0.0.1 recorded. Requests leaving the machine are
 * aborted, so a page that would reach for a CDN fails fast instead of hanging the test.
 */
import {existsSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chromium, type BrowserContext, type Page} from "playwright-core";
import {CHROMIUM_ARGS, CHROMIUM_PATH} from "../../pipeline/chromium.ts";

export interface BrowserSession {
  context: BrowserContext;
  /** Console messages of type "error" and uncaught exceptions, as "url: text". */
  consoleErrors: string[];
  /** Every request whose URL is not on 127.0.0.1 (data: and blob: URLs stay on the machine). */
  externalRequests: string[];
  /** Requests that failed for another reason than being blocked, with the reason. */
  failedRequests: string[];
  /** Opens url in a new tab, waits for the load event and then for selector (if given) to be attached. */
  open(url: string, options?: {waitFor?: string; timeout?: number}): Promise<Page>;
  close(): Promise<void>;
}

/** Throws an explanatory error when Chromium is not installed: browser tests must fail, not skip. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Browser tests need Debian's chromium package: ` +
        "run `apt-get install -y chromium` (or scripts/setup.sh), or set CHROMIUM_PATH."
    );
  }
}

export function leavesMachine(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (parsed.protocol === "data:" || parsed.protocol === "blob:" || parsed.protocol === "about:") return false;
  return parsed.hostname !== "127.0.0.1";
}

export async function launchBrowser(): Promise<BrowserSession> {
  assertChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), "vcse-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: {width: 1200, height: 900},
    deviceScaleFactor: 1,
    locale: "en-GB",
    timezoneId: "Europe/London"
  });
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  const failedRequests: string[] = [];

  context.on("console", (message) => {
    if (message.type() !== "error") return;
    const {url} = message.location();
    consoleErrors.push(`${url || message.page()?.url() || "?"}: ${message.text()}`);
  });
  context.on("weberror", (error) => {
    consoleErrors.push(`${error.page()?.url() ?? "?"}: uncaught ${error.error().stack ?? error.error().message}`);
  });
  context.on("request", (request) => {
    if (leavesMachine(request.url())) externalRequests.push(request.url());
  });
  context.on("requestfailed", (request) => {
    if (!leavesMachine(request.url())) failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
  });
  // Never let a request leave the machine.
  await context.route(
    (url) => leavesMachine(url.href),
    (route) => route.abort("blockedbyclient")
  );

  return {
    context,
    consoleErrors,
    externalRequests,
    failedRequests,
    async open(url, {waitFor, timeout = 60_000} = {}) {
      const page = await context.newPage();
      await page.goto(url, {waitUntil: "load", timeout});
      if (waitFor) await page.locator(waitFor).first().waitFor({state: "attached", timeout});
      return page;
    },
    async close() {
      await context.close();
      await rm(userDataDir, {recursive: true, force: true});
    }
  };
}

/**
 * Resizes the page and waits until the charts (<svg>) inside `within` are drawn again for the new size: each one
 * there is marked first, and the wait ends once none of the marked ones is left and a new one is there. For charts
 * drawn by Framework's resize(), which replaces its chart whenever its container's width changes.
 */
export async function redrawnAt(page: Page, within: string, size: {width: number; height: number}, timeout = 30_000): Promise<void> {
  await page.locator(`${within} svg`).evaluateAll((svgs) => svgs.forEach((svg) => svg.setAttribute("data-drawn-before", "")));
  await page.setViewportSize(size);
  await page.waitForFunction(
    (selector) => {
      const root = document.querySelector(selector);
      return root?.querySelector("svg") != null && root.querySelector("svg[data-drawn-before]") === null;
    },
    within,
    {timeout}
  );
}
