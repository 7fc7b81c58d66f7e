/**
 * The benchmark: `npm run bench` prints a table; `-- --json` prints one JSON object instead; `-- --quick`
 * runs a small version (one minute or less). Every timing is next to a baseline run in the same script:
 * DuckDB's own CSV-to-Parquet copy over the same bytes for ingest, the full ingest for the incremental
 * rebuild. Full runs write bench/results/latest.json and bench/results/cost-vs-size.svg; quick runs write
 * bench/results/quick.json. Options: --sizes=1000000,3000000 (rows of the generated corpora; --sizes= for none),
 * --repeat=N (run baseline and pipeline N times each, keep the fastest), --no-site, --no-embedded, and
 * --site / --embedded to add those to a quick run.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {readManifests} from "../pipeline/sources/manifest.ts";
import {readZip} from "../pipeline/read/read-zip.ts";
import {pageBytes, type PageBytes} from "./bytes.ts";
import {costChart} from "./chart.ts";
import {linearFit, predict, type LinearFit} from "./fit.ts";
import {generateCorpus, type Corpus} from "./generate-corpus.ts";
import {machine, type Machine} from "./machine.ts";
import {baselineRun, ingestRun, type BaselineRun, type IngestRun} from "./runs.ts";
import {siteBench, type SiteResult} from "./site.ts";

export interface Comparison {
  name: string;
  rows: number;
  files: number;
  bytes: number;
  seconds: number;
  baseline_seconds: number;
  ratio: number;
  rows_per_second: number;
  cpu_seconds: number;
  baseline_cpu_seconds: number;
  /** cpu_seconds / baseline_cpu_seconds: steadier than the wall-clock ratio on a shared machine. */
  cpu_ratio: number;
  max_rss_bytes: number;
  kept: number;
  rejected: number;
  duplicates: number;
  failed_files: number;
  fast_files: number;
  js_files: number;
  baseline_failed_files: number;
  generation_seconds?: number;
  /** Wall seconds in each step of the fast path, summed over batches; steps overlap, so they add up to more than `seconds`. */
  phases: Record<string, number>;
}

interface Target {
  what: string;
  value: number;
  limit: number;
  unit: string;
  met: boolean;
}

interface Results {
  mode: "full" | "quick";
  started: string;
  machine: Machine;
  ingest: Comparison[];
  scaling: (LinearFit & {extrapolated_200m_seconds: number; baseline_per_million_rows: number | null}) | null;
  incremental: {name: string; seconds: number; baseline_seconds: number; ratio: number; changed_file: string; target_ratio: number; met: boolean} | null;
  bytes: PageBytes | null;
  site: SiteResult | {skipped: string};
  targets: Target[];
  seconds: number;
}

const {values} = parseArgs({
  options: {
    quick: {type: "boolean", default: false},
    json: {type: "boolean", default: false},
    sizes: {type: "string"},
    repeat: {type: "string"},
    site: {type: "boolean"},
    embedded: {type: "boolean"},
    "no-site": {type: "boolean", default: false},
    "no-embedded": {type: "boolean", default: false}
  }
});
const quick = values.quick!;
const sizes = values.sizes !== undefined ? values.sizes.split(",").filter(Boolean).map(Number) : quick ? [25_000, 100_000] : [1_000_000, 3_000_000, 10_000_000];
const runSite = !values["no-site"] && (values.site ?? !quick);
const repeat = Number(values.repeat ?? 1);
const runEmbedded = !values["no-embedded"] && (values.embedded ?? !quick);
const say = (message: string) => {
  if (!values.json) console.log(message);
  else console.error(message);
};

const started = performance.now();
const results: Results = {
  mode: quick ? "quick" : "full", started: new Date().toISOString(), machine: machine(), ingest: [], scaling: null, incremental: null,
  bytes: null, site: {skipped: "not run"}, targets: [], seconds: 0
};
say(`machine: ${results.machine.description}`);
const cache = join(tmpdir(), "vcse-bench");
mkdirSync(cache, {recursive: true});
const work = mkdtempSync(join(tmpdir(), "vcse-bench-run-"));

