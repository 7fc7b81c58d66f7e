import type {Command} from "../args.ts";
import {UsageError} from "../args.ts";
import {progress} from "../progress.ts";
import {printSummary} from "../summary.ts";
import {councilCode, inputFile, inputFolder, outputFolder} from "../validate.ts";
import {COUNCILS, DATA, JSON_OUT, MAP, QUIET, REGISTERS, SOURCES, WAIT, holdRunLocks, list, text} from "./options.ts";

export const ingestCommand: Command = {
  name: "ingest",
  summary: "read, conform, classify and store every manifest's files; or, with --files, a council's files with no manifest",
  details:
    "Manifests are data/sources/*.json; unchanged files are not read again. With --files, the columns of each file are\n" +
    "found from its headers (see vcse-spend inspect), and --map names a column the headers do not make plain.",
  options: [
    COUNCILS,
    {name: "files", type: "string", value: "PATH...", repeatable: true, description: "files of a council with no manifest (needs one --council); the paths after it are files too"},
    MAP,
    {name: "out", type: "string", value: "DIR", default: "store", description: "the store folder"},
    SOURCES,
    {name: "cache", type: "string", value: "DIR", description: "the raw cache fetch wrote: manifests' file paths lead there instead of into DATA"},
    REGISTERS,
    JSON_OUT,
    DATA,
    QUIET,
    WAIT
  ],
  positionals: {name: "PATH", description: "more files for --files", min: 0, max: Infinity},
  example: "vcse-spend ingest --council E07000120 --files spend/2024-04.csv spend/2024-05.csv --map amount=\"Net Amount\" --out store",
  exits: {1: "a file could not be read or conformed (named on stderr; the others are stored), or a manifest is invalid"},
  async run({values, positionals}) {
    const given = list(values.council);
    const files = [...list(values.files), ...positionals];
    if (values.files === undefined && positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (files go after --files)`);
    if (files.length > 0 && given.length !== 1) throw new UsageError("--files needs exactly one --council CODE");
    if (values.map !== undefined && files.length === 0) throw new UsageError("--map needs --files: a manifest's layout names its columns");
    const dataDir = inputFolder(text(values.data)!, "--data");
    const councils = given.map((c) => councilCode(c, dataDir));
    for (const f of files) inputFile(f, "--files");
    const outDir = outputFolder(text(values.out)!, "--out");
    const dirs = {
      sourcesDir: values.sources === undefined ? undefined : inputFolder(text(values.sources)!, "--sources"),
      filesDir: values.cache === undefined ? undefined : inputFolder(text(values.cache)!, "--cache")
    };
    if (files.length > 0 && (dirs.sourcesDir || dirs.filesDir)) throw new UsageError("--files reads the files given, not manifests: --sources and --cache do not apply");
    const registersDir = values.registers === undefined ? undefined : inputFolder(text(values.registers)!, "--registers");
    const {checkMapped, parseMap} = await import("../map-fields.ts");
    const map = parseMap(list(values.map));
    if (Object.keys(map).length > 0) checkMapped(files, map);

    const {ingest, adhocJobs, manifestJobs} = await import("../../ingest/ingest.ts");
    if (files.length === 0 && councils.length > 0) {
      const found = new Set(manifestJobs(dataDir, councils, dirs).map((j) => j.council.code));
      const missing = councils.filter((c) => !found.has(c));
      if (missing.length) throw new UsageError(`no manifest in ${dirs.sourcesDir ?? `${dataDir}/sources`} for ${missing.join(", ")}: ingest its files with --files`);
    }
    await holdRunLocks([outDir], "ingest", values);
    const bar = progress(process.stderr, {quiet: values.quiet === true});
    let report;
    try {
      report = await ingest({dataDir, dirs, outDir, councils, adhoc: files.length ? {council: councils[0]!, files, map} : undefined, registersDir, log: bar.log});
    } finally {
      bar.done();
    }
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printSummary(report);
    // A file's stored id is relative to the working folder; the user is told of it by the path they wrote.
    const asGiven = new Map(files.length ? adhocJobs(councils[0]!, files, dataDir).map((j, i) => [j.sourceFile, files[i]!]) : []);
    for (const f of report.files.filter((f) => f.error)) {
      const path = asGiven.get(f.file);
      const error = path !== undefined && f.error!.startsWith(f.file) ? path + f.error!.slice(f.file.length) : f.error;
      process.stderr.write(`error: ${error}\n`);
    }
    return report.total.failed_files > 0 ? 1 : 0;
  }
};
