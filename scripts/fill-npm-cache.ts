/**
 * Fills Observable Framework's npm cache (`src/.observablehq/cache/_npm/`) from node_modules, so that
 * `observable build` and `observable preview` never download from the jsDelivr CDN or ask the npm
 * registry for versions. Run before every build and preview (`npm run npm-cache`).
 *
 * 1. Each package in BUNDLED is bundled with esbuild (ESM, browser conditions, minified) into
 *    `_npm/<name>@<version>/_esm.js`. Imports of the other bundled packages stay external, as relative
 *    paths to their own `_esm.js`, so each exists once (DuckDB-WASM and the page must share one
 *    apache-arrow, or inserting an Arrow table fails an instanceof check).
 * 2. DuckDB-WASM's wasm and worker files and parquet-wasm's wasm are copied beside them.
 * 3. Every other `npm:<name>` named by Framework's client code (except the modules Framework builds
 *    itself, such as @observablehq/inputs) gets an empty `_npm/<name>@<version>` folder: Framework reads
 *    versions from folder names and then asks no registry.
 *
 * 4. Cached data-loader outputs (`src/.observablehq/cache/<file>`) older than their loader or than any
 *    file under pipeline/ are deleted, and all of them when the store the loaders read ($VCSE_STORE, see
 *    pipeline/compact/site-store.ts) is another than the last build's. `observable build` reuses a cached output even when its loader is
 *    newer ("using stale"), and never looks at the modules a loader imports, so without this a build
 *    after editing a pipeline module would ship the old data.
 *
 * Idempotent: a stamp file records what was built; a second run with nothing changed only checks files.
 * See /work/shared/notes/offline-build.md.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {copyFile, mkdir, readFile, readdir, rm, stat, writeFile} from "node:fs/promises";
import {dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import * as esbuild from "esbuild";
import {siteStore} from "../pipeline/compact/site-store.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(projectRoot, "node_modules");

/** Packages bundled into the cache; imports between them stay external. */
const BUNDLED = [
  "d3",
  "d3-dsv",
  "@observablehq/plot",
  "arquero",
  "htl",
  "isoformat",
  "apache-arrow",
  "parquet-wasm",
  "@duckdb/duckdb-wasm"
] as const;

/** Non-JavaScript files Framework copies from the cache: [package, path inside the package]. */
const COPIED: ReadonlyArray<readonly [string, string]> = [
  ["@duckdb/duckdb-wasm", "dist/duckdb-mvp.wasm"],
  ["@duckdb/duckdb-wasm", "dist/duckdb-eh.wasm"],
  ["@duckdb/duckdb-wasm", "dist/duckdb-browser-mvp.worker.js"],
  ["@duckdb/duckdb-wasm", "dist/duckdb-browser-eh.worker.js"],
  ["parquet-wasm", "esm/parquet_wasm_bg.wasm"]
];

/** The DuckDB-WASM version Framework 1.13 hard-codes (DUCKDB_WASM_VERSION in its duckdb.js). */
const FRAMEWORK_DUCKDB_WASM_VERSION = "1.29.0";

/** Placeholder version for optional libraries that are not installed (never fetched: no page uses them). */
const PLACEHOLDER_VERSION = "0.0.0-offline";

function packageVersion(name: string): string | undefined {
  const path = join(nodeModules, name, "package.json");
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf-8")) as {version: string}).version;
}

function requiredVersion(name: string): string {
  const version = packageVersion(name);
  if (!version) throw new Error(`fill-npm-cache: ${name} is not installed in node_modules`);
  return version;
}

/** The package name of a bare specifier: "d3-dsv/foo" -> "d3-dsv", "@a/b/c" -> "@a/b". */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * The `npm:` specifiers Framework serves from its own build (`npm:@observablehq/inputs` and the like, in
 * the `builtins` map of its resolvers.js): these never go through the npm cache.
 */
