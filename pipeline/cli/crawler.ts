import {join} from "node:path";
import {UsageError, type OptionDef, type Values} from "./args.ts";
import {DATA, JSON_OUT, QUIET} from "./commands/options.ts";
import {councilCode, inputFile} from "./validate.ts";
import type {PoliteClient} from "../discover/polite-client.ts";
import {SPENDING_PAGES} from "../discover/spending-pages.ts";

/** Options of every command that reads councils' web pages. */
export const CRAWL_OPTIONS: OptionDef[] = [
  {name: "delay", type: "string", value: "MS", default: "1000", description: "milliseconds between two requests to one host"},
  {name: "timeout", type: "string", value: "MS", default: "30000", description: "milliseconds to wait for a page"},
  {name: "contact", type: "string", value: "ADDRESS", description: "an e-mail address or URL sent in the User-Agent (default: $VCSE_SPEND_CONTACT)"},
  {name: "page-cache", type: "string", value: "DIR", description: "keep pages read here and ask next time only whether they changed"},
  JSON_OUT,
  DATA,
  QUIET
];

/** Options of the commands that walk every council. */
export const WALK_OPTIONS: OptionDef[] = [
  {name: "list", type: "string", value: "FILE", description: `the councils' known pages and data.gov.uk ids (default: DATA/${SPENDING_PAGES})`},
  {name: "stale-days", type: "string", value: "N", description: "discover again a draft older than N days; a newer one is kept"}
];

/** The walk's settings: its list, how old a draft may be, and the councils it is limited to. */
export function walkSettings(values: Values, dataDir: string, staleDaysByDefault: number): {listFile: string; staleDays: number; only: string[]} {
  const given = values["stale-days"];
  const staleDays = given === undefined ? staleDaysByDefault : Number(given);
  if (!Number.isFinite(staleDays) || staleDays < 0) throw new UsageError(`--stale-days ${String(given)}: not a number of days`);
  const listFile = inputFile(typeof values.list === "string" ? values.list : join(dataDir, SPENDING_PAGES), "--list");
  const only = (Array.isArray(values.council) ? (values.council as string[]) : []).map((c) => councilCode(c, dataDir));
  return {listFile, staleDays, only};
}

function milliseconds(values: Values, name: string, least: number): number {
  const given = values[name];
  const n = Number(given);
  if (typeof given !== "string" || !/^\d+$/.test(given.trim()) || n < least) throw new UsageError(`--${name} ${String(given)}: not a whole number of milliseconds${least ? ` (at least ${least})` : ""}`);
  return n;
}

/** The polite client the options describe; progress goes to stderr unless quiet. */
export async function crawler(values: Values, pageCache?: string): Promise<PoliteClient> {
  const delayMs = milliseconds(values, "delay", 0);
  const timeoutMs = milliseconds(values, "timeout", 1);
  const {PoliteClient} = await import("../discover/polite-client.ts");
  const contact = typeof values.contact === "string" ? values.contact : process.env.VCSE_SPEND_CONTACT;
  const log = values.quiet === true ? () => {} : (m: string) => void process.stderr.write(`${m}\n`);
  const dir = typeof values["page-cache"] === "string" ? values["page-cache"] : pageCache;
  const {PageCache} = await import("../discover/page-cache.ts");
  return new PoliteClient({delayMs, timeoutMs, contact, log, ...(dir ? {cache: new PageCache(dir)} : {})});
}
