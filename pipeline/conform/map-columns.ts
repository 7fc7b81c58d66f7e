import {normaliseHeader} from "./header-names.ts";
import {parseAmount} from "./parse-amount.ts";
import {parseDateOrMonth} from "./parse-period.ts";
import {FIELDS, type Field} from "../types.ts";

export type ColumnMap = Partial<Record<Field, number>>;

/** Whether a column's sample of values could hold a field: guards against a header that lies. */
const PLAUSIBLE: Partial<Record<Field, (values: string[]) => boolean>> = {
  amount: (v) => share(v, (s) => parseAmount(s).ok) >= 0.5,
  payment_date: (v) => share(v, (s) => parseDateOrMonth(s).ok || /^0{1,2}:00/.test(s.trim())) >= 0.5,
  supplier_name: (v) => share(v, (s) => !/^[\d\s.,/-]+$/.test(s)) >= 0.5
};

function share(values: string[], test: (s: string) => boolean): number {
  const filled = values.filter((s) => s.trim() !== "");
  return filled.length === 0 ? 1 : filled.filter(test).length / filled.length;
}

/**
 * Maps canonical fields to column indexes: for each field, the first of its names (in order of preference)
 * that a header cell carries and whose sample values are plausible. A column serves one field only.
 */
export function mapColumns(header: string[], names: Partial<Record<Field, string[]>>, sample: string[][] = []): ColumnMap {
  const normalised = header.map(normaliseHeader);
  const taken = new Set<number>();
  const map: ColumnMap = {};
  for (const field of FIELDS) {
    for (const name of names[field] ?? []) {
      const want = normaliseHeader(name);
      if (!want) continue;
      const index = normalised.findIndex((h, i) => h === want && !taken.has(i) && plausible(field, sample, i));
      if (index >= 0) {
        map[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  return map;
}

function plausible(field: Field, sample: string[][], index: number): boolean {
  const check = PLAUSIBLE[field];
  return !check || sample.length === 0 || check(sample.map((cells) => cells[index] ?? ""));
}

/** Source column -> field, for reports ("Net Amount(£)" -> "amount"). */
export function describeMap(header: string[], map: ColumnMap): Record<string, Field> {
  const out: Record<string, Field> = {};
  for (const [field, index] of Object.entries(map) as [Field, number][]) out[header[index] || `column ${index + 1}`] = field;
  return out;
}
