import type {Command} from "../args.ts";
import {UsageError} from "../args.ts";
import {councilCode, inputFolder, outputFolder} from "../validate.ts";
import {DATA, JSON_OUT, QUIET, text} from "./options.ts";

export const discoverCommand: Command = {
  name: "discover",
  summary: "find a council's spending files on its web page or data.gov.uk, and write a draft manifest",
  details:
    "Reads the page, its pagination and one level of year or archive pages on the same site (or a CKAN dataset's\n" +
    "resources), keeps links to CSV, XLSX, XLS, ODS and ZIP files that name spending or a period, and writes\n" +
    "SOURCES/CODE.json marked \"reviewed\": false. One request at a time per host, --delay between them, robots.txt obeyed.",
  options: [
    {name: "council", type: "string", value: "CODE", required: true, description: "the council: a GSS code or its exact name"},
    {name: "page", type: "string", value: "URL", description: "the council's spending page"},
    {name: "ckan", type: "string", value: "API_BASE", description: "a CKAN API, e.g. https://data.gov.uk/api (with --dataset or --organisation)"},
    {name: "dataset", type: "string", value: "ID", description: "with --ckan: the dataset's id or name (package_show)"},
    {name: "organisation", type: "string", value: "ID", description: "with --ckan: every spending dataset of this organisation (package_search)"},
    {name: "sources", type: "string", value: "DIR", required: true, description: "the folder the draft manifest is written to"},
    {name: "delay", type: "string", value: "MS", default: "1000", description: "milliseconds between two requests to one host"},
    {name: "contact", type: "string", value: "ADDRESS", description: "an e-mail address or URL sent in the User-Agent (default: $VCSE_SPEND_CONTACT)"},
    JSON_OUT,
    DATA,
    QUIET
  ],
  example: "vcse-spend discover --council E07000120 --page https://www.hyndburnbc.gov.uk/spending-over-500/ --sources drafts",
  exits: {1: "the page or API could not be read, or no spending file was found on it"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const code = councilCode(text(values.council)!, dataDir);
    const sourcesDir = outputFolder(text(values.sources)!, "--sources");
    const page = text(values.page);
    const ckan = text(values.ckan);
    if ((page === undefined) === (ckan === undefined)) throw new UsageError("give one of --page URL or --ckan API_BASE");
    if (ckan !== undefined && (values.dataset === undefined) === (values.organisation === undefined)) throw new UsageError("--ckan needs one of --dataset ID or --organisation ID");
    if (page === undefined && (values.dataset !== undefined || values.organisation !== undefined) && ckan === undefined) throw new UsageError("--dataset and --organisation go with --ckan");
    for (const [name, url] of [["--page", page], ["--ckan", ckan]] as const) {
      if (url !== undefined && !/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`${name} ${url}: not an http(s) address`);
    }
    const delayMs = Number(text(values.delay));
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new UsageError(`--delay ${text(values.delay)}: not a number of milliseconds`);

    const {mkdirSync, writeFileSync} = await import("node:fs");
    const {join} = await import("node:path");
    const {councilName} = await import("../../sources/councils.ts");
    const {PoliteClient} = await import("../../discover/polite-client.ts");
    const {discover} = await import("../../discover/discover.ts");
    const log = values.quiet === true ? () => {} : (m: string) => void process.stderr.write(`${m}\n`);
    const client = new PoliteClient({delayMs, contact: text(values.contact) ?? process.env.VCSE_SPEND_CONTACT, log});
    const from = page !== undefined ? {page} : values.dataset !== undefined ? {ckan: ckan!, dataset: text(values.dataset)!} : {ckan: ckan!, organisation: text(values.organisation)!};
    const {manifest, report} = await discover({council: {code, name: councilName(code, dataDir) ?? code}, from, client});
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!manifest) {
      process.stderr.write(`no spending files found at ${report.url} (${report.pages.length} page(s) read, ${report.left_out.length} file link(s) left out)\n`);
      return 1;
    }
    mkdirSync(sourcesDir, {recursive: true});
    const out = join(sourcesDir, `${code}.json`);
    writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
    process.stderr.write(`wrote ${out}: ${manifest.files.length} file(s) from ${report.pages.length} page(s); ${report.left_out.length} file link(s) left out\n`);
    return 0;
  }
};
