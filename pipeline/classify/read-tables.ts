import {readFile} from "node:fs/promises";
import {parseCsv} from "../read/parse-csv.ts";

/** Calls back with the whole number that starts each line, if any; much faster than a CSV parse for 250k lines. */
export function forEachLeadingNumber(text: string, callback: (n: number) => void): void {
  let n = 0;
  let digits = 0;
  let lineStart = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 10) {
      if (digits > 0) callback(n);
      n = 0;
      digits = 0;
      lineStart = true;
    } else if (lineStart && c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
    } else lineStart = false;
  }
}

export async function readText(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Rows of a CSV file as objects keyed by header (trimmed). `unquoted`: the file never quotes, so a '"' is part of
 * a value (the Charity Commission's tab-separated tables).
 */
export async function readTable(path: string, delimiter = ",", unquoted = false): Promise<Record<string, string>[]> {
  const text = await readText(path);
  // Most lookup files have no quoting at all, and splitting is several times faster than a full parse.
  const records = !unquoted && text.includes('"') ? parseCsv(text, delimiter).map((r) => r.cells) : text.split(/\r?\n/).map((line) => line.split(delimiter));
  const header = records[0]?.map((c) => c.trim()) ?? [];
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < records.length; i++) {
    const cells = records[i]!;
    if (cells.length === 1 && cells[0] === "") continue;
    const row: Record<string, string> = {};
    header.forEach((h, k) => (row[h] = cells[k] ?? ""));
    rows.push(row);
  }
  return rows;
}
