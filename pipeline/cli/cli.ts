import {readFileSync} from "node:fs";
import {ingest, manifestJobs} from "../ingest/ingest.ts";
import {sumReconciliations} from "../conform/ledger.ts";

const USAGE = `usage: vcse-spend <command> [options]

commands:
  fetch [--council CODE] [--cache DIR]          download every manifest's files into the raw cache
  ingest [--council CODE] [--out DIR] [--json]  read, conform, classify and store every manifest's files
  ingest --council CODE --files PATH... [--out DIR] [--json]
                                                ingest files of a council that has no manifest yet
  classify                                      classify supplier names read from stdin; CSV to stdout
  briefing CODE --out FILE.pdf [--dist DIR]     a council's page from the built site as an A4 PDF

options:
  --data DIR   the data folder (default: data)
  --json       print the machine-readable report on stdout
`;

interface Args {
  command: string;
  flags: Map<string, string[]>;
}

export function parseArgs(argv: string[]): Args {
  const [command = "", ...rest] = argv;
  const flags = new Map<string, string[]>();
  let current: string | null = null;
  for (const arg of rest) {
    if (arg.startsWith("--")) {
      current = arg.slice(2);
      if (!flags.has(current)) flags.set(current, []);
    } else if (current) {
      flags.get(current)!.push(arg);
    } else {
      flags.set("", [...(flags.get("") ?? []), arg]);
    }
  }
  return {command, flags};
}

class UsageError extends Error {}

/** Runs one command; returns the exit status. Errors are reported as one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    const {command, flags} = parseArgs(argv);
    if (flags.has("") && command !== "briefing") throw new UsageError(`unexpected argument ${JSON.stringify(flags.get("")![0])}`);
    const one = (name: string) => flags.get(name)?.[0];
    const dataDir = one("data") ?? "data";
    const log = (m: string) => process.stderr.write(`${m}\n`);
    switch (command) {
      case "ingest": {
        const files = flags.get("files");
        const councils = flags.get("council");
        if (files && councils?.length !== 1) throw new UsageError("--files needs exactly one --council CODE");
        if (files && files.length === 0) throw new UsageError("--files needs at least one path");
        const report = await ingest({
          dataDir,
          outDir: one("out") ?? "store",
          councils,
          adhoc: files ? {council: councils![0]!, files} : undefined,
          log
        });
        if (flags.has("json")) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printSummary(report);
        for (const f of report.files.filter((f) => f.error)) log(`error: ${f.error}`);
        return report.total.failed_files > 0 ? 1 : 0;
      }
      case "fetch": {
        const {fetchSources} = await import("../fetch/fetch-source.ts");
        const cacheDir = one("cache") ?? "cache/raw";
        const jobs = manifestJobs(dataDir, flags.get("council"));
        const manifests = (await import("../sources/manifest.ts")).readManifests(dataDir);
        const targets = manifests
          .filter((m) => !flags.get("council")?.length || flags.get("council")!.includes(m.council.code))
          .flatMap((m) => m.files.filter((f) => f.url).map((f) => ({council: m.council.code, url: f.url!, path: f.path, kind: f.kind})));
        if (targets.length === 0) throw new UsageError(`no URLs to fetch in ${jobs.length} files`);
        const results = await fetchSources(targets, {cacheDir, lockPath: `${cacheDir}/lock.json`, log});
        if (flags.has("json")) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        const failed = results.filter((r) => r.status === "failed" || r.status === "kept_last_good");
        log(`fetched ${results.length - failed.length} of ${results.length}; ${failed.length} failed`);
        return failed.length > 0 ? 1 : 0;
      }
      case "classify": {
        const {loadClassifier} = await import("../classify/classify.ts");
        const {classifyCsv} = await import("../classify/classify-csv.ts");
        const input = readFileSync(0, "utf8");
        process.stdout.write(classifyCsv(input, await loadClassifier({referenceDir: `${dataDir}/reference`})));
        return 0;
      }
      case "briefing": {
        const [code] = flags.get("") ?? [];
        const out = one("out");
        if (!code || !out) throw new UsageError("briefing needs a council code and --out FILE.pdf");
        const {briefing} = await import("./briefing.ts");
        await briefing(code, out, {dist: one("dist"), dataDir});
        log(`wrote ${out}`);
        return 0;
      }
      case "":
      case "help":
      case "--help":
        process.stdout.write(USAGE);
        return command === "" ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    process.stderr.write(`vcse-spend: ${(e as Error).message}\n`);
    if (e instanceof UsageError) process.stderr.write(USAGE);
    return e instanceof UsageError ? 2 : 1;
  }
}

function printSummary(report: Awaited<ReturnType<typeof ingest>>): void {
  const rows = report.councils.map((c) => ({
    council: `${c.council} ${c.council_name}`.slice(0, 44).padEnd(44),
    files: String(c.files).padStart(5),
    rows: String(c.rows_in).padStart(9),
    kept: String(c.kept).padStart(9),
    rejected: String(c.rejected).padStart(8),
    dups: String(c.duplicates).padStart(6),
    amount: c.amount_kept.padStart(16),
    years: c.financial_years.length ? `${c.financial_years[0]}..${c.financial_years.at(-1)}` : ""
  }));
  const line = (r: Record<string, string>) => Object.values(r).join("  ");
  process.stdout.write(`${line({council: "council".padEnd(44), files: "files", rows: "rows in".padStart(9), kept: "kept".padStart(9), rejected: "rejected", dups: "dups".padStart(6), amount: "amount kept £".padStart(16), years: "years"})}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  const t = sumReconciliations(report.files);
  process.stdout.write(`total: ${t.rows_in} rows in = ${t.kept} kept + ${t.rejected} rejected; £${t.amount_in} in = £${t.amount_kept} kept + £${t.amount_rejected} rejected\n`);
}
