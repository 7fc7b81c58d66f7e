/**
 * A national-scale corpus for the benchmark, made by resampling the embedded real files: each generated
 * council takes one real council as its template (its layouts, encodings, line ends, preamble and header
 * lines) and publishes files drawn from that council's real files, with rows drawn at random from the
 * template file, dates moved into the generated file's financial year and a quarter of suppliers given a
 * local variant of their name (so that distinct suppliers grow with the number of councils, as they do).
 * Deterministic for a given seed, size and set of embedded files.
 */
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import iconv from "iconv-lite";
import {conformPlan} from "../pipeline/conform/conform.ts";
import {layoutFor, readManifests, type Layout, type Manifest, type SourceFile} from "../pipeline/sources/manifest.ts";
import {parseCsv, type CsvRecord} from "../pipeline/read/parse-csv.ts";
import {parsePeriod} from "../pipeline/conform/parse-period.ts";
import {readBytes} from "../pipeline/read/read-file.ts";
import {isRedacted} from "../pipeline/conform/redaction.ts";
import {financialYearStart, financialYear} from "../pipeline/conform/financial-year.ts";
import {rng, type Rng} from "./rng.ts";

export interface CorpusOptions {
  /** Payments (data rows) to generate, at least. */
  rows: number;
  outDir: string;
  dataDir?: string;
  /** First financial year and how many. */
  firstYear?: number;
  years?: number;
  seed?: number;
}

export interface Corpus {
  dir: string;
  rows: number;
  files: number;
  bytes: number;
  councils: number;
  years: string[];
  /** Paths of the generated CSV files, relative to dir. */
  paths: string[];
  encodings: Record<string, number>;
}

interface Template {
  manifest: Manifest;
  layout: Layout;
  layoutIndex: number;
  period: string;
  encoding: string;
  newline: string;
  delimiter: string;
  head: string[];
  rows: CsvRecord[];
  date?: number;
  periodColumn?: number;
  supplier: number;
}

/** Bumped whenever the generator changes what it writes, so that cached corpora are made again. */
const VERSION = 3;
const LOCAL_SHARE = 0.25;
/** A large council's month: bigger templates (a year of Trafford's payments in one file) are sampled down to this. */
const MAX_ROWS_PER_FILE = 10_000;

