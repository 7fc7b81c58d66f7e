import {fileFormat, isDataFormat, urlFileName, type DataFormat} from "./file-format.ts";
import type {PageLink} from "./page-links.ts";

/** Published beside spending files but their own kind: registers, policies, other transparency data sets. */
const OTHER_KINDS =
  /\b(contracts?|tenders?|grants?|polic(y|ies)|strateg(y|ies)|salar(y|ies)|pay multiples?|senior (staff|officers?|employees)|organi[sz]ation(al)? charts?|budgets?|statement of accounts|council tax|business rates|land( and|&)? (property|assets|buildings)|assets? registers?|parking|trade unions?|fraud|foi|freedom of information|minutes|agenda|consultations?)\b/i;
const SPENDING =
  /\b(spend(ing)?|spent|payments?|paid|expenditure|invoices?|transactions?|purchase cards?|procurement cards?|p-?cards?|gpc|suppliers?)\b|over\s*£?\s*(500|250)|£\s*(500|250)\b/i;
const WHEN =
  /\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|q[1-4]|quarter|period \d+|p\d{1,2})\b|\b20\d\d[-_ ]?(0[1-9]|1[0-2])\b|\b20\d\d[-/](\d\d)\b/i;

export type LinkVerdict = {keep: true; format: DataFormat} | {keep: false; reason: string};

/** Document stores whose addresses carry no extension ("/downloads/file/123/spend-april"): the words beside the link tell. */
const DOCUMENT_STORE = /\/(downloads?|files?|documents?|media|assets|attachments?|uploads?)\//i;

/** A link's format: from its address, its text, or, for a document store's link, the row it sits in ("Spending April (CSV, 20KB)"). */
export function linkFormat(link: PageLink): ReturnType<typeof fileFormat> {
  return link.format ?? fileFormat(link.url, link.text) ?? (DOCUMENT_STORE.test(new URL(link.url).pathname) ? fileFormat("", link.context) : undefined);
}

/**
 * A link worth following to see what it is: a document store's address with no format known, whose words name
 * spending or a period (the server's answer then tells whether it is a file).
 */
export function worthProbing(link: PageLink): boolean {
  const words = `${link.text} | ${link.context}`;
  return DOCUMENT_STORE.test(new URL(link.url).pathname) && !OTHER_KINDS.test(link.text) && (SPENDING.test(words) || WHEN.test(words));
}


/**
 * Whether a link is to a spending file: a data format, and its text, file name, row or nearest heading names
 * spending or a month, quarter or period, while its own words do not name another kind of data (a heading
 * naming one, "Contracts register", counts only when the link's own words say nothing of spending).
 */
export function spendingLink(link: PageLink): LinkVerdict {
  const format = linkFormat(link);
  if (!isDataFormat(format)) return {keep: false, reason: format ? `a ${format} file, not data` : "not a file"};
  const named = `${link.text} | ${urlFileName(link.url).replace(/[_+-]+/g, " ")}`;
  const own = `${named} | ${link.context}`;
  const heading = link.headings.at(-1) ?? "";
  // The nearer the words, the more they count: a row or heading naming contracts says nothing of a link named spending.
  const other = OTHER_KINDS.exec(named)?.[0] ?? (SPENDING.test(named) ? undefined : OTHER_KINDS.exec(link.context)?.[0]) ?? (SPENDING.test(own) ? undefined : OTHER_KINDS.exec(heading)?.[0]);
  if (other) return {keep: false, reason: `names another kind of data (${other.toLowerCase()})`};
  const all = [own, ...link.headings].join(" | ");
  if (SPENDING.test(all) || WHEN.test(all)) return {keep: true, format};
  return {keep: false, reason: "nothing names spending or a period"};
}
