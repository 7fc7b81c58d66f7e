import {readFileSync} from "node:fs";
import type {Command} from "../args.ts";
import {councilCode, inputFile, inputFolder} from "../validate.ts";
import {DATA, JSON_OUT, MAP, list, text} from "./options.ts";
import type {Field} from "../../types.ts";

const SAMPLES = 3;
const UNKNOWN_PERIOD = "YYYY-MM";

interface TableReport {
  entry: string;
  encoding: string;
  delimiter: string;
  header_line: number | null;
  header: string[];
  /** Field -> the column it is read from and the first values in it. */
  layout: Record<string, {column: string; index: number; samples: string[]; why?: string}>;
  error?: string;
}

interface FileReport {
  file: string;
  /** The manifest that lists the file, whose layout is shown: "data/sources/x.json, layout from 2019-04". */
  manifest?: string;
  tables: TableReport[];
  error?: string;
}

export const inspectCommand: Command = {
  name: "inspect",
  summary: "show how files would be read, and a draft manifest that reads them",
  details:
    "Per table: encoding, delimiter, header row, and the column each field is read from with sample values; then a\n" +
    "draft manifest for data/sources/ (review it before committing it). A file a manifest lists is shown with that\n" +
    "manifest's layout, as ingest reads it (unless --map is given).",
  positionals: {name: "FILE", description: "files to inspect (CSV, XLSX, XLS, ZIP)", min: 1, max: Infinity},
  options: [
    {name: "council", type: "string", value: "CODE", description: "the council the files are from, for the draft manifest"},
    MAP,
    JSON_OUT,
    DATA
  ],
  example: "vcse-spend inspect --council E07000120 spend/2024-04.csv spend/2024-05.csv --map amount=\"Net Amount\"",
  exits: {1: "a file could not be read (named on stderr; the others are shown)"},
  async run({values, positionals}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const code = values.council === undefined ? undefined : councilCode(text(values.council)!, dataDir);
    for (const f of positionals) inputFile(f, "FILE");
    const {checkMapped, parseMap} = await import("../map-fields.ts");
    const map = parseMap(list(values.map));
    if (Object.keys(map).length > 0) checkMapped(positionals, map);
    const {readBytes} = await import("../../read/read-file.ts");
    const {detectLayout, draftManifest, periodOf} = await import("../../sources/draft-manifest.ts");
    const {councilName} = await import("../../sources/councils.ts");
    const {manifestFor} = await import("../../sources/manifest-for.ts");
    // A file a manifest lists is read with that manifest's layout, as ingest reads it; --map asks for inference instead.
    const embedded = Object.keys(map).length > 0 ? () => undefined : manifestFor(dataDir);
    const files: FileReport[] = positionals.map((path) => {
      try {
        const known = embedded(path);
        const period = known ? known.period : periodOf(path);
        return {file: path, ...(known ? {manifest: known.manifest} : {}), tables: readBytes(readFileSync(path), path).map((table) => {
          const report: TableReport = {entry: table.entry, encoding: table.encoding, delimiter: table.delimiter, header_line: null, header: [], layout: {}};
          try {
            const found = detectLayout(table, period, map, known?.layout);
            report.header_line = found.headerLine;
            report.header = found.header;
            for (const [field, index] of Object.entries(found.columns)) {
              const samples = table.records.slice(found.start).map((r) => (r.cells[index] ?? "").trim()).filter(Boolean).slice(0, SAMPLES);
              const why = found.reasons[field as Field]?.reason;
              report.layout[field] = {column: found.header[index]!, index, samples, ...(why ? {why} : {})};
            }
          } catch (e) {
            report.error = (e as Error).message;
          }
          return report;
        })};
      } catch (e) {
        return {file: path, tables: [], error: (e as Error).message};
      }
    });
    const readable = files.filter((f) => !f.error && !f.manifest).map((f) => f.file);
    const council = code ? {code, name: councilName(code, dataDir) ?? code} : {code: "CODE", name: "NAME"};
    const manifest = readable.length ? draftManifest({council, files: readable, dataDir, unknownPeriod: UNKNOWN_PERIOD}) : null;
    if (values.json) process.stdout.write(`${JSON.stringify({files, manifest}, null, 2)}\n`);
    else process.stdout.write(describe(files, manifest));
    for (const f of files.filter((f) => f.error)) process.stderr.write(`error: ${f.error}\n`);
    if (manifest?.files.some((f) => f.period === UNKNOWN_PERIOD)) process.stderr.write(`note: the period of some files cannot be told from their names: fill in ${UNKNOWN_PERIOD}\n`);
    if (!code && manifest) process.stderr.write("note: give --council CODE to fill in the manifest's council\n");
    return files.some((f) => f.error) ? 1 : 0;
  }
};

function describe(files: FileReport[], manifest: unknown): string {
  const out: string[] = [];
  for (const f of files) {
    if (f.error) continue;
    if (f.manifest) out.push(`${f.file}: listed in ${f.manifest}, read with its layout`);
    for (const t of f.tables) {
      out.push(t.entry, `  encoding   ${t.encoding}`, `  delimiter  ${t.delimiter ? JSON.stringify(t.delimiter) : "(a workbook)"}`);
      out.push(`  header     ${t.header_line === null ? "none found" : `line ${t.header_line}: ${t.header.map((h) => JSON.stringify(h)).join(", ")}`}`);
      if (t.error) out.push(`  layout     not found: ${t.error}`);
      else {
        out.push("  layout");
        const width = Math.max(...Object.keys(t.layout).map((k) => k.length));
        for (const [field, {column, samples, why}] of Object.entries(t.layout)) {
          out.push(`    ${field.padEnd(width)}  <- ${JSON.stringify(column)}  e.g. ${samples.map((s) => JSON.stringify(s)).join(", ")}`);
          if (why) out.push(`    ${"".padEnd(width)}     ${why}`);
        }
      }
      out.push("");
    }
  }
  if (manifest) out.push("draft manifest (review it, then save it as data/sources/<council>.json):", JSON.stringify(manifest, null, 2), "");
  return out.join("\n");
}