/** Writes the corpus (manifests in sources/, files in spending/) unless a finished one of the same recipe is there. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const {rows, outDir} = options;
  const dataDir = options.dataDir ?? "data";
  const firstYear = options.firstYear ?? 2010;
  const years = options.years ?? 14;
  const seed = options.seed ?? 20_240_401;
  const done = join(outDir, "corpus.json");
  if (existsSync(done)) {
    const corpus = JSON.parse(readFileSync(done, "utf8")) as Corpus & {recipe: unknown};
    if (JSON.stringify(corpus.recipe) === JSON.stringify({rows, firstYear, years, seed, version: VERSION})) return {...corpus, dir: outDir};
  }
  rmSync(outDir, {recursive: true, force: true});
  mkdirSync(join(outDir, "sources"), {recursive: true});
  writeFileSync(join(outDir, "source.schema.json"), readFileSync(join(dataDir, "source.schema.json")));
  // The reference tables (councils, deflators, population) the compacted pages read beside the manifests.
  symlinkSync(resolve(dataDir, "reference"), join(outDir, "reference"));

  const models = readManifests(dataDir).map((manifest) => ({manifest, files: manifest.files}));
  const targets = currentCouncils(dataDir);
  const templates = new Map<string, Template | null>();
  const random = rng(seed);
  const plan = targets.map((council) => ({council, model: models[Math.floor(random() * models.length)]!, files: [] as {period: string; path: string; layout: string}[]}));

  const paths: string[] = [];
  const encodings: Record<string, number> = {};
  let written = 0;
  let bytes = 0;
  for (let k = 0; written < rows; k++) {
    const target = plan[k % plan.length]!;
    const round = Math.floor(k / plan.length);
    const source = target.model.files[Math.floor(random() * target.model.files.length)]!;
    const template = templates.get(source.path) ?? loadTemplate(dataDir, target.model.manifest, source);
    templates.set(source.path, template);
    if (!template) continue;
    const year = firstYear + ((k % plan.length) + round * 5) % years;
    const shift = year - financialYearStart(financialYear(parsePeriod(template.period)!.start));
    const count = Math.min(template.rows.length, MAX_ROWS_PER_FILE, rows - written);
    const text = render(template, count, shift, target.council.name, random);
    const path = `spending/${target.council.code}/${year}-${String(round).padStart(3, "0")}.csv`;
    const encoded = encode(text, template.encoding);
    mkdirSync(join(outDir, "spending", target.council.code), {recursive: true});
    writeFileSync(join(outDir, path), encoded);
    target.files.push({period: shiftPeriod(template.period, shift), path, layout: `t${template.layoutIndex}`});
    paths.push(path);
    encodings[template.encoding] = (encodings[template.encoding] ?? 0) + 1;
    written += count;
    bytes += encoded.length;
  }
  let councilCount = 0;
  for (const {council, model, files} of plan) {
    if (files.length === 0) continue;
    councilCount++;
    const layouts = model.manifest.layouts.map((l, i) => ({...l, id: `t${i}`}));
    const manifest = {
      council: {code: council.code, name: council.name},
      publisher: `synthetic: resampled from ${model.manifest.council.name}'s files`,
      licence: "Open Government Licence v3.0",
      layouts,
      files
    };
    writeFileSync(join(outDir, "sources", `${council.code}.json`), JSON.stringify(manifest, null, 1));
  }
  const corpus: Corpus = {
    dir: outDir, rows: written, files: paths.length, bytes, councils: councilCount,
    years: Array.from({length: years}, (_, i) => `${firstYear + i}-${String((firstYear + i + 1) % 100).padStart(2, "0")}`),
    paths, encodings
  };
  writeFileSync(done, JSON.stringify({...corpus, recipe: {rows, firstYear, years, seed, version: VERSION}}));
  return corpus;
}

/**
 * England's councils today that the manifest schema accepts: unitary, district, metropolitan and London
 * borough councils (E06-E09), without end date. County councils (E10) are outside the schema's pattern.
 */
