import {afterAll, beforeAll} from "vitest";
import {serveDist} from "../../scripts/serve-dist.ts";
import {assertChromium, launchBrowser, type BrowserSession} from "./browser.ts";
import {BUILD_TIMEOUT_MS, DIST, ensureBuilt} from "./council-build.ts";

/** The built site served on 127.0.0.1 and a browser on it, for the tests of one describe block. */
export interface BuiltSite {
  readonly url: string;
  readonly session: BrowserSession;
}

/**
 * Registers, in the calling describe block, a build of the site (once per run), a server and a browser, closed
 * after its tests; `ready` runs once the build is there, before the server starts.
 */
export function builtSite(ready?: () => Promise<void> | void): BuiltSite {
  let server: {url: string; close(): Promise<void>} | undefined;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    assertChromium();
    await ensureBuilt();
    await ready?.();
    server = await serveDist(DIST);
    session = await launchBrowser();
  }, BUILD_TIMEOUT_MS + 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  return {
    get url() {
      return server!.url;
    },
    get session() {
      return session!;
    }
  };
}
