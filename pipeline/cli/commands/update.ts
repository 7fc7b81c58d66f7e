import type {Command} from "../args.ts";
import {CRAWL_OPTIONS, WALK_OPTIONS, crawler, walkSettings} from "../crawler.ts";
import {inputFolder, outputFolder} from "../validate.ts";
import {COUNCILS, WAIT, holdRunLocks, text} from "./options.ts";

export const updateCommand: Command = {
  name: "update",
  summary: "discover, fetch and ingest every English council's spending files",
  details:
    "Discovers councils whose draft manifest in --sources is missing, unreviewed or older than --stale-days (default 28;\n" +
    "reviewed manifests are kept), fetches their files into --cache (pages read are kept in CACHE/pages) and ingests them into\n" +
    "--out. A council that fails is named with the reason and the others go on.",
  options: [
    COUNCILS,
    {name: "sources", type: "string", value: "DIR", default: "data/discovered", description: "the folder of discovered manifests"},
    {name: "cache", type: "string", value: "DIR", default: "cache/raw", description: "the raw cache folder"},
    {name: "out", type: "string", value: "DIR", default: "store", description: "the store folder"},
    {name: "ckan", type: "string", value: "API_BASE", description: "the CKAN API for the list's dataset ids (default https://data.gov.uk/api)"},
    {name: "site", type: "string", value: "DIR", description: "then build the site from the store, if it passes verify, and publish it as DIR (a link switched atomically)"},
    {name: "build-command", type: "string", value: "CMD", default: "npm run build:site", description: "with --site: the command that builds the site into $VCSE_BUILD_OUT (the default fills Framework's npm cache, then runs observable build, whose loaders read the store in $VCSE_STORE, set to --out)"},
    ...WALK_OPTIONS,
    ...CRAWL_OPTIONS,
    WAIT
  ],
  example: "vcse-spend update --sources data/discovered --cache cache/raw --out store --contact you@example.org",
  exits: {1: "no council could be updated (each failure is named on stderr), the store fails verify after rebuilding, or the site could not be built"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const [sourcesDir, cacheDir, outDir] = (["sources", "cache", "out"] as const).map((o) => outputFolder(text(values[o])!, `--${o}`)) as [string, string, string];
    const {listFile, staleDays, only} = walkSettings(values, dataDir, 28);
    // In the order fetch and ingest take them: the cache, then the store.
    await holdRunLocks([cacheDir, outDir], "update", values);
    const {join} = await import("node:path");
    const client = await crawler(values, join(cacheDir, "pages"));
    const {update} = await import("../../update/update.ts");
    const site = text(values.site) === undefined ? undefined : {out: outputFolder(text(values.site)!, "--site"), command: text(values["build-command"])!.trim().split(/\s+/), wait: values.wait === true};
    const report = await update({dataDir, listFile, only, sourcesDir, cacheDir, outDir, client, ckanApi: text(values.ckan), staleDays, site, log: client.log});
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const skipped = report.councils.filter((c) => c.status === "skipped").length;
    process.stderr.write(`${report.councils.length} councils: ${report.updated} updated, ${report.failed.length} failed, ${skipped} with nothing to fetch\n`);
    for (const f of report.failed) process.stderr.write(`failed: ${f.council} ${f.name}: ${f.reason}\n`);
    for (const source of report.verify.rebuilt) process.stderr.write(`rebuilt: ${source} (a stored file was damaged)\n`);
    const {describeFaults} = await import("../../store/verify.ts");
    const faults = describeFaults(report.verify);
    for (const line of faults) process.stderr.write(`${line}\n`);
    if (faults.length) process.stderr.write(`the store failed verification: do not build the site from it\n`);
    if (report.site?.published) process.stderr.write(`site published: ${report.site.published}\n`);
    else if (report.site) process.stderr.write(`site not published: ${report.site.reason}\n`);
    return report.updated > 0 && faults.length === 0 && report.site?.published !== null ? 0 : 1;
  }
};
