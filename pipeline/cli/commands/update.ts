import {UsageError, type Command} from "../args.ts";
import {CRAWL_OPTIONS, crawler} from "../crawler.ts";
import {councilCode, inputFile, inputFolder, outputFolder} from "../validate.ts";
import {COUNCILS, DATA, JSON_OUT, QUIET, list, text} from "./options.ts";

export const updateCommand: Command = {
  name: "update",
  summary: "discover, fetch and ingest every English council's spending files",
  details:
    "Discovers councils whose draft manifest in --sources is missing, unreviewed or older than --stale-days (reviewed\n" +
    "manifests are kept), fetches their files into --cache (pages read are kept in CACHE/pages) and ingests them into\n" +
    "--out. A council that fails is named with the reason and the others go on.",
  options: [
    COUNCILS,
    {name: "sources", type: "string", value: "DIR", default: "data/discovered", description: "the folder of discovered manifests"},
    {name: "cache", type: "string", value: "DIR", default: "cache/raw", description: "the raw cache folder"},
    {name: "out", type: "string", value: "DIR", default: "store", description: "the store folder"},
    {name: "list", type: "string", value: "FILE", description: "the list of known pages (default: DATA/reference/transparency/council-spending-pages.csv)"},
    {name: "ckan", type: "string", value: "API_BASE", description: "the CKAN API for the list's dataset ids (default https://data.gov.uk/api)"},
    {name: "stale-days", type: "string", value: "N", default: "28", description: "discover again a draft older than N days"},
    ...CRAWL_OPTIONS,
    JSON_OUT,
    DATA,
    QUIET
  ],
  example: "vcse-spend update --sources data/discovered --cache cache/raw --out store --contact you@example.org",
  exits: {1: "no council could be updated (each failure is named on stderr)"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const only = list(values.council).map((c) => councilCode(c, dataDir));
    const [sourcesDir, cacheDir, outDir] = (["sources", "cache", "out"] as const).map((o) => outputFolder(text(values[o])!, `--${o}`)) as [string, string, string];
    const staleDays = Number(text(values["stale-days"]));
    if (!Number.isFinite(staleDays) || staleDays < 0) throw new UsageError(`--stale-days ${text(values["stale-days"])}: not a number of days`);
    const {join} = await import("node:path");
    const {SPENDING_PAGES} = await import("../../discover/spending-pages.ts");
    const listFile = inputFile(text(values.list) ?? join(dataDir, SPENDING_PAGES), "--list");
    const client = await crawler(values, join(cacheDir, "pages"));
    const {update} = await import("../../update/update.ts");
    const report = await update({dataDir, listFile, only, sourcesDir, cacheDir, outDir, client, ckanApi: text(values.ckan), staleDays, log: client.log});
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const skipped = report.councils.filter((c) => c.status === "skipped").length;
    process.stderr.write(`${report.councils.length} councils: ${report.updated} updated, ${report.failed.length} failed, ${skipped} with nothing to fetch\n`);
    for (const f of report.failed) process.stderr.write(`failed: ${f.council} ${f.name}: ${f.reason}\n`);
    return report.updated > 0 ? 0 : 1;
  }
};
