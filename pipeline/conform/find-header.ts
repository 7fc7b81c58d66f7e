import type {CsvRecord} from "../read/parse-csv.ts";
import {normaliseHeader} from "./header-names.ts";
import {parseAmount} from "./parse-amount.ts";
import {parseDate} from "./parse-date.ts";
import {SYNONYMS} from "./synonyms.ts";

export interface Header {
  /** Index in records of the (last) header record; -1 when the file has no header row. */
  index: number;
  /** Column names, after merging a sub-header row into blank cells above it. */
  names: string[];
}

const KNOWN = new Set(Object.values(SYNONYMS).flat());
const SCAN = 40;

const known = (cell: string) => KNOWN.has(normaliseHeader(cell));

/**
 * Finds the header row among the first records: the one naming the most known columns (at least two).
 * `isName` says whether a cell names a column; by default, whether it is one of the synonyms.
 */
export function findHeader(records: CsvRecord[], isName: (cell: string) => boolean = known): Header | null {
  let best = -1;
  let bestScore = 1;
  for (let i = 0; i < Math.min(records.length, SCAN); i++) {
    const cells = records[i]!.cells;
    if (isName !== known && cells.some((c) => parseAmount(c).ok || parseDate(c).ok)) continue;
    const score = new Set(cells.filter(isName).map(normaliseHeader)).size;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0) return null;
  const names = records[best]!.cells.map((c) => c.trim());
  const next = records[best + 1];
  if (next && isSubHeader(names, next.cells)) {
    return {index: best + 1, names: names.map((n, i) => [n, next.cells[i]?.trim() ?? ""].filter(Boolean).join(" "))};
  }
  return {index: best, names};
}

/** A second header line (e.g. "Amount" above "Gross, VAT, Net"): labels under blank headers and no values. */
function isSubHeader(header: string[], cells: string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter(Boolean);
  if (filled.length < 2) return false;
  if (filled.some((c) => parseAmount(c).ok || parseDate(c).ok)) return false;
  return cells.some((c, i) => c.trim() !== "" && (header[i] ?? "") === "");
}
