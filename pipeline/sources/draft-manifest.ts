import {readFileSync} from "node:fs";
import {basename, relative, resolve} from "node:path";
import {conformPlan} from "../conform/conform.ts";
import type {Layout, Manifest, SourceFile} from "./manifest.ts";
import {periodFromName} from "./period-from-name.ts";
import {parsePeriod, type Period} from "../conform/parse-period.ts";
import {readBytes, type Table} from "../read/read-file.ts";
import {adhocLayout} from "../conform/adhoc-layout.ts";
import type {FieldChoice} from "../conform/infer-layout.ts";
import {FIELDS, type Field} from "../types.ts";

export interface DraftOptions {
  council: {code: string; name: string};
  files: string[];
  dataDir?: string;
  /** Original URL of each file, by file name. */
  urls?: Record<string, string>;
  /** Period of a file whose name does not tell it ("2021-03" or "2014-04..2014-06"), by file name. */
  periods?: Record<string, string>;
  /** Written for a file whose period cannot be told, instead of refusing it (the draft is reviewed anyway). */
  unknownPeriod?: string;
  publisher?: string;
  licence?: string;
}

export interface DetectedLayout {
  /** The header row's 1-based line, or null when the table has none. */
  headerLine: number | null;
  header: string[];
  /** Index in the table's records of the first data row. */
  start: number;
  /** Field -> column index, as conform would read the table. */
  columns: Partial<Record<Field, number>>;
  /** Why each field's column won, when inference chose it. */
  reasons: Partial<Record<Field, FieldChoice>>;
}

/** The layout ingest would find in a table (with `layout`, a manifest's; else inferred); throws conform's LayoutError when it finds none. */
export function detectLayout(table: Table, period: Period | null = null, map: Partial<Record<Field, string>> = {}, layout?: Omit<Layout, "from">): DetectedLayout {
  const plan = conformPlan(table, {council: {code: "", name: ""}, sha256: "", period, ...(layout ?? adhocLayout(map))});
  const columns: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) if (plan.map[field] !== undefined) columns[field] = plan.map[field];
  return {headerLine: plan.headerless ? null : table.records[plan.found!.index]!.line, header: plan.header, start: plan.start, columns, reasons: plan.inferred?.fields ?? {}};
}

/** A file's period, from the periods given by file name or else from the name itself. */
export function periodOf(path: string, periods?: Record<string, string>): Period | null {
  const given = periods?.[basename(path)];
  return given ? parsePeriod(given) : periodFromName(basename(path));
}

/**
 * A first manifest for a council's files: each file's columns are found as conform finds them, and a new
 * layout starts whenever the set of fields the files carry changes. Review it before committing it.
 */
export function draftManifest(options: DraftOptions): Manifest {
  const dataDir = options.dataDir ?? "data";
  const found = options.files
    .map((path) => ({path, period: periodOf(path, options.periods)}))
    .sort((a, b) => (a.period?.start ?? "").localeCompare(b.period?.start ?? "") || a.path.localeCompare(b.path));
  const layouts: Layout[] = [];
  const files: SourceFile[] = [];
  let lastHeader: string[] | undefined;
  for (const {path, period} of found) {
    if (!period && options.unknownPeriod === undefined) throw new Error(`${path}: cannot tell the period from the file name; add it to the manifest by hand`);
    const month = period?.start.slice(0, 7) ?? "";
    const file: SourceFile = {period: period ? (period.months === 1 ? month : `${month}..${addMonths(month, period.months - 1)}`) : options.unknownPeriod!, path: relative(dataDir, resolve(path))};
    const url = options.urls?.[basename(path)];
    if (url) file.url = url;
    files.push(file);
    const [table] = readBytes(readFileSync(path), path);
    let detected: DetectedLayout | undefined;
    try {
      detected = table ? detectLayout(table, period) : undefined;
    } catch {
      detected = undefined;
    }
    const current = layouts.at(-1);
    if (!detected || detected.headerLine === null) {
      if (current && lastHeader) current.headerless_columns ??= lastHeader;
      continue;
    }
    lastHeader = detected.header;
    const columns: Partial<Record<Field, string[]>> = {};
    for (const [field, index] of Object.entries(detected.columns) as [Field, number][]) columns[field] = [detected.header[index]!];
    if (current && sameKeys(current.columns, columns)) {
      for (const field of Object.keys(columns) as Field[]) {
        const list = current.columns[field]!;
        for (const name of columns[field]!) if (!list.includes(name)) list.push(name);
      }
    } else {
      layouts.push({from: month || "2000-01", columns});
    }
  }
  return {
    council: options.council,
    publisher: options.publisher ?? options.council.name,
    licence: options.licence ?? "Open Government Licence v3.0",
    layouts,
    files
  };
}

function sameKeys(a: object, b: object): boolean {
  return Object.keys(a).sort().join() === Object.keys(b).sort().join();
}

function addMonths(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}
