import {relative} from "node:path";
import {BaseSequencer, type TestSpecification} from "vitest/node";

/** Whether a test file, or a command-line filter naming test files, needs the built site. */
export function needsSite(filter: string): boolean {
  return filter.includes("browser") || filter.includes("briefing") || "test/browser/".includes(filter) || "test/briefing".includes(filter);
}

/**
 * Vitest's order (slowest or largest first), except that the files that need the built site come after all the
 * others: the site builds in the background (global-setup.ts) while the others run.
 */
export default class SiteLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const site = (f: TestSpecification) => needsSite(relative(this.ctx.config.root, f.moduleId));
    return [...sorted.filter((f) => !site(f)), ...sorted.filter(site)];
  }
}
