import {hasCompanyForm, tradingCompanyHead} from "../../pipeline/classify/supplier-key.ts";
import type {Classification} from "../../pipeline/types.ts";
import type {Cell, Explained, Matrix, Scored, SetInfo, SetReport, Variant} from "./types.ts";

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export const isVcse = (c: Classification) => c.sector === "vcse";
export const isCharityKind = (c: Classification) => c.sector === "vcse" && c.kind === "charity";
/**
 * Kinds that by law cannot be registered charities: a CIC cannot be a charity, a club registered as a CASC
 * cannot be one too, and co-operatives and credit unions are not charities. A charity-number label can neither
 * confirm nor refute such a prediction.
 */
const NOT_REGISTRABLE = new Set(["cic", "mutual", "sports_club"]);
/** A charity's trading company ("Turning Point Services Ltd") is a company, registered as none, though the charity owns it. */
const charityTradingCompany = (i: Scored) => isVcse(i.predicted) && hasCompanyForm(i.name) && tradingCompanyHead(i.key) !== null;
export const labelCanJudge = (i: Scored) => !(isVcse(i.predicted) && NOT_REGISTRABLE.has(i.predicted.kind ?? "")) && !charityTradingCompany(i);

const sectorOf = (c: Classification) => `${c.sector}${c.sector === "vcse" ? `/${c.kind ?? "unspecified"}` : ""}`;
/** The rule of a name-rule answer, else its basis: what a miss is tallied under. */
export const ruleOf = (c: Classification) => (c.basis === "name_rule" ? (c.matched_id ?? "") : c.basis);

function confusion(items: Scored[], predicted: (c: Classification) => boolean): Omit<Variant, "description"> {
  const cell = (): Cell => ({suppliers: 0, pounds: 0});
  const matrix: Matrix = {tp: cell(), fp: cell(), fn: cell(), tn: cell()};
  for (const item of items) {
    const vcse = predicted(item.predicted);
    const c = item.label ? (vcse ? matrix.tp : matrix.fn) : vcse ? matrix.fp : matrix.tn;
    c.suppliers++;
    // A supplier whose credit notes outweigh its payments counts for nothing, not for minus pounds.
    c.pounds += Math.max(0, item.pounds);
  }
  const hasNegatives = matrix.fp.suppliers + matrix.tn.suppliers > 0;
  return {
    suppliers: items.length,
    matrix,
    by_supplier: {
      precision: hasNegatives ? ratio(matrix.tp.suppliers, matrix.tp.suppliers + matrix.fp.suppliers) : null,
      recall: ratio(matrix.tp.suppliers, matrix.tp.suppliers + matrix.fn.suppliers)
    },
    by_pounds: {
      precision: hasNegatives ? ratio(matrix.tp.pounds, matrix.tp.pounds + matrix.fp.pounds) : null,
      recall: ratio(matrix.tp.pounds, matrix.tp.pounds + matrix.fn.pounds)
    }
  };
}

export function variant(description: string, items: Scored[], predicted: (c: Classification) => boolean): Variant {
  return {description, ...confusion(items, predicted)};
}

const sortDesc = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));

export function score(info: SetInfo, items: Scored[], top: number): SetReport {
  const {matrix, by_supplier, by_pounds} = confusion(items, isVcse);
  const positivesByBasis: Record<string, number> = {};
  const bySector: Record<string, number> = {};
  const fpByRule: Record<string, number> = {};
  const fpByKind: Record<string, number> = {};
  const fnPounds: Record<string, number> = {};
  for (const item of items) {
    const vcse = isVcse(item.predicted);
    const p = Math.max(0, item.pounds);
    if (item.label) {
      positivesByBasis[item.predicted.basis] = (positivesByBasis[item.predicted.basis] ?? 0) + 1;
      bySector[sectorOf(item.predicted)] = (bySector[sectorOf(item.predicted)] ?? 0) + p;
    }
    if (item.label && !vcse) {
      const said = `${item.predicted.sector}:${ruleOf(item.predicted)}`;
      fnPounds[said] = (fnPounds[said] ?? 0) + p;
    }
    if (!item.label && vcse) {
      const rule = `${item.predicted.basis}:${item.predicted.basis === "name_rule" ? item.predicted.matched_id : item.predicted.kind}`;
      fpByRule[rule] = (fpByRule[rule] ?? 0) + 1;
      fpByKind[sectorOf(item.predicted)] = (fpByKind[sectorOf(item.predicted)] ?? 0) + p;
    }
  }
  const explain = (i: Scored): Explained => ({
    name: i.name,
    key: i.key,
    pounds: Math.round(i.pounds),
    rows: i.rows,
    labelled_rows: i.labelledRows,
    sector: i.predicted.sector,
    kind: i.predicted.kind,
    basis: i.predicted.basis,
    rule: i.predicted.matched_id,
    confidence: i.predicted.confidence
  });
  const largest = (wanted: (i: Scored) => boolean) =>
    items
      .filter(wanted)
      .sort((a, b) => b.pounds - a.pounds)
      .slice(0, top)
      .map(explain);
  const hasNegatives = matrix.fp.suppliers + matrix.tn.suppliers > 0;
  const report: SetReport = {
    ...info,
    suppliers: items.length,
    positives: items.filter((i) => i.label).length,
    matrix,
    by_supplier,
    by_pounds,
    has_negatives: hasNegatives,
    positives_by_basis: positivesByBasis,
    positive_pounds_by_sector: sortDesc(bySector),
    false_positives_by_rule: Object.fromEntries(Object.entries(fpByRule).sort((a, b) => b[1] - a[1])),
    false_positive_pounds_by_kind: sortDesc(fpByKind),
    false_negative_pounds_by_prediction: sortDesc(fnPounds)
  };
  // Only development sets name suppliers: every other set holds held-out suppliers too.
  if (info.split === "dev") {
    report.top_false_negatives = largest((i) => i.label && !isVcse(i.predicted));
    report.top_false_positives = largest((i) => !i.label && isVcse(i.predicted));
  }
  return report;
}
