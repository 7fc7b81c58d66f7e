import {relative} from "node:path";
import {BaseSequencer, type TestSpecification} from "vitest/node";

/** Whether a test file, or a command-line filter naming test files, needs the built site. */
export function needsSite(filter: string): boolean {
  return filter.includes("browser") || filter.includes("briefing") || "test/browser/".includes(filter) || "test/briefing".includes(filter);
}

/**
 * Vitest's order (slowest or largest first), except for the files that need the built site, which builds in the
 * background as the run begins (global-setup.ts): they come second, after the slowest file of the others. That file
 * (the kill-point harness, in a full run) and the build keep both cores busy while the first file that needs the
 * site waits for the build; the browser files, which spend much of their time waiting on Chromium, then run beside
 * it; and the many short files left run last, so both workers stay busy to the end.
 */
export default class SiteSecondSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const site = (f: TestSpecification) => needsSite(relative(this.ctx.config.root, f.moduleId));
    const [slowest, ...others] = sorted.filter((f) => !site(f));
    return [...(slowest ? [slowest] : []), ...sorted.filter(site), ...others];
  }
}
