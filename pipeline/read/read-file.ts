import {readFile} from "node:fs/promises";
import {decodeText} from "./decode-text.ts";
import {detectDelimiter, parseCsv, type CsvRecord} from "./parse-csv.ts";
import {ReadError} from "./read-error.ts";
import {isTableName, looksBinary, looksLikeHtml, magicKind, SNIFF_CHARS, workbookKind} from "./sniff.ts";
import {readWorkbook} from "./read-xlsx.ts";
import {DEFAULT_ZIP_LIMITS, listZip, readZip, type ZipLimits} from "./read-zip.ts";

/** One table found in a file: the file itself, a ZIP entry (`a.zip!b.csv`) or a sheet (`a.xlsx#Sheet1`). */
export interface Table {
  entry: string;
  /** Text encoding as decodeText reports it, or "xlsx" / "xls" / "ods" for workbooks. */
  encoding: string;
  /** "" for workbooks. */
  delimiter: string;
  records: CsvRecord[];
}

/** Archives inside archives are followed this deep, and no deeper. */
const MAX_ZIP_DEPTH = 2;

/** Reads a file of any of the shapes councils publish: CSV/TSV text in any encoding, XLSX, XLS, or a ZIP of those. */
export async function readPath(path: string, name: string = path, limits?: ZipLimits): Promise<Table[]> {
  const buffer = await readFile(path);
  return readBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), name, limits);
}

/**
 * Sniffs the content (the extension is often wrong) and returns every table in it. The ZIP limits bound each
 * archive entry, and the total holds for everything unpacked, archives inside archives included.
 */
export function readBytes(bytes: Uint8Array, name: string, limits?: ZipLimits): Table[] {
  const resolved = {...DEFAULT_ZIP_LIMITS, ...limits};
  return readAt(bytes, name, 0, resolved, {left: resolved.maxTotalBytes});
}

interface Budget {
  /** Bytes that archives may still unpack to. */
  left: number;
}

function readAt(bytes: Uint8Array, name: string, depth: number, limits: Required<ZipLimits>, budget: Budget): Table[] {
  if (bytes.length === 0) throw new ReadError(name, "empty file (0 bytes)");
  const magic = magicKind(bytes);
  if (magic === "zip") {
    const listed = listZip(bytes, name, limits);
    const size = listed.reduce((sum, entry) => sum + entry.size, 0);
    if (size > budget.left) {
      throw new ReadError(name, `archives inside archives would unpack to more than ${limits.maxTotalBytes} bytes in all (ZIP bomb?)`);
    }
    budget.left -= size;
    const kind = workbookKind(listed);
    return kind ? workbookTables(bytes, name, kind, limits) : zipTables(bytes, name, depth, limits, budget);
  }
  if (magic === "xls") return workbookTables(bytes, name, "xls", limits);
  if (magic === "pdf") throw new ReadError(name, "looks like a PDF document, not a data file");
  if (magic === "gzip") throw new ReadError(name, "gzip-compressed file: unpack it first");

  const {text, encoding} = decodeText(bytes);
  const head = text.slice(0, SNIFF_CHARS);
  if (looksLikeHtml(head)) throw new ReadError(name, "looks like an HTML page, not a data file");
  if (looksBinary(head)) throw new ReadError(name, "binary content, not text or a known spreadsheet format");
  const delimiter = detectDelimiter(text);
  return [{entry: name, encoding, delimiter, records: parseCsv(text, delimiter)}];
}

function workbookTables(bytes: Uint8Array, name: string, encoding: string, limits: ZipLimits): Table[] {
  const sheets = readWorkbook(bytes, name, limits);
  if (sheets.length === 0) throw new ReadError(name, "workbook has no sheet with any cell filled");
  return sheets.map(({sheet, records}) => ({
    entry: `${name}#${sheet}`,
    encoding,
    delimiter: "",
    records
  }));
}

function zipTables(bytes: Uint8Array, name: string, depth: number, limits: Required<ZipLimits>, budget: Budget): Table[] {
  if (depth >= MAX_ZIP_DEPTH) throw new ReadError(name, "ZIP archives nested too deeply");
  const entries = readZip(bytes, name, limits);
  const tables: Table[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    const inner = `${name}!${entry.name}`;
    if (isTableName(entry.name)) {
      tables.push(...readAt(entry.bytes, inner, depth + 1, limits, budget));
    } else {
      skipped.push(entry.name);
    }
  }
  if (tables.length === 0) {
    const found = skipped.length > 0 ? ` (found: ${skipped.join(", ")})` : " (it is empty)";
    throw new ReadError(name, `ZIP archive holds no CSV or spreadsheet files${found}`);
  }
  return tables;
}
