/**
 * The site part of the benchmark alone, against a store that already exists (bench/run.ts makes and then
 * deletes its stores): builds the site from the store and the corpus's manifests, then measures it in
 * a fresh Chromium `--runs` times and prints each run and the median of each figure.
 *
 *   npx tsx bench/site-only.ts --store /tmp/vcse-site/store-3M --data /tmp/vcse-bench/corpus-3000000 \
 *     [--work /tmp/vcse-site/work] [--runs 3] [--rebuild] [--no-build] [--against OTHER_DIST]... [--profile] [--json FILE]
 *
 * A store comes from `tsx bench/child.ts ingest <corpus dir> <store dir>`; a corpus from bench/run.ts (kept in
 * $TMPDIR/vcse-bench). The built project stays in --work: --rebuild copies this project's src over it and
 * keeps Framework's cached loader outputs (pages change, data does not), --no-build measures it as it is; --profile prints when the overview fetched each file;
 * --against measures other built sites (a copy of an earlier dist) in the same runs, turn about; --src DIR with
 * --rebuild builds other pages (an earlier commit's src, from `git archive REV src | tar -x -C DIR`) on the same data.
 */
import {readdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {serveDist} from "../scripts/serve-dist.ts";
import {launchBrowser} from "../test/browser/browser.ts";
import {buildSite, measureSite, type Latency, type SiteResult} from "./site.ts";

const {values} = parseArgs({
  options: {
    store: {type: "string"},
    data: {type: "string"},
    work: {type: "string", default: join(tmpdir(), "vcse-site", "work")},
    runs: {type: "string", default: "3"},
    rebuild: {type: "boolean", default: false},
    "no-build": {type: "boolean", default: false},
    json: {type: "string"},
    profile: {type: "boolean", default: false},
    against: {type: "string", multiple: true},
    src: {type: "string"}
  }
});
if (!values.store || !values.data) throw new Error("usage: tsx bench/site-only.ts --store DIR --data CORPUS_DIR [--work DIR] [--runs N] [--rebuild [--src DIR] | --no-build] [--against DIST]... [--profile] [--json FILE]");

const root = resolve(values.work, "site");
const councils = readdirSync(join(values.data, "sources")).filter((f) => f.endsWith(".json")).length;
let buildSeconds: number | null = null;
if (!values["no-build"]) {
  const build = buildSite(root, values.store, values.data, {keepLoaderCache: values.rebuild, ...(values.src ? {src: resolve(values.src)} : {})});
  if ("skipped" in build) throw new Error(build.skipped);
  buildSeconds = build.seconds;
  console.log(`built ${councils} councils' site in ${buildSeconds.toFixed(1)} s`);
}

// Each run measures every site in turn (--against: other built dist folders), so that a busy machine weighs on each alike.
const dists = [join(root, "dist"), ...(values.against ?? []).map((d) => resolve(d))];
if (values.profile) for (const dist of dists) await profileOverview(dist);

type Measured = Omit<SiteResult, "build_seconds" | "councils">;
const runs = new Map<string, Measured[]>(dists.map((d) => [d, []]));
const lat = (l: Latency | undefined) => (l ? `p50 ${l.p50_ms.toFixed(0)} / p95 ${l.p95_ms.toFixed(0)} ms` : "n/a");
for (let i = 0; i < Number(values.runs); i++) {
  for (const dist of dists) {
    const r = await measureSite(dist);
    runs.get(dist)!.push(r);
    console.log(`run ${i + 1} ${dist}: first chart ${r.first_chart_ms} ms, headline ${r.headline_ms} ms, DuckDB ready ${r.duckdb_ready_ms} ms, ` +
      `engine requested ${r.duckdb_engine_requested_ms?.toFixed(0)} ms (before first chart: ${r.duckdb_requested_before_first_chart}); ` +
      Object.entries(r.interactions).map(([k, l]) => `${k} ${lat(l)}`).join("; ") + (r.notes.length ? `; notes: ${r.notes.join(" | ")}` : ""));
  }
}

const median = (xs: (number | null)[]) => {
  const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : null;
};
const summaries = [...runs].map(([dist, each]) => ({
  dist, councils, build_seconds: dist === dists[0] ? buildSeconds : null, runs: each.length,
  first_chart_ms: median(each.map((r) => r.first_chart_ms)),
  headline_ms: median(each.map((r) => r.headline_ms)),
  duckdb_ready_ms: median(each.map((r) => r.duckdb_ready_ms)),
  interactions: Object.fromEntries(Object.keys(each[0]?.interactions ?? {}).map((k) => [k, {
    p50_ms: median(each.map((r) => r.interactions[k]!.p50_ms)), p95_ms: median(each.map((r) => r.interactions[k]!.p95_ms))
  }])),
  overview_transfer_bytes: each[0]?.overview_transfer_bytes ?? null,
  each
}));
for (const s of summaries) {
  console.log(`${s.dist}, median of ${s.runs} runs: first chart ${s.first_chart_ms} ms, headline ${s.headline_ms} ms, DuckDB ready ${s.duckdb_ready_ms} ms; ` +
    Object.entries(s.interactions).map(([k, l]) => `${k} p50 ${l.p50_ms?.toFixed(0)} / p95 ${l.p95_ms?.toFixed(0)} ms`).join("; "));
}
if (values.json) writeFileSync(values.json, JSON.stringify(summaries, null, 1) + "\n");

/** With --profile: when each of the overview's files was fetched, and the first chart, in one fresh Chromium. */
async function profileOverview(dist: string): Promise<void> {
  const server = await serveDist(dist);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}?bench`, {waitUntil: "load", timeout: 120_000});
    await page.locator("[data-testid=chart-spending][data-first-chart-ms]").waitFor({state: "attached", timeout: 120_000});
    await page.locator("[data-testid=duckdb-status].ready").waitFor({state: "attached", timeout: 180_000});
    const timeline = (await page.evaluate(`[
      ...performance.getEntriesByType("resource").map((e) => [Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize, e.name.replace(location.origin, "")]),
      [Number(document.querySelector("[data-testid=headline]")?.dataset.renderedMs), null, null, "(headline)"],
      [Number(document.querySelector("[data-testid=chart-spending]")?.dataset.firstChartMs), null, null, "(first chart)"],
      [Number(document.querySelector("[data-testid=duckdb-status]")?.dataset.readyMs), null, null, "(DuckDB ready)"]
    ].sort((a, b) => a[0] - b[0])`)) as [number, number | null, number | null, string][];
    for (const [start, end, size, name] of timeline) console.log(`${String(start).padStart(6)} ${String(end ?? "").padStart(6)} ${String(size ?? "").padStart(9)} ${name}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
