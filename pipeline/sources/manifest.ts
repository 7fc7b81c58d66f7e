import {readFileSync, readdirSync, realpathSync} from "node:fs";
import {isAbsolute, join, resolve, sep} from "node:path";
import {Ajv} from "ajv";
import type {Field, RowKind} from "../types.ts";
import type {PeriodFormat} from "../conform/parse-period.ts";
import type {Repair} from "../conform/conform.ts";

export interface Layout {
  id?: string;
  from: string;
  columns: Partial<Record<Field, string[]>>;
  headerless_columns?: string[];
  period_format?: PeriodFormat;
  row_kind?: RowKind;
  repairs?: Repair[];
}

export interface SourceFile {
  period: string;
  path: string;
  url?: string;
  kind?: "csv" | "zip" | "xlsx" | "xls";
  layout?: string;
}

export interface ComparabilityBreak {
  /** "2024-03": the first month published the new way. */
  from: string;
  reason: string;
}

export interface Manifest {
  council: {code: string; name: string};
  publisher: string;
  landing_page?: string;
  /** false: a draft discover wrote, not yet checked by a person. */
  reviewed?: boolean;
  discovered?: {from: "page" | "ckan"; url: string; pages?: string[]; at: string};
  licence: string;
  threshold?: number;
  notes?: string[];
  /** From these months the files list more or less than before: total spending is not comparable across them. */
  comparability_breaks?: ComparabilityBreak[];
  layouts: Layout[];
  files: SourceFile[];
}

export class ManifestError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

type Validator = ((data: unknown) => boolean) & {errors?: {instancePath: string; message?: string}[] | null};

/** Compiled schemas by their text: each data folder's manifests are checked against that folder's own schema. */
const validators = new Map<string, Validator>();

function validate(file: string, data: unknown, schemaPath: string): Manifest {
  const schema = readFileSync(schemaPath, "utf8");
  let validator = validators.get(schema);
  if (!validator) {
    const ajv = new Ajv({allErrors: true, strict: false, validateFormats: false});
    validators.set(schema, (validator = ajv.compile(JSON.parse(schema)) as Validator));
  }
  if (!validator(data)) {
    const first = validator.errors?.[0];
    throw new ManifestError(file, `field ${first?.instancePath || "(root)"} ${first?.message ?? "is invalid"}`);
  }
  return data as Manifest;
}

/**
 * Where path really is once every symbolic link is followed, or undefined when it does not exist (a missing
 * file is reported when it is read, and nothing can be read through a dangling link).
 */
function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}

/** Where path really is when following its symbolic links leads outside root; undefined when it stays inside. */
function outside(path: string, root: string): string | undefined {
  const real = realPath(path);
  return real !== undefined && real !== root && !real.startsWith(root + sep) ? real : undefined;
}

/**
 * Reads and validates one manifest against dataDir's schema; file paths in it must stay inside filesDir (the data
 * folder, or the raw cache a discovered manifest's files are fetched into), written as they are and once symbolic
 * links are followed (a link in the data folder pointing elsewhere is refused, naming the file).
 */
/**
 * The downloads a manifest lists, each with the sites the manifest names (its landing page, the page it was
 * discovered on, its files' hosts): fetch follows a redirect only within them.
 */
export function fetchTargets(m: Manifest): {council: string; url: string; path: string; kind?: Manifest["files"][number]["kind"]; hosts: string[]}[] {
  const files = m.files.filter((f) => f.url);
  const named = [m.landing_page, m.discovered?.url, ...files.map((f) => f.url)].filter((u): u is string => !!u && URL.canParse(u));
  const hosts = [...new Set(named.map((u) => new URL(u).origin))];
  return files.map((f) => ({council: m.council.code, url: f.url!, path: f.path, kind: f.kind, hosts}));
}

export function readManifest(file: string, dataDir = "data", filesDir = dataDir): Manifest {
  const realRoot = realPath(filesDir) ?? resolve(filesDir);
  const escaped = outside(file, realPath(dataDir) ?? resolve(dataDir));
  if (escaped && resolve(file).startsWith(resolve(dataDir) + sep)) {
    // A manifest in the data folder that is a link to a file elsewhere.
    throw new ManifestError(file, `is a symbolic link to ${escaped}, outside the data folder ${realRoot}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ManifestError(file, `not valid JSON (${(e as Error).message})`);
  }
  // Checked before the schema so that the message says what is wrong rather than quoting the schema's pattern.
  const root = resolve(filesDir) + sep;
  const files = (data as {files?: unknown} | null)?.files;
  const folder = filesDir === dataDir ? "data folder:" : `files folder ${filesDir}:`;
  (Array.isArray(files) ? files : []).forEach((f: {path?: unknown} | null, i) => {
    const path = f?.path;
    if (typeof path !== "string") return;
    if (isAbsolute(path) || path.split(/[\\/]/).includes("..") || !resolve(filesDir, path).startsWith(root)) {
      throw new ManifestError(file, `field /files/${i}/path points outside the ${folder} ${path}`);
    }
    const real = outside(resolve(filesDir, path), realRoot);
    if (real) {
      throw new ManifestError(file, `field /files/${i}/path leads through a symbolic link outside the ${folder} ${path} -> ${real}`);
    }
  });
  const manifest = validate(file, data, join(dataDir, "source.schema.json"));
  manifest.files.forEach((f, i) => {
    if (f.layout && !manifest.layouts.some((l) => l.id === f.layout)) throw new ManifestError(file, `field /files/${i}/layout names no layout: ${f.layout}`);
  });
  return manifest;
}

/** Where manifests are read from and where their files' paths lead; by default data/sources and data. */
export interface ManifestDirs {
  sourcesDir?: string;
  filesDir?: string;
}

/** Every manifest in data/sources (or sourcesDir), sorted by file name. */
export function readManifests(dataDir = "data", dirs: ManifestDirs = {}): Manifest[] {
  const dir = dirs.sourcesDir ?? join(dataDir, "sources");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => readManifest(join(dir, f), dataDir, dirs.filesDir ?? dataDir));
}

/** The layout a file names, else the one in force for its period: the latest starting on or before it. */
export function layoutFor(manifest: Manifest, file: SourceFile): Layout {
  if (file.layout) return manifest.layouts.find((l) => l.id === file.layout)!;
  const start = file.period.slice(0, 7);
  const layouts = manifest.layouts.filter((l) => !l.id).sort((a, b) => a.from.localeCompare(b.from));
  return layouts.filter((l) => l.from <= start).at(-1) ?? layouts[0]!;
}