function currentCouncils(dataDir: string): {code: string; name: string}[] {
  const [header, ...rows] = parseCsv(readFileSync(join(dataDir, "reference/local-authorities/uk_local_authorities.csv"), "utf8"));
  const col = (name: string) => header!.cells.indexOf(name);
  const [code, name, end] = [col("gss-code"), col("nice-name"), col("end-date")];
  return rows
    .map((r) => ({code: r.cells[code] ?? "", name: r.cells[name] ?? "", end: r.cells[end] ?? ""}))
    .filter((c) => /^E0[6-9]\d{6}$/.test(c.code) && !c.end)
    .map(({code, name}) => ({code, name}))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** An embedded file as a template, if it reads as one text table with a header: where its date and supplier are. */
function loadTemplate(dataDir: string, manifest: Manifest, file: SourceFile): Template | null {
  const layout = layoutFor(manifest, file);
  const bytes = readFileSync(join(dataDir, file.path));
  try {
    const tables = readBytes(bytes, file.path);
    if (tables.length !== 1 || tables[0]!.delimiter === "") return null;
    const table = tables[0]!;
    const plan = conformPlan(table, {council: manifest.council, sha256: "", period: parsePeriod(file.period), ...layout});
    const text = new TextDecoder("latin1").decode(bytes.subarray(0, 65536));
    return {
      manifest, layout, layoutIndex: manifest.layouts.indexOf(layout), period: file.period, encoding: table.encoding,
      newline: text.includes("\r\n") ? "\r\n" : "\n", delimiter: table.delimiter,
      head: table.records.slice(0, plan.start).map((r) => r.raw), rows: table.records.slice(plan.start),
      date: plan.map.payment_date, periodColumn: plan.map.period, supplier: plan.map.supplier_name
    };
  } catch {
    return null;
  }
}

/** A file of `count` rows drawn from the template, dates moved by `shift` years. */
function render(t: Template, count: number, shift: number, councilName: string, random: Rng): string {
  const lines = [...t.head];
  for (let i = 0; i < count; i++) {
    const record = t.rows[Math.floor(random() * t.rows.length)]!;
    const cells = [...record.cells];
    if (t.date !== undefined && cells[t.date] !== undefined) cells[t.date] = shiftDate(cells[t.date]!, shift);
    if (t.periodColumn !== undefined && cells[t.periodColumn] !== undefined) cells[t.periodColumn] = shiftPeriodCell(cells[t.periodColumn]!, shift);
    const name = cells[t.supplier];
    if (name && name.trim() && !isRedacted(name) && hash(`${councilName}\u0000${name}`) < LOCAL_SHARE) cells[t.supplier] = `${name.trim()} (${councilName})`;
    lines.push(serialise(cells, record.raw, t.delimiter));
  }
  return lines.join(t.newline) + t.newline;
}

/** The cells as a line, quoting the fields the original quoted (and any that need it). */
function serialise(cells: string[], raw: string, delimiter: string): string {
  const quoted = raw.includes('"') ? quotedFields(raw, delimiter) : [];
  return cells
    .map((c, i) => {
      const must = c.includes(delimiter) || c.includes('"') || c.includes("\n") || c.includes("\r");
      return must || quoted[i] ? `"${c.replaceAll('"', '""')}"` : c;
    })
    .join(delimiter);
}

function quotedFields(raw: string, delimiter: string): boolean[] {
  const out: boolean[] = [];
  let i = 0;
  for (;;) {
    const quoted = raw[i] === '"';
    out.push(quoted);
    if (quoted) {
      i++;
      while (i < raw.length && !(raw[i] === '"' && raw[i + 1] !== '"')) i += raw[i] === '"' ? 2 : 1;
      i++;
    }
    const next = raw.indexOf(delimiter, i);
    if (next < 0) return out;
    i = next + 1;
  }
}

const YEAR_AT_END = /^(\s*\d{1,2}[/.\- ]+(?:[A-Za-z]{3,9}\.?[\s/,-]+|\d{1,2}[/.-]))(\d{4}|\d{2})(\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*)$/;

/** A published date moved by whole years, in the same notation; anything unrecognised is left as it is. */
export function shiftDate(cell: string, shift: number): string {
  if (shift === 0) return cell;
  let m = /^(\s*)(\d{4})(-\d{1,2}-\d{1,2}.*)$/.exec(cell);
  if (m) return `${m[1]}${+m[2]! + shift}${m[3]}`;
  m = YEAR_AT_END.exec(cell);
  if (m) {
    const y = m[2]!.length === 4 ? String(+m[2]! + shift) : String((+m[2]! + shift + 100) % 100).padStart(2, "0");
    return `${m[1]}${y}${m[3]}`;
  }
  m = /^(\s*)(\d{4})(\d{4}\s*)$/.exec(cell);
  if (m) return `${m[1]}${+m[2]! + shift}${m[3]}`;
  m = /^(\s*)(\d{5})((?:\.\d+)?\s*)$/.exec(cell);
  if (m) return `${m[1]}${+m[2]! + Math.round(shift * 365.25)}${m[3]}`;
  return cell;
}

function shiftPeriodCell(cell: string, shift: number): string {
  const m = /^(\s*)(\d{4})(-?\d{2}\s*)$/.exec(cell);
  return m ? `${m[1]}${+m[2]! + shift}${m[3]}` : cell;
}

function shiftPeriod(period: string, shift: number): string {
  return period.replace(/\d{4}/g, (y) => String(+y + shift));
}

function encode(text: string, encoding: string): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  if (encoding === "utf-8-bom") return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
  if (encoding === "cp850") return iconv.encode(text, "cp850");
  if (encoding.startsWith("utf-16")) return iconv.encode(text, encoding, {addBOM: true});
  return iconv.encode(text, "windows-1252");
}

/** A number in [0, 1) from a string (FNV-1a), for choices that must not depend on the order of generation. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}
