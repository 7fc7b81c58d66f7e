import {readFileSync} from "node:fs";
import {basename, relative, resolve} from "node:path";
import {findHeader} from "../conform/find-header.ts";
import {mapColumns} from "../conform/map-columns.ts";
import type {Layout, Manifest, SourceFile} from "./manifest.ts";
import {periodFromName} from "./period-from-name.ts";
import {parsePeriod} from "../conform/parse-period.ts";
import {readBytes} from "../read/read-file.ts";
import {SYNONYMS} from "../conform/synonyms.ts";
import {FIELDS, type Field} from "../types.ts";

export interface DraftOptions {
  council: {code: string; name: string};
  files: string[];
  dataDir?: string;
  /** Original URL of each file, by file name. */
  urls?: Record<string, string>;
  /** Period of a file whose name does not tell it ("2021-03" or "2014-04..2014-06"), by file name. */
  periods?: Record<string, string>;
  publisher?: string;
  licence?: string;
}

/**
 * A first manifest for a council's files: each file's columns are found with the synonym dictionary, and a
 * new layout starts whenever the set of fields the files carry changes. Review it before committing it.
 */
export function draftManifest(options: DraftOptions): Manifest {
  const dataDir = options.dataDir ?? "data";
  const found = options.files
    .map((path) => {
      const given = options.periods?.[basename(path)];
      return {path, period: given ? parsePeriod(given) : periodFromName(basename(path))};
    })
    .sort((a, b) => (a.period?.start ?? "").localeCompare(b.period?.start ?? "") || a.path.localeCompare(b.path));
  const layouts: Layout[] = [];
  const files: SourceFile[] = [];
  let lastHeader: string[] | undefined;
  for (const {path, period} of found) {
    if (!period) throw new Error(`${path}: cannot tell the period from the file name; add it to the manifest by hand`);
    const month = period.start.slice(0, 7);
    const end = addMonths(month, period.months - 1);
    const file: SourceFile = {period: period.months === 1 ? month : `${month}..${end}`, path: relative(dataDir, resolve(path))};
    const url = options.urls?.[basename(path)];
    if (url) file.url = url;
    files.push(file);
    const [table] = readBytes(readFileSync(path), path);
    const header = table ? findHeader(table.records) : null;
    const current = layouts.at(-1);
    if (!table || !header) {
      if (current && lastHeader) current.headerless_columns ??= lastHeader;
      continue;
    }
    lastHeader = header.names;
    const sample = table.records.slice(header.index + 1, header.index + 201).map((r) => r.cells);
    const map = mapColumns(header.names, SYNONYMS, sample);
    const columns: Partial<Record<Field, string[]>> = {};
    for (const field of FIELDS) if (map[field] !== undefined) columns[field] = [header.names[map[field]!]!];
    const sameFields = current && sameKeys(current.columns, columns);
    if (current && sameFields) {
      for (const field of Object.keys(columns) as Field[]) {
        const list = current.columns[field]!;
        for (const name of columns[field]!) if (!list.includes(name)) list.push(name);
      }
    } else {
      layouts.push({from: month, columns});
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
