import {UsageError, type OptionDef, type Values} from "./args.ts";
import type {PoliteClient} from "../discover/polite-client.ts";

/** Options of every command that reads councils' web pages. */
export const CRAWL_OPTIONS: OptionDef[] = [
  {name: "delay", type: "string", value: "MS", default: "1000", description: "milliseconds between two requests to one host"},
  {name: "timeout", type: "string", value: "MS", default: "30000", description: "milliseconds to wait for a page"},
  {name: "contact", type: "string", value: "ADDRESS", description: "an e-mail address or URL sent in the User-Agent (default: $VCSE_SPEND_CONTACT)"},
  {name: "page-cache", type: "string", value: "DIR", description: "keep pages read here and ask next time only whether they changed"}
];

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
