import * as XLSX from "@e965/xlsx";
import type {CsvRecord} from "./parse-csv.ts";
import {ReadError} from "./read-error.ts";
import {readZip, type ZipLimits} from "./read-zip.ts";

const DAY_MS = 86_400_000;

/**
 * Reads every non-empty sheet of an Excel workbook (XLSX, XLS, ODS) as records, one per sheet row.
 * Cells hold the text the publisher sees, except that dates become yyyy-mm-dd and numbers plain decimals,
 * so that the CSV path and this one feed the same parsers.
 */
export function readWorkbook(bytes: Uint8Array, name: string, limits?: ZipLimits): {sheet: string; records: CsvRecord[]}[] {
  // SheetJS unpacks the archive itself without bounds, so unpack it first, stopping bombs (sizes declared or
  // actual) and damaged archives before handing it over.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) readZip(bytes, name, limits);
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: "array",
      dense: true,
      cellNF: true,
      cellDates: false,
      cellText: true,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false
    });
  } catch (error) {
    throw new ReadError(name, `not a readable spreadsheet (${error instanceof Error ? error.message : String(error)})`);
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const sheets: {sheet: string; records: CsvRecord[]}[] = [];
  for (const sheetName of workbook.SheetNames) {
    const sheet = workbook.Sheets[sheetName];
    const records = sheet ? sheetRecords(sheet, date1904) : [];
    if (records.length > 0) sheets.push({sheet: sheetName, records});
  }
  return sheets;
}

function sheetRecords(sheet: XLSX.WorkSheet, date1904: boolean): CsvRecord[] {
  const data: (XLSX.CellObject | undefined)[][] = (sheet["!data"] as XLSX.CellObject[][] | undefined) ?? [];
  // Only the top-left cell of a merged range keeps the value, as in a CSV export.
  for (const merge of (sheet["!merges"] as XLSX.Range[] | undefined) ?? []) {
    for (let r = merge.s.r; r <= merge.e.r; r++) {
      const row = data[r];
      if (!row) continue;
      for (let c = merge.s.c; c <= merge.e.c; c++) if (r !== merge.s.r || c !== merge.s.c) row[c] = undefined;
    }
  }
  const texts: (string[] | undefined)[] = [];
  let width = 0;
  let first = -1;
  let last = -1;
  // Walk the stored cells rather than "!ref", which formatting alone can stretch to a million rows.
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    const cells: string[] = [];
    let rowWidth = 0;
    for (let c = 0; c < row.length; c++) {
      const text = cellText(row[c], date1904);
      cells.push(text);
      if (text !== "") rowWidth = c + 1;
    }
    if (rowWidth === 0) continue;
    texts[r] = cells;
    width = Math.max(width, rowWidth);
    if (first < 0) first = r;
    last = r;
  }
  const records: CsvRecord[] = [];
  if (first < 0) return records;
  for (let r = first; r <= last; r++) {
    const cells = (texts[r] ?? []).slice(0, width);
    while (cells.length < width) cells.push("");
    records.push({cells, line: r + 1, raw: cells.join(",")});
  }
  return records;
}

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return "";
  const {t, v, w} = cell;
  if (t === "n" && typeof v === "number") {
    const format = typeof cell.z === "string" ? cell.z : "";
    if (format && v >= 1 && XLSX.SSF.is_date(format)) return serialToIso(v, date1904) ?? w ?? String(v);
    return plainNumber(v, w);
  }
  if (t === "d") {
    if (v instanceof Date) return isoDay(v.getFullYear(), v.getMonth() + 1, v.getDate());
    return String(v).slice(0, 10);
  }
  if (t === "s") return String(v);
  return w ?? String(v);
}

/** Excel day numbers count from 1900-01-01 = 1, with the phantom 29 February 1900 at 60 (or from 1904-01-01 = 0). */
function serialToIso(serial: number, date1904: boolean): string | null {
  const day = Math.floor(Math.round(serial * 86_400) / 86_400);
  if (!date1904 && day === 60) return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + day * DAY_MS);
  return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The displayed digits when they are the exact value (keeping "00123" codes and "1234.50" pence),
 * otherwise the value itself: a display rounded to whole pounds must not lose the pence.
 */
function plainNumber(value: number, formatted: string | undefined): string {
  if (formatted !== undefined) {
    const bare = formatted.replace(/,/g, "");
    const exact = Math.abs(Number(bare) - value) <= 1e-9 * Math.max(1, Math.abs(value));
    const significant = bare.replace(/^-?0*|\./g, "").length;
    if (/^-?\d+(\.\d+)?$/.test(bare) && exact && significant <= 15) return bare;
  }
  return decimal(value);
}

function decimal(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // 15 significant digits hide binary noise such as 0.30000000000000004.
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!text.includes("e")) return text;
  if (Math.abs(rounded) >= 1) return BigInt(rounded).toString();
  const digits = Math.min(100, 14 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toFixed(digits).replace(/0+$/, "");
}
