import {readdir} from "node:fs/promises";
import {join} from "node:path";
import type {Classifier} from "../../pipeline/classify/classify.ts";
import {codingClassification} from "../../pipeline/classify/council-coding.ts";
import {supplierKey} from "../../pipeline/classify/supplier-key.ts";
import type {Scored, Supplier} from "./types.ts";

/** Pounds from published text: £ and commas dropped, (brackets) or a trailing/leading minus negative; 0 if unreadable. */
export function pounds(text: string | undefined): number {
  if (!text) return 0;
  let s = text.replace(/[£,\s]/g, "");
  let sign = 1;
  if (/^\(.*\)$/.test(s)) {
    sign = -1;
    s = s.slice(1, -1);
  }
  if (s.endsWith("-")) {
    sign = -sign;
    s = s.slice(0, -1);
  }
  const n = Number(s);
  return Number.isFinite(n) ? sign * n : 0;
}

export function addRow(suppliers: Map<string, Supplier>, name: string, amount: number, labelled: boolean, texts: string[] = []): void {
  const key = supplierKey(name);
  if (!key) return;
  let s = suppliers.get(key);
  if (!s) suppliers.set(key, (s = {key, spellings: new Map(), rows: 0, labelledRows: 0, pounds: 0, coded: []}));
  s.coded.push({texts, pounds: amount});
  s.spellings.set(name, (s.spellings.get(name) ?? 0) + 1);
  s.rows++;
  if (labelled) s.labelledRows++;
  s.pounds += amount;
}

export function commonest(spellings: Map<string, number>): string {
  let best = "";
  let most = -1;
  for (const [name, n] of spellings) {
    if (n > most) {
      best = name;
      most = n;
    }
  }
  return best;
}

export const CODING_VARIANT = "a name the classifier leaves unknown takes the council's coding of its rows (purpose, service, expense type), as the site's counted payments do";

/**
 * Each supplier classified by its commonest spelling. With `coding`, a supplier the name leaves unknown takes
 * the council's coding of its rows, as the store's counted payments do (pipeline/classify/council-coding.ts).
 */
export function scoreSuppliers(suppliers: Iterable<Supplier>, classifier: Classifier, isPositive: (s: Supplier) => boolean, coding = false): Scored[] {
  return [...suppliers].map((s) => {
    const name = commonest(s.spellings);
    let predicted = classifier.classify({name});
    if (coding && predicted.sector === "unknown") predicted = codingClassification(s.coded) ?? predicted;
    return {key: s.key, name, pounds: s.pounds, rows: s.rows, labelledRows: s.labelledRows, label: isPositive(s), predicted};
  });
}

export function columnIndex(header: string[], pattern: RegExp): number {
  return header.findIndex((h) => pattern.test(h.trim()));
}

export async function csvFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.toLowerCase().endsWith(".csv")).sort().map((f) => join(dir, f));
}
