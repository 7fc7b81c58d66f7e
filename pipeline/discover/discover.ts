import type {Manifest} from "../sources/manifest.ts";
import {ckanDataset, ckanOrganisation} from "./ckan-resources.ts";
import {crawlPage} from "./crawl-page.ts";
import {discoveredManifest, oneFormatPerPeriod, type FoundFile} from "./discovered-manifest.ts";
import {urlFileName} from "./file-format.ts";
import {linkPeriod} from "./link-period.ts";
import type {PageLink} from "./page-links.ts";
import type {PoliteClient} from "./polite-client.ts";
import {spendingLink} from "./spending-link.ts";

export interface DiscoverOptions {
  council: {code: string; name: string};
  /** A council's spending page, or a CKAN API with a dataset id or an organisation. */
  from: {page: string} | {ckan: string; dataset: string} | {ckan: string; organisation: string};
  client: PoliteClient;
  now?: () => Date;
}

export interface DiscoverReport {
  council: string;
  from: "page" | "ckan";
  url: string;
  pages: string[];
  files: FoundFile[];
  /** Links to files that are not in the manifest, each with why. */
  left_out: {url: string; text: string; reason: string}[];
  /** Pages that could not be read. */
  failed: {url: string; reason: string}[];
}

/** Sorts a page's (or a dataset's) links into spending files with a period and the rest, each with its reason. */
export function sortLinks(links: PageLink[]): Pick<DiscoverReport, "files" | "left_out"> {
  const found: FoundFile[] = [];
  const left_out: DiscoverReport["left_out"] = [];
  for (const link of links) {
    const verdict = spendingLink(link);
    if (!verdict.keep) {
      left_out.push({url: link.url, text: link.text, reason: verdict.reason});
      continue;
    }
    const period = linkPeriod({text: link.text, fileName: urlFileName(link.url), context: link.context, headings: link.headings});
    if (!period) left_out.push({url: link.url, text: link.text, reason: "a spending file, but nothing says which period it covers"});
    else found.push({url: link.url, format: verdict.format, period, text: link.text});
  }
  const {kept, alternatives} = oneFormatPerPeriod(found);
  for (const f of alternatives) left_out.push({url: f.url, text: f.text, reason: `${f.period} is also published in a preferred format`});
  return {files: kept, left_out};
}

/** Finds a council's spending files and drafts its manifest; the manifest is null when none was found. */
export async function discover(options: DiscoverOptions): Promise<{manifest: Manifest | null; report: DiscoverReport}> {
  const at = (options.now ?? (() => new Date()))().toISOString();
  let links: PageLink[];
  let url: string;
  let pages: string[];
  let failed: DiscoverReport["failed"] = [];
  if ("page" in options.from) {
    const crawl = await crawlPage(options.from.page, options.client);
    ({files: links, pages, failed} = crawl);
    url = options.from.page;
  } else {
    const {ckan} = options.from;
    const got = "dataset" in options.from ? await ckanDataset(options.client, ckan, options.from.dataset) : await ckanOrganisation(options.client, ckan, options.from.organisation);
    ({links, page: url} = got);
    pages = [url];
  }
  const kind = "page" in options.from ? "page" : "ckan";
  const sorted = sortLinks(links);
  const report: DiscoverReport = {council: options.council.code, from: kind, url, pages, ...sorted, failed};
  const unplaced = sorted.left_out.filter((l) => l.reason.startsWith("a spending file")).map((l) => `no period known, left out: ${l.url}`);
  const manifest = sorted.files.length ? discoveredManifest(options.council, {kind, url, pages, at}, sorted.files, unplaced) : null;
  return {manifest, report};
}
