import type {Manifest, SourceFile} from "../sources/manifest.ts";
import {urlFileName, type DataFormat} from "./file-format.ts";

/** A spending file discovery found, with the period it covers. */
export interface FoundFile {
  url: string;
  format: DataFormat;
  period: string;
  text: string;
}

export interface Origin {
  /** "page": a council's web page; "ckan": a CKAN API's dataset or organisation. */
  kind: "page" | "ckan";
  /** The page, or the API call, discovery started from. */
  url: string;
  /** Every page read, after the first. */
  pages: string[];
  at: string;
}

/** When a period is offered in several formats, the one read with the fewest surprises is kept. */
const PREFERENCE: DataFormat[] = ["csv", "xlsx", "xls", "ods", "zip"];

/** The files kept, and those left out because the same period is there in a preferred format. */
export function oneFormatPerPeriod(files: FoundFile[]): {kept: FoundFile[]; alternatives: FoundFile[]} {
  const byPeriod = new Map<string, FoundFile[]>();
  for (const f of files) byPeriod.set(f.period, [...(byPeriod.get(f.period) ?? []), f]);
  const kept: FoundFile[] = [];
  const alternatives: FoundFile[] = [];
  for (const group of byPeriod.values()) {
    const best = PREFERENCE.find((format) => group.some((f) => f.format === format));
    for (const f of group) (f.format === best ? kept : alternatives).push(f);
  }
  return {kept, alternatives};
}

/** A cache path for a file: the council's folder, the period, and the published name made safe. */
function cachePath(code: string, file: FoundFile, taken: Set<string>): string {
  const stem = urlFileName(file.url).replace(/\.[a-z0-9]+$/i, "");
  const safe = stem.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "file";
  const base = `${code}/${file.period.replace("..", "_")}-${safe}`;
  let path = `${base}.${file.format}`;
  for (let n = 2; taken.has(path); n++) path = `${base}-${n}.${file.format}`;
  taken.add(path);
  return path;
}

/**
 * A draft manifest, not yet reviewed: no layouts (ingest infers each file's columns from its header), each file
 * with its URL, format and period, a cache path under the council's code, and where discovery found it.
 */
export function discoveredManifest(council: {code: string; name: string}, origin: Origin, files: FoundFile[], notes: string[] = []): Manifest {
  const taken = new Set<string>();
  const sorted = [...files].sort((a, b) => a.period.localeCompare(b.period) || a.url.localeCompare(b.url));
  const entries: SourceFile[] = sorted.map((f) => {
    const entry: SourceFile = {period: f.period, path: cachePath(council.code, f, taken), url: f.url};
    if (f.format !== "ods") entry.kind = f.format;
    return entry;
  });
  return {
    council,
    publisher: council.name,
    landing_page: origin.url,
    licence: "Open Government Licence v3.0 (assumed: the Transparency Code asks for it; check the page)",
    reviewed: false,
    discovered: {from: origin.kind, url: origin.url, pages: origin.pages, at: origin.at},
    notes,
    layouts: [],
    files: entries
  };
}
