import {readFile} from "node:fs/promises";
import {dirname, join, relative, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {build, type Plugin} from "esbuild";

const PROJECT = resolve(import.meta.dirname, "../..");

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
 * outDir must be inside the project, where the packages, left out of the chunks, are found. Returns each entry's
 * compiled path, by the entry's path.
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
    packages: "external",
    logLevel: "warning",
    plugins: [ownImportMeta]
  });
  return Object.fromEntries(entries.map((e) => [e, join(outDir, e.replace(/\.[cm]?[jt]s$/, ".mjs"))])) as Record<E, string>;
}