function frameworkBuiltins(): Set<string> {
  const source = readFileSync(join(nodeModules, "@observablehq", "framework", "dist", "resolvers.js"), "utf-8");
  return new Set(Array.from(source.matchAll(/\["npm:((?:@[\w.-]+\/)?[\w.-]+)",\s*"\/_observablehq\//g), (m) => m[1]!));
}

/**
 * Every `npm:<name>` Framework's client code names (statically or lazily), except the ones Framework
 * builds itself. Note @observablehq/sample-datasets is not built in: without a folder for it Framework
 * asks the npm registry for its latest version on every build.
 */
function frameworkClientNpmNames(): string[] {
  const clientDir = join(nodeModules, "@observablehq", "framework", "dist", "client");
  const builtins = frameworkBuiltins();
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        for (const match of readFileSync(path, "utf-8").matchAll(/["'`]npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) {
          const name = match[1];
          if (name && !builtins.has(name)) names.add(name);
        }
      }
    }
  };
  walk(clientDir);
  return [...names].sort();
}

async function writeIfChanged(path: string, contents: string): Promise<boolean> {
  const bytes = Buffer.from(contents);
  try {
    if ((await readFile(path)).equals(bytes)) return false;
  } catch {
    // missing: write it
  }
  await mkdir(dirname(path), {recursive: true});
  await writeFile(path, bytes);
  return true;
}

async function copyIfChanged(source: string, target: string): Promise<boolean> {
  try {
    const [s, t] = await Promise.all([stat(source), stat(target)]);
    if (s.size === t.size && t.mtimeMs >= s.mtimeMs) return false;
  } catch {
    // missing: copy it
  }
  await mkdir(dirname(target), {recursive: true});
  await copyFile(source, target);
  return true;
}

async function bundle(name: string, versions: ReadonlyMap<string, string>, cacheDir: string): Promise<string> {
  const outDir = join(cacheDir, `${name}@${versions.get(name)}`);
  const externals: esbuild.Plugin = {
    name: "cache-externals",
    setup(build) {
      build.onResolve({filter: /^[@\w]/}, (args) => {
        if (args.kind === "entry-point") return undefined;
        const dep = packageName(args.path);
        const version = versions.get(dep);
        if (dep === name || version === undefined) return undefined;
        if (args.path !== dep) {
          throw new Error(`fill-npm-cache: ${name} imports a subpath of a cached package: ${args.path}`);
        }
        const target = join(cacheDir, `${dep}@${version}`, "_esm.js");
        return {path: relative(outDir, target).split("\\").join("/"), external: true};
      });
    }
  };
  const result = await esbuild.build({
    entryPoints: [resolveBrowserEntry(name)],
    absWorkingDir: projectRoot,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
    plugins: [externals]
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`fill-npm-cache: esbuild produced no output for ${name}`);
  return file.text;
}

/** The file esbuild would pick for `import "<name>"` in a browser, found by esbuild itself. */
const browserEntries = new Map<string, string>();
function resolveBrowserEntry(name: string): string {
  const entry = browserEntries.get(name);
  if (!entry) throw new Error(`fill-npm-cache: no browser entry resolved for ${name}`);
  return entry;
}

async function resolveBrowserEntries(names: readonly string[]): Promise<void> {
  const resolver: esbuild.Plugin = {
    name: "resolve-entries",
    setup(build) {
      build.onStart(async () => {
        for (const name of names) {
          const r = await build.resolve(name, {kind: "import-statement", resolveDir: projectRoot});
          if (r.errors.length > 0 || !r.path) throw new Error(`fill-npm-cache: cannot resolve ${name}`);
          browserEntries.set(name, r.path);
        }
      });
      build.onResolve({filter: /^virtual:entry$/}, () => ({path: "entry", namespace: "virtual"}));
      build.onLoad({filter: /.*/, namespace: "virtual"}, () => ({contents: "", loader: "js"}));
    }
  };
  await esbuild.build({
    entryPoints: ["virtual:entry"],
    absWorkingDir: projectRoot,
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [resolver]
  });
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return info.mtimeMs;
    entries = await readdir(dir, {withFileTypes: true});
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

/**
 * Deletes cached loader outputs (everything in the cache but _npm and Framework's own files) older than the
 * newest loader, the shared loader library, the manifests or the payment store. Matching outputs to loaders
 * by name would miss parameterised loaders (data/council/<code>.json from council.zip), so any newer input drops them all.
 */
async function invalidateStaleLoaderOutputs(root: string): Promise<number> {
  const store = resolve(projectRoot, siteStore());
  const stateMtime = await stat(join(store, "state.json")).then((s) => s.mtimeMs, () => 0);
  const cache = join(root, ".observablehq", "cache");
  // Outputs cached from another store than this build's are all stale, however new.
  const storeStamp = join(cache, "_store");
  const lastStore = await readFile(storeStamp, "utf8").catch(() => store);
  const inputs = lastStore !== store ? Infinity : Math.max(
    stateMtime,
    await newestMtime(join(projectRoot, "pipeline")),
    ...(await Promise.all(["sources", "reference", "grants", "sample", "overrides.csv"].map((p) => newestMtime(join(projectRoot, "data", p))))),
    await newestMtime(join(root, "data"))
  );
  let removed = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, {withFileTypes: true}).catch(() => [])) {
      if (dir === cache && (entry.name === "_npm" || entry.name.startsWith("_"))) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if ((await stat(path)).mtimeMs < inputs) {
        await rm(path, {force: true});
        removed++;
      }
    }
  };
  await walk(cache);
  await mkdir(cache, {recursive: true});
  await writeFile(storeStamp, store);
  return removed;
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = join(projectRoot, "src");
  const cacheDir = join(root, ".observablehq", "cache", "_npm");

  const versions = new Map<string, string>(BUNDLED.map((name) => [name, requiredVersion(name)]));
  const duckdbVersion = versions.get("@duckdb/duckdb-wasm");
  if (duckdbVersion !== FRAMEWORK_DUCKDB_WASM_VERSION) {
    throw new Error(
      `fill-npm-cache: Framework 1.13 loads @duckdb/duckdb-wasm@${FRAMEWORK_DUCKDB_WASM_VERSION}, node_modules has ${duckdbVersion}`
    );
  }

  // What was built last time: skip bundling when nothing it depends on changed.
  const scriptBytes = await readFile(fileURLToPath(import.meta.url));
  const stampValue = createHash("sha256")
    .update(scriptBytes)
    .update(JSON.stringify([...versions]))
    .update(esbuild.version)
    .digest("hex");
  const stampPath = join(cacheDir, ".fill-npm-cache.stamp");
  const outputs = BUNDLED.map((name) => join(cacheDir, `${name}@${versions.get(name)}`, "_esm.js"));
  const fresh =
    existsSync(stampPath) && readFileSync(stampPath, "utf-8") === stampValue && outputs.every((p) => existsSync(p));

  let bundled = 0;
  let bytes = 0;
  if (!fresh) {
    await resolveBrowserEntries(BUNDLED);
    const texts = await Promise.all(BUNDLED.map((name) => bundle(name, versions, cacheDir)));
    for (const [i, text] of texts.entries()) {
      bytes += text.length;
      if (await writeIfChanged(outputs[i]!, text)) bundled++;
    }
  } else {
    for (const p of outputs) bytes += (await stat(p)).size;
  }

  let copied = 0;
  for (const [name, path] of COPIED) {
    const target = join(cacheDir, `${name}@${versions.get(name)}`, path);
    if (await copyIfChanged(join(nodeModules, name, path), target)) copied++;
  }

  // Empty version folders for every other library Framework's client can name.
  let placeholders = 0;
  let newPlaceholders = 0;
  for (const name of frameworkClientNpmNames()) {
    if (versions.has(name)) continue;
    placeholders++;
    const dir = join(cacheDir, `${name}@${packageVersion(name) ?? PLACEHOLDER_VERSION}`);
    if (!existsSync(dir)) {
      await mkdir(dir, {recursive: true});
      newPlaceholders++;
    }
  }
  const stale = await invalidateStaleLoaderOutputs(root);

  if (!fresh) await writeFile(stampPath, stampValue);
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    `npm-cache: ${fresh ? "up to date" : `${bundled} bundle(s) written`}, ${BUNDLED.length} packages ` +
      `(${(bytes / 1e6).toFixed(1)} MB JS), ${copied} wasm/worker file(s) copied, ${placeholders} placeholder folders (${newPlaceholders} new), ` +
      `${stale} stale loader output(s) removed, in ${ms} ms\n`
  );
}

await main();