try {
  if (runEmbedded) results.ingest.push(embedded());
  const corpora: {corpus: Corpus; store: string; comparison: Comparison}[] = [];
  for (const rows of sizes) {
    const t = performance.now();
    const corpus = generateCorpus({rows, outDir: join(cache, `corpus-${rows}`)});
    const generation = (performance.now() - t) / 1000;
    say(`corpus ${label(rows)}: ${corpus.files} files, ${corpus.councils} councils, ${mb(corpus.bytes)} (${generation.toFixed(1)} s to make or find)`);
    const store = join(work, `store-${rows}`);
    const comparison = compare(`corpus ${label(rows)}`, corpus.dir, corpus.paths.map((p) => join(corpus.dir, p)), store, corpus.bytes);
    comparison.generation_seconds = generation;
    results.ingest.push(comparison);
    corpora.push({corpus, store, comparison});
  }

  const points = corpora.map((c) => ({rows: c.comparison.rows, seconds: c.comparison.seconds}));
  const fit = linearFit(points);
  const baselineFit = linearFit(corpora.map((c) => ({rows: c.comparison.rows, seconds: c.comparison.baseline_seconds})));
  if (fit) results.scaling = {...fit, extrapolated_200m_seconds: predict(fit, 200e6), baseline_per_million_rows: baselineFit?.per_million_rows ?? null};

  const largest = corpora.at(-1);
  if (largest) {
    results.incremental = incremental(largest.corpus, largest.store, largest.comparison.seconds);
    say("page data bytes …");
    results.bytes = await pageBytes(largest.store, largest.corpus.dir);
    if (runSite) {
      say("site build and browser timings …");
      results.site = await siteBench(largest.store, largest.corpus.dir, work);
    } else {
      results.site = {skipped: quick ? "quick mode" : "--no-site"};
    }
  }
  results.targets = targets(results);
} finally {
  rmSync(work, {recursive: true, force: true});
}
results.seconds = (performance.now() - started) / 1000;

mkdirSync("bench/results", {recursive: true});
writeFileSync(`bench/results/${quick ? "quick" : "latest"}.json`, JSON.stringify(results, null, 1) + "\n");
const chartable = results.ingest.filter((c) => c.name.startsWith("corpus"));
if (!quick && chartable.length > 1) {
  writeFileSync("bench/results/cost-vs-size.svg", costChart(chartable, "Ingest cost against input size"));
}
if (values.json) console.log(JSON.stringify(results));
else printTable(results);

/** The embedded real files: the pipeline over data/, the baseline over the same CSV bytes (ZIPs unpacked beforehand, untimed). */
function embedded(): Comparison {
  const files: string[] = [];
  let bytes = 0;
  const unpacked = join(work, "embedded-csv");
  mkdirSync(unpacked, {recursive: true});
  for (const m of readManifests("data")) {
    for (const f of m.files) {
      const path = resolve("data", f.path);
      const raw = readFileSync(path);
      if (raw[0] === 0x50 && raw[1] === 0x4b) {
        // The baseline cannot read ZIP: it gets the entry's CSV, unpacked here and not timed.
        const entry = readZip(raw, f.path).find((e) => /\.(csv|txt|tsv)$/i.test(e.name))!;
        const csv = join(unpacked, `${files.length}.csv`);
        writeFileSync(csv, entry.bytes);
        files.push(csv);
        bytes += raw.length;
      } else {
        files.push(path);
        bytes += raw.length;
      }
    }
  }
  return compare("embedded real files", "data", files, join(work, "store-embedded"), bytes);
}

/**
 * The pipeline into a fresh store against the baseline over the same files, `repeat` times in turn; the
 * fastest of each is kept (on a shared machine the others' load only ever adds time).
 */
