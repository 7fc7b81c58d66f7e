import {ensureBuilt} from "./browser/council-build.ts";

/**
 * Builds the site once before any test file runs, so browser tests never wait on each other's builds. Skipped
 * when the command names test files and none of them needs the site (`vitest run test/parse-csv.test.ts`);
 * the tests that need it call ensureBuilt themselves, so a wrong guess costs time, never a result.
 */
export default async function setup(): Promise<void> {
  if (process.env.VCSE_NO_SITE === "1") return;
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && a !== "watch" && a !== "related");
  const needsSite = (f: string) => f.includes("browser") || f.includes("briefing") || "test/browser/".includes(f) || "test/briefing".includes(f);
  if (filters.length > 0 && !filters.some(needsSite)) return;
  await ensureBuilt();
}
