/**
 * What spreadsheets add to a cell to keep it as text when it is saved as CSV: a formula that returns it
 * (="00123", ="1,234.50") or a leading apostrophe before a number or a date ('1234.50, '01/04/2019). Only the
 * wrapper goes: an apostrophe before a word ("'t Hooft") is part of the word.
 */
export function unwrapExcelText(text: string): string {
  const s = text.trim();
  const formula = /^="(.*)"$/s.exec(s);
  if (formula) return formula[1]!.replaceAll('""', '"');
  return /^'[\d£$€(+\-.]/.test(s) ? s.slice(1) : text;
}
