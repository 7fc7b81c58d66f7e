import {sameSite} from "../address-check.ts";
import {responseFormat, urlFileName} from "./file-format.ts";
import {linkFormat, worthProbing} from "./spending-link.ts";
import {pageLinks, type PageLink} from "./page-links.ts";
import type {PoliteClient} from "./polite-client.ts";

export interface Crawl {
  /** Pages read, by their address after redirects, in the order read. */
  pages: string[];
  /** Links to files (any format) on those pages, each URL once. */
  files: PageLink[];
  /** Pages that could not be read, with the reason; the start page's failure throws instead. */
  failed: {url: string; reason: string}[];
}

/** Pages read at most, however many a site links. */
export const MAX_PAGES = 200;
/** Links followed only to learn whether they are files, at most, per crawl. */
export const MAX_PROBES = 200;
/** Requests per crawl at most, pages that fail included. */
export const MAX_ASKED = MAX_PAGES + MAX_PROBES;
/** Links read from one page at most; a page with more is named in `failed` and the rest are left. */
export const MAX_LINKS = 5000;

const NEXT = /^(next( page)?|more|older( entries)?|[›»>]+|next\s*[›»>]+)$/i;
/** A year or an archive: "2023", "2023/24", "2022 to 2023", "Spending 2021-22", "Archive", "Previous years". */
const SUB_PAGE = /(^|\D)20\d\d(\D|$)|\barchived?\b|\b(previous|past|earlier|older) (years?|data|files|spending)\b/i;

const key = (url: string) => url.replace(/\/$/, "");

/** A page's address without its page number, to tell pagination from a link to another page. */
function unpaged(url: URL): string {
  const copy = new URL(url.href);
  for (const name of [...copy.searchParams.keys()]) if (/^(page|p|pg|start|offset|paged)$/i.test(name) || /page/i.test(name)) copy.searchParams.delete(name);
  copy.pathname = copy.pathname.replace(/\/(page\/)?\d+\/?$/, "").replace(/\/$/, "");
  return copy.origin + copy.pathname + copy.search;
}

function isPagination(link: PageLink, page: URL): boolean {
  const to = new URL(link.url);
  if (to.host !== page.host) return false;
  const said = link.rel.split(/\s+/).includes("next") || NEXT.test(link.text) || /^\d{1,3}$/.test(link.text);
  return said && unpaged(to) === unpaged(page);
}

function isSubPage(link: PageLink, page: URL): boolean {
  const to = new URL(link.url);
  if (to.host !== page.host) return false;
  return SUB_PAGE.test(link.text) || (SUB_PAGE.test(urlFileName(link.url)) && !/^\d{1,3}$/.test(link.text));
}

/**
 * Reads a council's spending page, the pages of its pagination, and one level of year or archive pages on the
 * same site (with their pagination), and returns every link to a file found on them.
 */
export async function crawlPage(start: string, client: PoliteClient): Promise<Crawl> {
  // A probe is a link followed only to learn whether it is a file; a probe that is a page is not read.
  const queue: {url: string; depth: number; link?: PageLink; probe?: boolean}[] = [{url: start, depth: 0}];
  const seen = new Set([key(start)]);
  const crawl: Crawl = {pages: [], files: [], failed: []};
  const fileUrls = new Set<string>();
  // Pages are read, and links probed, on the council's own site only (where its start page is, after the start
  // page's own redirects: the list of councils names it); a file elsewhere is kept by its link alone.
  let site = start;
  const onSite = (to: string) => sameSite(to, site);
  let probes = 0;
  let asked = 0;
  while (queue.length && crawl.pages.length < MAX_PAGES) {
    if (asked++ === MAX_ASKED) {
      crawl.failed.push({url: start, reason: `stopped after ${MAX_ASKED} requests, ${queue.length} link(s) not followed`});
      break;
    }
    const {url, depth, link: from, probe} = queue.shift()!;
    let page;
    try {
      page = await client.get(url, undefined, (to) => seen.has(key(to)) && key(to) !== key(url), url === start ? undefined : onSite);
    } catch (e) {
      if (crawl.pages.length === 0 && url === start) throw e;
      crawl.failed.push({url, reason: (e as Error).message});
      continue;
    }
    if (!page || crawl.pages.includes(page.url)) continue;
    seen.add(key(page.url));
    if (page.file && from) {
      if (!fileUrls.has(from.url)) {
        fileUrls.add(from.url);
        crawl.files.push({...from, format: responseFormat(page.contentType, page.disposition)});
      }
      continue;
    }
    if (probe) continue;
    if (page.file) {
      crawl.failed.push({url, reason: `not a page (${page.contentType || "no content type"})`});
      continue;
    }
    if (crawl.pages.length === 0) site = page.url;
    crawl.pages.push(page.url);
    const here = new URL(page.url);
    const links = pageLinks(page.text, page.url);
    if (links.length > MAX_LINKS) crawl.failed.push({url: page.url, reason: `${links.length} links, more than ${MAX_LINKS}: the first ${MAX_LINKS} were read`});
    for (const link of links.slice(0, MAX_LINKS)) {
      if (linkFormat(link) !== undefined && !/^https?:\/\/[^/]+\/?$/.test(link.url)) {
        if (!fileUrls.has(link.url)) {
          fileUrls.add(link.url);
          crawl.files.push(link);
        }
        continue;
      }
      if (seen.has(key(link.url)) || !onSite(link.url)) continue;
      const next = isPagination(link, here) ? depth : depth === 0 && isSubPage(link, here) ? 1 : undefined;
      if (next === undefined && (!worthProbing(link) || probes >= MAX_PROBES)) continue;
      if (next === undefined) probes++;
      seen.add(key(link.url));
      queue.push({url: link.url, depth: next ?? depth, link, probe: next === undefined});
    }
  }
  return crawl;
}
