import {ensureBuilt} from "./browser/council-build.ts";
import {needsSite} from "./sequencer.ts";

/**
 * Starts the site build in the background as the run begins, so that the slowest test file runs while it builds
 * and the files that need the site (next in line, see sequencer.ts) wait for it only as long as it takes. Skipped when the command names test files and
 * none of them needs the site (`vitest run test/parse-csv.test.ts`); the tests that need it call ensureBuilt
 * themselves, so a wrong guess costs time, never a result. A failed build is reported by those tests, once each,
 * without building again (VCSE_TEST_RUN names the run).
 */
export default function setup(): (() => Promise<void>) | undefined {
  process.env.VCSE_TEST_RUN = `${process.pid}-${Date.now()}`;
  if (process.env.VCSE_NO_SITE === "1") return;
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && a !== "watch" && a !== "related");
  if (filters.length > 0 && !filters.some(needsSite)) return;
  const build = ensureBuilt().then(
    () => undefined,
    () => console.error("The site build failed: the tests that need the site fail with its output.")
  );
  return () => build;
}

