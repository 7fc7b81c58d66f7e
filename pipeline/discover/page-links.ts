import {parse} from "parse5";
import type {DataFormat, OtherFormat} from "./file-format.ts";

/** A link on a page, with the words around it that say what it is. */
export interface PageLink {
  /** Absolute, without its #fragment. */
  url: string;
  text: string;
  /** The text of the list item, table row or paragraph the link sits in. */
  context: string;
  /** Headings in force where the link sits, outermost first: h1..h6, then an accordion's or a list's label. */
  headings: string[];
  rel: string;
  /** The format the server said when the link was followed (its address and words did not say). */
  format?: DataFormat | OtherFormat;
}

interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: {name: string; value: string}[];
  childNodes?: Node[];
}

/** Where links are navigation, not content. */
const CHROME = new Set(["nav", "header", "footer", "script", "style", "noscript", "template"]);
/** Elements whose text labels what follows them: accordions (summary, button), definition lists, captions. */
const LABELS = new Set(["summary", "dt", "caption", "legend"]);
const CONTAINERS = new Set(["li", "tr", "dd", "p"]);

const attr = (node: Node, name: string) => node.attrs?.find((a) => a.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === "#text") return node.value ?? "";
  if (node.tagName && CHROME.has(node.tagName)) return "";
  return (node.childNodes ?? []).map(textOf).join(" ");
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

const elements = (node: Node) => (node.childNodes ?? []).filter((c) => c.tagName || squash(c.value ?? ""));
const hasLink = (node: Node): boolean => node.tagName === "a" || (node.childNodes ?? []).some(hasLink);

function isLabel(node: Node): boolean {
  if (!node.tagName) return false;
  if (LABELS.has(node.tagName)) return true;
  // A paragraph that is only bold text and no link: a heading written by hand ("<p><strong>April 2024</strong></p>").
  const only = elements(node);
  if ((node.tagName === "p" || node.tagName === "div") && only.length === 1 && /^(strong|b)$/.test(only[0]!.tagName ?? "") && !hasLink(node)) return true;
  // Accordion toggles: a button that expands a panel, or an element marked as an accordion's heading.
  if (node.tagName === "button" && attr(node, "aria-expanded") !== undefined) return true;
  return /accordion[-_]?(heading|header|title|button|toggle)/i.test(attr(node, "class") ?? "");
}

/** Every link in the content of an HTML page, resolved against the page's address (or its <base href>). */
export function pageLinks(html: string, pageUrl: string): PageLink[] {
  const doc = parse(html) as unknown as Node;
  let base = pageUrl;
  const links: PageLink[] = [];
  const levels: string[] = [];
  let label = "";
  const walk = (node: Node, container: string) => {
    const tag = node.tagName;
    if (tag && CHROME.has(tag)) return;
    if (tag === "base" && attr(node, "href")) base = resolve(attr(node, "href")!, pageUrl) ?? pageUrl;
    const heading = tag ? /^h([1-6])$/.exec(tag) : null;
    if (heading) {
      levels.length = +heading[1]! - 1;
      levels[+heading[1]! - 1] = squash(textOf(node));
      label = "";
    } else if (isLabel(node)) {
      label = squash(textOf(node));
    }
    const here = tag && CONTAINERS.has(tag) ? squash(textOf(node)) : container;
    if (tag === "a" && attr(node, "href") !== undefined) {
      const url = resolve(attr(node, "href")!, base);
      if (url) {
        const text = squash(textOf(node)) || squash(attr(node, "title") ?? attr(node, "aria-label") ?? "");
        links.push({url, text, context: here, headings: [...levels.filter(Boolean), ...(label ? [label] : [])], rel: (attr(node, "rel") ?? "").toLowerCase()});
      }
    }
    for (const child of node.childNodes ?? []) walk(child, here);
  };
  walk(doc, "");
  return links;
}

function resolve(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}