function compare(name: string, dataDir: string, files: string[], store: string, bytes: number): Comparison {
  let base: BaselineRun | null = null;
  let run: IngestRun | null = null;
  for (let i = 0; i < repeat; i++) {
    say(`${name}: baseline …`);
    const b = baselineRun(files);
    if (!base || b.seconds < base.seconds) base = b;
    say(`${name}: pipeline …`);
    rmSync(store, {recursive: true, force: true});
    const r = ingestRun(dataDir, store);
    if (!run || r.seconds < run.seconds) run = r;
  }
  if (!base || !run) throw new Error("--repeat must be at least 1");
  const c: Comparison = {
    name, rows: run.rows_in, files: run.files, bytes, seconds: run.seconds, baseline_seconds: base.seconds, ratio: run.seconds / base.seconds,
    rows_per_second: run.rows_in / run.seconds, cpu_seconds: run.cpu_seconds, baseline_cpu_seconds: base.cpu_seconds,
    cpu_ratio: run.cpu_seconds / base.cpu_seconds,
    max_rss_bytes: run.max_rss_bytes, kept: run.kept, rejected: run.rejected, duplicates: run.duplicates, failed_files: run.failed_files,
    fast_files: run.fast_files, js_files: run.js_files, baseline_failed_files: base.failed, phases: run.phases
  };
  say(`${name}: ${c.seconds.toFixed(1)} s vs ${c.baseline_seconds.toFixed(1)} s (×${c.ratio.toFixed(2)}; CPU ×${c.cpu_ratio.toFixed(2)}), peak ${mb(c.max_rss_bytes)}`);
  return c;
}

/** One file of the corpus changed (a row appended), then the same store ingested again. */
function incremental(corpus: Corpus, store: string, full: number): NonNullable<Results["incremental"]> {
  const changed = corpus.paths[Math.floor(corpus.paths.length / 2)]!;
  const path = join(corpus.dir, changed);
  const original = readFileSync(path);
  const text = original.toString("latin1").trimEnd();
  const last = text.slice(text.lastIndexOf("\n") + 1);
  say(`incremental: one file changed (${changed}) …`);
  try {
    writeFileSync(path, Buffer.concat([original, Buffer.from(`${last}\n`, "latin1")]));
    const run = ingestRun(corpus.dir, store);
    const ratio = run.seconds / full;
    return {name: "incremental rebuild, one file changed", seconds: run.seconds, baseline_seconds: full, ratio, changed_file: changed, target_ratio: 0.05, met: ratio <= 0.05};
  } finally {
    writeFileSync(path, original);
  }
}

function targets(r: Results): Target[] {
  const out: Target[] = [];
  for (const c of r.ingest) out.push({what: `ingest ${c.name}: seconds / baseline`, value: c.ratio, limit: 2, unit: "×", met: c.ratio <= 2});
  const biggest = r.ingest.filter((c) => c.name.startsWith("corpus")).at(-1);
  if (biggest && biggest.rows >= 9e6) out.push({what: `peak memory at ${label(biggest.rows)} rows`, value: biggest.max_rss_bytes / 2 ** 30, limit: 4, unit: "GiB", met: biggest.max_rss_bytes <= 4 * 2 ** 30});
  if (r.incremental) out.push({what: "incremental rebuild / full ingest", value: r.incremental.ratio, limit: 0.05, unit: "×", met: r.incremental.met});
  if (r.bytes) {
    out.push({what: "overview page data", value: r.bytes.overview.bytes / 1e6, limit: 2, unit: "MB", met: r.bytes.overview.met});
    out.push({what: `council page data, gzipped (the largest of ${r.bytes.council.councils}: ${r.bytes.council.code})`, value: r.bytes.council.gzip_bytes / 1e3, limit: 50, unit: "KB", met: r.bytes.council.met});
  }
  if ("first_chart_ms" in r.site && biggest) {
    // The site is built from the largest corpus's store: its build against that store's ingest, in the same run.
    const ratio = r.site.build_seconds / biggest.seconds;
    const limit = biggest.rows >= 9e6 ? null : 2;
    if (limit !== null) out.push({what: `site build / ingest of the same store (${label(biggest.rows)} rows)`, value: ratio, limit, unit: "×", met: ratio <= limit});
    else out.push({what: `site build at ${label(biggest.rows)} rows, ${r.site.councils} councils`, value: r.site.build_seconds, limit: 120, unit: "s", met: r.site.build_seconds <= 120});
  }
  if ("first_chart_ms" in r.site) {
    out.push({what: "time to first chart", value: r.site.first_chart_ms, limit: 1500, unit: "ms", met: r.site.first_chart_ms <= 1500});
    for (const [name, l] of Object.entries(r.site.interactions)) out.push({what: `${name} p95`, value: l.p95_ms, limit: 100, unit: "ms", met: l.p95_ms <= 100});
  }
  return out;
}

