import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {dirname, join, relative, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {build, type Plugin} from "esbuild";
import {afterAll, beforeAll} from "vitest";

const PROJECT = resolve(import.meta.dirname, "..");

/**
 * Each module keeps its own import.meta: the pipeline hashes its own source files (pipeline-version.ts, the
 * registers' cache key), which must be the .ts files, as under tsx, not the compiled chunk they end up in.
 */
const ownImportMeta: Plugin = {
  name: "own-import-meta",
  setup(b) {
    b.onLoad({filter: /\.ts$/}, async ({path}) => {
      const source = await readFile(path, "utf8");
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(path)))
        .replaceAll("import.meta.filename", JSON.stringify(path));
      return {contents, loader: "ts"};
    });
    // The entry scripts register tsx to compile the TypeScript they import; compiled, there is nothing to register.
    b.onResolve({filter: /^tsx\/esm\/api$/}, () => ({path: "tsx", namespace: "compiled"}));
    b.onLoad({filter: /.*/, namespace: "compiled"}, () => ({contents: "export function register() {}", loader: "js"}));
  }
};

/**
 * Compiles the given entry scripts (project paths: bin/vcse-spend.js, a build command) and the TypeScript they
 * import into `outDir`, once, so that a process started from them loads plain JavaScript instead of compiling as
 * it starts: the same code as `node bin/vcse-spend.js`, minus tsx's start-up. Lazy imports stay lazy (chunks).
 * The packages' JavaScript goes into the chunks too, so that Node neither resolves nor scans each of their CommonJS
 * files as a process starts (about 0.3 s of CPU an ingest process); the few left out are found in node_modules,
 * so outDir must be inside the project. Returns each entry's compiled path, by the entry's path.
 */
export async function compileCli<E extends string>(entries: E[], outDir: string): Promise<Record<E, string>> {
  if (relative(PROJECT, outDir).startsWith("..")) throw new Error(`${outDir} is outside ${PROJECT}: its imports of packages would not be found`);
  await build({
    entryPoints: entries.map((e) => join(PROJECT, e)),
    outbase: PROJECT,
    outdir: outDir,
    outExtension: {".js": ".mjs"},
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Playwright (the briefing command's) finds its own files next to its modules: left out too.
    external: ["@duckdb/node-bindings*", "playwright-core"],
    // The packages' CommonJS calls require(), which an ES module has only when it makes one.
    banner: {js: `import {createRequire as createRequireOfChunk} from "node:module"; const require = createRequireOfChunk(import.meta.url);`},
    logLevel: "warning",
    plugins: [ownImportMeta]
  });
  return Object.fromEntries(entries.map((e) => [e, join(outDir, e.replace(/\.[cm]?[jt]s$/, ".mjs"))])) as Record<E, string>;
}

/**
 * Registers, in the calling describe block, a compile of the entries (see compileCli) before its tests, into a
 * folder of its own under test-output that is removed after them. The object returned gives each entry's compiled
 * path, by the entry's path, from the first test (or later hook) on.
 */
export function compiledCli<E extends string>(entries: E[]): Record<E, string> {
  const paths = {} as Record<E, string>;
  let dir: string | undefined;
  beforeAll(async () => {
    mkdirSync(join(PROJECT, "test-output"), {recursive: true});
    dir = mkdtempSync(join(PROJECT, "test-output", "cli-"));
    Object.assign(paths, await compileCli(entries, dir));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true});
  });
  return paths;
}
