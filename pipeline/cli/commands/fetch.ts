import type {Command} from "../args.ts";
import {UsageError} from "../args.ts";
import {progress} from "../progress.ts";
import {councilCode, inputFolder, outputFolder} from "../validate.ts";
import {COUNCILS, DATA, JSON_OUT, QUIET, SOURCES, WAIT, holdRunLocks, list, text} from "./options.ts";

export const fetchCommand: Command = {
  name: "fetch",
  summary: "download every manifest's files into the raw cache",
  details: "Files with a url in data/sources/*.json (or --sources DIR) are fetched; a file that fails keeps its last good copy.",
  options: [COUNCILS, SOURCES, {name: "cache", type: "string", value: "DIR", default: "cache/raw", description: "the raw cache folder (its lock.json records what was fetched)"}, JSON_OUT, DATA, QUIET, WAIT],
  example: "vcse-spend fetch --council E08000035 --cache cache/raw",
  exits: {1: "a file could not be fetched (named on stderr; the last good copy, if any, is kept)"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const councils = list(values.council).map((c) => councilCode(c, dataDir));
    const cacheDir = outputFolder(text(values.cache)!, "--cache");
    const sourcesDir = values.sources === undefined ? undefined : inputFolder(text(values.sources)!, "--sources");
    const {readManifests} = await import("../../sources/manifest.ts");
    const {fetchSources} = await import("../../fetch/fetch-source.ts");
    const manifests = readManifests(dataDir, {sourcesDir, filesDir: sourcesDir ? cacheDir : undefined}).filter((m) => !councils.length || councils.includes(m.council.code));
    const targets = manifests.flatMap((m) => m.files.filter((f) => f.url).map((f) => ({council: m.council.code, url: f.url!, path: f.path, kind: f.kind})));
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
