import type {Command} from "../args.ts";
import {UsageError} from "../args.ts";
import {progress} from "../progress.ts";
import {councilCode, inputFolder, outputFolder} from "../validate.ts";
import {COUNCILS, DATA, JSON_OUT, QUIET, SOURCES, WAIT, holdRunLocks, list, text} from "./options.ts";

export const fetchCommand: Command = {
  name: "fetch",
  summary: "download every manifest's files into the raw cache; with --registers, the Charity Commission's register; with --reference, ONS's population estimates and GDP deflator",
  details:
    "Files with a url in data/sources/*.json (or --sources DIR) are fetched; a file that fails keeps its last good copy. With --registers,\n" +
    "the Commission's register extract is fetched instead and its charity table unpacked into DIR/registers, where\n" +
    "ingest and classify find it. With --reference, ONS's mid-year population estimates for every year and its latest GDP deflator\n" +
    "series (YBGB) are fetched into DIR/reference: per-resident figures use each year's estimate where the table has one, and\n" +
    "real terms use the series when it reaches a later quarter than the embedded copy.",
  options: [
    COUNCILS,
    SOURCES,
    {name: "cache", type: "string", value: "DIR", default: "cache/raw", description: "the raw cache folder (its lock.json records what was fetched)"},
    {name: "registers", type: "boolean", description: "fetch the Charity Commission's register extract, not councils' files"},
    {name: "registers-url", type: "string", value: "URL", description: "with --registers: where the extract ZIP is (default the Commission's publicextract.charity.zip)"},
    {name: "reference", type: "boolean", description: "fetch ONS's population estimates and GDP deflator series (YBGB), not councils' files"},
    {name: "deflator-url", type: "string", value: "URL", description: "with --reference: where the ONS series CSV is (default ONS's YBGB download)"},
    {name: "population-url", type: "string", value: "URL", description: "with --reference: where ONS's table of mid-year estimates is, XLSX or CSV (default the England and Wales tables)"},
    JSON_OUT,
    DATA,
    QUIET,
    WAIT
  ],
  example: "vcse-spend fetch --council E08000035 --cache cache/raw",
  exits: {1: "a file could not be fetched (named on stderr; the last good copy, if any, is kept)"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const cacheDir = outputFolder(text(values.cache)!, "--cache");
    if (values["registers-url"] !== undefined && values.registers !== true) throw new UsageError("--registers-url needs --registers");
    for (const option of ["deflator-url", "population-url"]) if (values[option] !== undefined && values.reference !== true) throw new UsageError(`--${option} needs --reference`);
    if (values.reference === true) {
      if (values.council !== undefined || values.registers === true) throw new UsageError("--reference fetches the reference series alone: leave out --council and --registers");
      return fetchReferenceCommand(cacheDir, dataDir, {deflatorUrl: text(values["deflator-url"]), populationUrl: text(values["population-url"])}, values.json === true, values.quiet === true);
    }
    if (values.registers === true) {
      if (values.council !== undefined) throw new UsageError("--registers fetches the register, not councils' files: leave out --council");
      return fetchRegistersCommand(cacheDir, text(values["registers-url"]), values.json === true, values.quiet === true);
    }
    const councils = list(values.council).map((c) => councilCode(c, dataDir));
    const sourcesDir = values.sources === undefined ? undefined : inputFolder(text(values.sources)!, "--sources");
    const {fetchTargets, readManifests} = await import("../../sources/manifest.ts");
    const {fetchSources} = await import("../../fetch/fetch-source.ts");
    const manifests = readManifests(dataDir, {sourcesDir, filesDir: sourcesDir ? cacheDir : undefined}).filter((m) => !councils.length || councils.includes(m.council.code));
    const targets = manifests.flatMap(fetchTargets);
    if (targets.length === 0) throw new UsageError(`no URLs to fetch in the ${manifests.length} manifest(s) chosen`);
    await holdRunLocks([cacheDir], "fetch", values);
    const bar = progress(process.stderr, {quiet: values.quiet === true});
    let results;
    try {
      results = await fetchSources(targets, {cacheDir, lockPath: `${cacheDir}/lock.json`, log: bar.log});
    } finally {
      bar.done();
    }
    if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    const failed = results.filter((r) => r.status === "failed" || r.status === "kept_last_good");
    process.stderr.write(`fetched ${results.length - failed.length} of ${results.length}; ${failed.length} failed\n`);
    return failed.length > 0 ? 1 : 0;
  }
};

async function fetchRegistersCommand(cacheDir: string, url: string | undefined, json: boolean, quiet: boolean): Promise<number> {
  const {fetchRegisters} = await import("../../fetch/fetch-registers.ts");
  const {checkUrl} = await import("../../fetch/cache-path.ts");
  if (url !== undefined) {
    try {
      checkUrl(url);
    } catch (err) {
      throw new UsageError(`--registers-url ${JSON.stringify(url)}: ${(err as Error).message}`);
    }
  }
  const bar = progress(process.stderr, {quiet});
  let result;
  try {
    result = await fetchRegisters({cacheDir, url, log: bar.log});
  } finally {
    bar.done();
  }
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const kept = result.current ? `the register in use stays the extract dated ${result.current.date}` : "no extract is in use: the classifier reads the embedded names";
  if (result.status === "failed") process.stderr.write(`error: ${result.error}\n${kept}\n`);
  else if (result.status === "not_modified") process.stderr.write(`not modified: ${result.url}; the extract dated ${result.current?.date} stays in use\n`);
  else process.stderr.write(`fetched ${result.url}: the extract dated ${result.current?.date}, ${result.current?.rows} rows, is in use\n`);
  return result.status === "failed" ? 1 : 0;
}

async function fetchReferenceCommand(cacheDir: string, dataDir: string, urls: {deflatorUrl?: string; populationUrl?: string}, json: boolean, quiet: boolean): Promise<number> {
  const {fetchReference} = await import("../../fetch/fetch-reference.ts");
  const bar = progress(process.stderr, {quiet});
  let result;
  try {
    result = await fetchReference({cacheDir, dataDir, ...urls, log: bar.log});
  } finally {
    bar.done();
  }
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const inUse = `the deflator in use is the ${result.in_use.source} series released ${result.in_use.release_date}, to ${result.in_use.latest_quarter} (${result.in_use.base_year} = 100)`;
  if (result.status === "failed") process.stderr.write(`error: ${result.error}\n${inUse}\n`);
  else process.stderr.write(`${result.status === "fetched" ? "fetched" : "not modified"}: ${result.url}; ${inUse}\n`);
  const population = result.population;
  const years = population.in_use.years;
  const estimates = `the population estimates in use are the ${population.in_use.source === "fetched" ? "fetched table over the embedded one" : "embedded one"}, mid-${years[0]} to mid-${years.at(-1)} (${years.length} years)`;
  if (population.status === "failed") process.stderr.write(`error: ${population.error}\n${estimates}\n`);
  else process.stderr.write(`${population.status === "fetched" ? "fetched" : "not modified"}: ${population.url}; ${estimates}\n`);
  return result.status === "failed" || population.status === "failed" ? 1 : 0;
}
