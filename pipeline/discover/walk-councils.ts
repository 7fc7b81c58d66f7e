import {englishCouncils} from "../sources/councils.ts";
import {discoverAll, type CouncilDiscovery, type DiscoverAllOptions} from "./discover-all.ts";
import {readSpendingPages} from "./spending-pages.ts";

export interface WalkOptions extends Omit<DiscoverAllOptions, "councils"> {
  dataDir: string;
  /** The list of known pages and datasets (data/reference/transparency/council-spending-pages.csv). */
  listFile: string;
  /** Only these councils (default: every English council). */
  only?: string[];
}

/** Every English council today, each with what the list knows of it, discovered; a council the list lacks is said so. */
export async function walkCouncils(o: WalkOptions): Promise<CouncilDiscovery[]> {
  const known = new Map(readSpendingPages(o.listFile).map((p) => [p.code, p]));
  const councils = englishCouncils(o.dataDir)
    .filter((c) => !o.only?.length || o.only.includes(c.code))
    .map((c) => ({code: c.code, name: c.name, source: known.get(c.code)}));
  return discoverAll({...o, councils});
}
