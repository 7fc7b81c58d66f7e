import type {Command, Values} from "../args.ts";
import {UsageError} from "../args.ts";
import {CRAWL_OPTIONS, WALK_OPTIONS, crawler, walkSettings} from "../crawler.ts";
import {councilCode, inputFolder, outputFolder} from "../validate.ts";
import {list, text} from "./options.ts";

export const discoverCommand: Command = {
  name: "discover",
  summary: "find a council's spending files on its web page or data.gov.uk, and write a draft manifest",
  details:
    "Reads the page, its pagination and one level of year or archive pages on the same site (or a CKAN dataset's\n" +
    "resources), keeps links to CSV, XLSX, XLS, ODS and ZIP files that name spending or a period, and writes\n" +
    "SOURCES/CODE.json marked \"reviewed\": false. With --all, every English council in DATA/reference is walked from\n" +
    "the list of known pages and data.gov.uk datasets; reviewed manifests are kept. One request at a time per host,\n" +
    "--delay between them, robots.txt obeyed.",
  options: [
    {name: "council", type: "string", value: "CODE", repeatable: true, description: "the council: a GSS code or its exact name (with --all: only these)"},
    {name: "page", type: "string", value: "URL", description: "the council's spending page"},
    {name: "ckan", type: "string", value: "API_BASE", description: "a CKAN API, e.g. https://data.gov.uk/api (with --dataset or --organisation; with --all, the API for the list's dataset ids)"},
    {name: "dataset", type: "string", value: "ID", description: "with --ckan: the dataset's id or name (package_show)"},
    {name: "organisation", type: "string", value: "ID", description: "with --ckan: every spending dataset of this organisation (package_search)"},
    {name: "all", type: "boolean", description: "every English council, from the list of known pages (--list); --list and --stale-days (default 0) go with it"},
    ...WALK_OPTIONS,
    {name: "sources", type: "string", value: "DIR", required: true, description: "the folder draft manifests are written to"},
    ...CRAWL_OPTIONS
  ],
  example: "vcse-spend discover --council E07000120 --page https://www.hyndburnbc.gov.uk/spending-over-500/ --sources drafts",
  exits: {1: "the page or API could not be read, or no spending file was found (with --all: for every council)"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const sourcesDir = outputFolder(text(values.sources)!, "--sources");
    if (values.all === true) return all(values, dataDir, sourcesDir);
    for (const name of ["list", "stale-days"]) if (values[name] !== undefined) throw new UsageError(`--${name} goes with --all`);
    const councils = list(values.council);
    if (councils.length !== 1) throw new UsageError("give one --council CODE (or --all)");
    const code = councilCode(councils[0]!, dataDir);
    const page = text(values.page);
    const ckan = text(values.ckan);
    if ((page === undefined) === (ckan === undefined)) throw new UsageError("give one of --page URL or --ckan API_BASE");
    if (ckan !== undefined && (values.dataset === undefined) === (values.organisation === undefined)) throw new UsageError("--ckan needs one of --dataset ID or --organisation ID");
    if (page !== undefined && (values.dataset !== undefined || values.organisation !== undefined)) throw new UsageError("--dataset and --organisation go with --ckan");
    for (const [name, url] of [["--page", page], ["--ckan", ckan]] as const) {
      if (url !== undefined && !/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`${name} ${url}: not an http(s) address`);
    }
    const client = await crawler(values);
    const {councilName} = await import("../../sources/councils.ts");
    const {discover} = await import("../../discover/discover.ts");
    const {writeDraft} = await import("../../discover/discover-all.ts");
    const from = page !== undefined ? {page} : values.dataset !== undefined ? {ckan: ckan!, dataset: text(values.dataset)!} : {ckan: ckan!, organisation: text(values.organisation)!};
    const {manifest, report} = await discover({council: {code, name: councilName(code, dataDir) ?? code}, from, client});
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!manifest) {
      process.stderr.write(`no spending files found at ${report.url} (${report.pages.length} page(s) read, ${report.left_out.length} file link(s) left out)\n`);
      return 1;
    }
    const out = writeDraft(sourcesDir, manifest, dataDir);
    process.stderr.write(`wrote ${out}: ${manifest.files.length} file(s) from ${report.pages.length} page(s); ${report.left_out.length} file link(s) left out\n`);
    return 0;
  }
};

async function all(values: Values, dataDir: string, sourcesDir: string): Promise<number> {
  for (const name of ["page", "dataset", "organisation"]) if (values[name] !== undefined) throw new UsageError(`--${name} does not go with --all`);
  const {listFile, staleDays, only} = walkSettings(values, dataDir, 0);
  const client = await crawler(values);
  const {walkCouncils} = await import("../../discover/walk-councils.ts");
  const results = await walkCouncils({dataDir, listFile, only, sourcesDir, client, ckanApi: text(values.ckan), staleDays});
  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  const count = (s: string) => results.filter((r) => r.status === s).length;
  process.stderr.write(
    `${results.length} councils: ${count("found")} found, ${count("no_files")} with no files found, ${count("failed")} failed, ${count("no_source")} with no page known, ${count("reviewed") + count("fresh")} kept\n`
  );
  for (const r of results.filter((r) => r.status === "failed")) process.stderr.write(`failed: ${r.council} ${r.name}: ${r.reason}\n`);
  return count("found") + count("reviewed") + count("fresh") > 0 ? 0 : 1;
}