function printTable(r: Results): void {
  const rows = r.ingest.map((c) => [
    c.name, label(c.rows), String(c.files), mb(c.bytes), c.seconds.toFixed(1), c.baseline_seconds.toFixed(1), c.ratio.toFixed(2), c.cpu_ratio.toFixed(2),
    Math.round(c.rows_per_second).toLocaleString("en-GB"), mb(c.max_rss_bytes), `${c.fast_files}/${c.files}`
  ]);
  table(["ingest", "rows", "files", "size", "seconds", "baseline s", "ratio", "CPU ratio", "rows/s", "peak RSS", "fast path"], rows);
  if (r.scaling) {
    console.log(`\ncost per million rows: ${r.scaling.per_million_rows.toFixed(1)} s (baseline ${r.scaling.baseline_per_million_rows?.toFixed(1) ?? "?"} s), fixed ${r.scaling.fixed_seconds.toFixed(1)} s, R² ${r.scaling.r2.toFixed(3)}, per-row cost largest/smallest ${r.scaling.marginal_ratio.toFixed(2)}`);
    console.log(`extrapolated to 200 million rows: ${(r.scaling.extrapolated_200m_seconds / 60).toFixed(0)} min`);
  }
  if (r.incremental) console.log(`\nincremental rebuild: ${r.incremental.seconds.toFixed(1)} s vs full ${r.incremental.baseline_seconds.toFixed(1)} s (ratio ${r.incremental.ratio.toFixed(3)})`);
  if (r.bytes) {
    console.log(`\noverview data: ${mb(r.bytes.overview.bytes)} (gzip ${mb(r.bytes.overview.gzip_bytes)}); council page ${r.bytes.council.code}: ${mb(r.bytes.council.bytes)} (gzip ${mb(r.bytes.council.gzip_bytes)})`);
    for (const [name, s] of Object.entries(r.bytes.other ?? {})) console.log(`  other page data ${name}: ${mb(s.bytes)} (gzip ${mb(s.gzip_bytes)})`);
    for (const [name, s] of Object.entries(r.bytes.engines)) console.log(`  engine ${name}: ${mb(s.bytes)} (gzip ${mb(s.gzip_bytes)})`);
  }
  if ("first_chart_ms" in r.site) {
    const s = r.site;
    console.log(`\nsite build ${s.build_seconds.toFixed(1)} s; first chart ${s.first_chart_ms.toFixed(0)} ms; DuckDB-WASM ready ${s.duckdb_ready_ms?.toFixed(0) ?? "n/a"} ms; JS heap ${mb(s.js_heap_bytes)}`);
    table(["interaction", "n", "p50 ms", "p95 ms"], Object.entries(s.interactions).map(([k, v]) => [k, String(v.n), v.p50_ms.toFixed(1), v.p95_ms.toFixed(1)]));
  } else {
    console.log(`\nsite and browser: skipped (${r.site.skipped})`);
  }
  console.log("");
  table(["target", "measured", "limit", "met"], r.targets.map((t) => [t.what, `${t.value.toFixed(t.value < 10 ? 2 : 0)} ${t.unit}`, `${t.limit} ${t.unit}`, t.met ? "yes" : "NO"]));
  console.log(`\n${r.machine.description}; ${r.seconds.toFixed(0)} s in all`);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

function label(rows: number): string {
  return rows >= 1e6 ? `${+(rows / 1e6).toFixed(2)}M` : rows >= 1e3 ? `${+(rows / 1e3).toFixed(1)}k` : String(rows);
}

function mb(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 10).toFixed(1)} KiB`;
}
