import {ensureBuilt} from "./browser/council-build.ts";

/** Builds the site once before any test file runs, so browser tests never wait on each other's builds. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
