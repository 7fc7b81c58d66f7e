import {isUtf8} from "node:buffer";
import {conformPlan, type ConformOptions, type ConformPlan, type Repair} from "../conform/conform.ts";
import {decodeText, hasByteEscapes} from "../read/decode-text.ts";
import {detectDelimiter, parseCsv, type CsvRecord} from "../read/parse-csv.ts";
import type {Table} from "../read/read-file.ts";
import {listZip, readZip, type ZipLimits} from "../read/read-zip.ts";
import {extension, isTableName, looksBinary, looksLikeHtml, magicKind, SNIFF_CHARS, startsWith, TEXT_EXTENSIONS, workbookKind} from "../read/sniff.ts";
import type {FastJob} from "./job.ts";

/** Records conform's layout detection may look at: findHeader's first 40, then 200 sample rows. */
const SAMPLE_ROWS = 200;
const HEAD_LINES = 300;
/** Enough bytes for detectDelimiter to see what it would see in the whole text (it stops at 1 Mi characters). */
const HEAD_BYTES = 4 * 1024 * 1024;
/** Usually enough for the head's 300 lines: most files need no more decoded here. */
const QUICK_HEAD_BYTES = 256 * 1024;
/**
 * Repairs that mend only rows whose width differs from the header's: narrower ("date_amount_merged") or wider
 * ("thousands_split"). The fast path leaves every such row to conform (mendsShortRows, mendsWideRows), which
 * mends it as the JavaScript path would.
 */
const REPAIRED_BY_CONFORM = new Set<Repair>(["date_amount_merged", "thousands_split"]);

export function mendsShortRows(options: ConformOptions): boolean {
  return options.repairs?.includes("date_amount_merged") ?? false;
}

export function mendsWideRows(options: ConformOptions): boolean {
  return options.repairs?.includes("thousands_split") ?? false;
}

export interface Text {
  encoding: string;
  /** The beginning of the text: all of it, or at least HEAD_BYTES' worth (decoded only when asked for). */
  readonly head: string;
  /** The first QUICK_HEAD_BYTES of a longer UTF-8 text. */
  quickHead?: string;
  whole: boolean;
  /** UTF-8 for DuckDB to decode: the file's own bytes, or the text decoded here (8-bit code pages, UTF-16). */
  utf8: Uint8Array;
}

export interface Prepared {
  index: number;
  file: FastJob;
  text: Text;
  delimiter: string;
  head: Table;
  options: ConformOptions;
  plan: ConformPlan;
}

/** What the JavaScript side knows before DuckDB reads the file: its text, delimiter and conform's plan; null to decline. */
export function prepare(file: FastJob, index: number, limits: ZipLimits): Prepared | null {
  const {job} = file;
  const text = textOf(file.bytes, job.sourceFile, limits);
  if (!text) return null;
  const options: ConformOptions = {council: job.council, sha256: file.sha256, period: job.period, ...job.layout};
  if (options.repairs?.some((r) => !REPAIRED_BY_CONFORM.has(r))) return null;
  const {delimiter, found} = readHead(text);
  if (!found) return null;
  const head: Table = {entry: job.sourceFile, encoding: text.encoding, delimiter, records: found.records};
  let plan: ConformPlan;
  try {
    plan = conformPlan(head, options);
  } catch {
    return null; // the JavaScript path reports the layout error
  }
  if (!found.all && head.records.length < plan.start + SAMPLE_ROWS) return null;
  return {index, file, text, delimiter, head, options, plan};
}

/**
 * The delimiter and the first records, from the first QUICK_HEAD_BYTES of a long UTF-8 text when those
 * hold every line detectDelimiter and headRecords look at (they almost always do), else from the whole head.
 */
function readHead(text: Text): {delimiter: string; found: ReturnType<typeof headRecords>} {
  if (text.quickHead !== undefined) {
    const sampled = {complete: false};
    const delimiter = detectDelimiter(text.quickHead, sampled);
    const found = sampled.complete ? headRecords(text.quickHead, false, delimiter) : null;
    if (found) return {delimiter, found};
  }
  const delimiter = detectDelimiter(text.head);
  return {delimiter, found: headRecords(text.head, text.whole, delimiter)};
}

/** The file's one text table, decoded as read-file.ts would, or null for anything else. */
function textOf(bytes: Uint8Array, name: string, limits: ZipLimits): Text | null {
  if (bytes.length === 0) return null;
  if (magicKind(bytes) === "zip") {
    try {
      const listed = listZip(bytes, name, limits);
      if (workbookKind(listed)) return null;
      const tables = listed.filter((e) => isTableName(e.name));
      if (tables.length !== 1 || !TEXT_EXTENSIONS.has(extension(tables[0]!.name))) return null;
      const entry = readZip(bytes, name, limits).find((e) => e.name === tables[0]!.name);
      return entry ? plainText(entry.bytes) : null;
    } catch {
      return null;
    }
  }
  return plainText(bytes);
}

function plainText(bytes: Uint8Array): Text | null {
  if (bytes.length === 0 || magicKind(bytes)) return null;
  let text: Text;
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  // A NUL anywhere is left to the JavaScript path: it is text there, but not in a DuckDB string.
  if (bytes.includes(0)) return null;
  if (!startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xfe, 0xff]) && isUtf8(body) && !hasByteEscapes(body)) {
    // decodeText would give the same text; only the head is decoded here, DuckDB decodes the rest.
    if (strayCr(body)) return null;
    const end = utf8Boundary(body, HEAD_BYTES);
    let head: string | undefined;
    text = {
      encoding: bom ? "utf-8-bom" : "utf-8", whole: end === body.length, utf8: body,
      get head() {
        return (head ??= decodeUtf8(body, end));
      }
    };
    if (body.length > QUICK_HEAD_BYTES) text.quickHead = decodeUtf8(body, utf8Boundary(body, QUICK_HEAD_BYTES));
  } else {
    const decoded = decodeText(bytes);
    if (/\r(?!\n|$)|\0/.test(decoded.text)) return null;
    text = {encoding: decoded.encoding, head: decoded.text, whole: true, utf8: Buffer.from(decoded.text, "utf8")};
  }
  const sniff = (text.quickHead ?? text.head).slice(0, SNIFF_CHARS);
  return looksLikeHtml(sniff) || looksBinary(sniff) ? null : text;
}

/** The largest end at or before `max` that does not cut a UTF-8 character. */
function utf8Boundary(body: Uint8Array, max: number): number {
  let end = Math.min(body.length, max);
  while (end < body.length && end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  return end;
}

function decodeUtf8(body: Uint8Array, end: number): string {
  return new TextDecoder("utf-8", {ignoreBOM: true}).decode(body.subarray(0, end));
}

/** Whether a CR stands anywhere but before an LF or at the very end: the line split would not see that line end. */
function strayCr(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) {
    if (i + 1 < bytes.length && bytes[i + 1] !== 0x0a) return true;
  }
  return false;
}

/** The first HEAD_LINES lines of the head, parsed, and whether they are all the text's lines; null when the head is cut inside them. */
function headRecords(head: string, whole: boolean, delimiter: string): {records: CsvRecord[]; all: boolean} | null {
  let end = 0;
  for (let i = 0; i < HEAD_LINES; i++) {
    const lf = head.indexOf("\n", end);
    if (lf < 0) {
      if (!whole) return null;
      return {records: parseCsv(head, delimiter), all: true};
    }
    end = lf + 1;
  }
  return {records: parseCsv(head.slice(0, end), delimiter), all: whole && end === head.length};
}
