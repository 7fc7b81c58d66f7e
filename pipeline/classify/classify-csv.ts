import type {Classifier, SupplierInput} from "./classify.ts";
import {parseCsv} from "../read/parse-csv.ts";

const OUTPUT_HEADER = ["name", "sector", "kind", "basis", "confidence", "matched_id"];
const INPUT_COLUMNS = ["supplier_id", "charity_number", "company_number", "council_flag"] as const;

/** A CSV cell, made inert for spreadsheets (a leading = + - @ tab or CR would start a formula) and quoted when needed. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function inputs(text: string): SupplierInput[] {
  const body = text.replace(/^\uFEFF/, "");
  const records = parseCsv(body, ",");
  const header = records[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const nameAt = header.indexOf("name");
  if (nameAt < 0) {
    // Not a CSV with a name column: one supplier name per line, commas and quotes included.
    return body
      .split(/\r\n|\n|\r/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map((name) => ({name}));
  }
  const at = Object.fromEntries(INPUT_COLUMNS.map((c) => [c, header.indexOf(c)]));
  return records
    .slice(1)
    .filter((r) => !r.cells.every((c) => c.trim() === ""))
    .map((r) => {
      const input: SupplierInput = {name: (r.cells[nameAt] ?? "").trim()};
      for (const column of INPUT_COLUMNS) {
        const value = at[column]! >= 0 ? r.cells[at[column]!]?.trim() : undefined;
        if (value) input[column] = value;
      }
      return input;
    });
}

/**
 * `vcse-spend classify`: supplier names one per line, or a CSV whose header has a `name` column and
 * optionally supplier_id, charity_number, company_number, council_flag. Returns CSV with one row per
 * non-blank input row, in input order.
 */
export function classifyCsv(input: string, classifier: Classifier): string {
  const lines = [OUTPUT_HEADER.join(",")];
  for (const supplier of inputs(input)) {
    const c = classifier.classify(supplier);
    lines.push([supplier.name, c.sector, c.kind ?? "", c.basis, String(c.confidence), c.matched_id ?? ""].map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}
