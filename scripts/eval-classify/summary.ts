import type {Rates, SetReport, Split} from "./types.ts";

export const TARGET = {precision: 0.9, recall: 0.8};

export interface SummaryRow {
  set: string;
  split: Split;
  what: string;
  suppliers: number;
  positives: number;
  precision: number | null;
  recall: number | null;
  precision_met: boolean | null;
  recall_met: boolean | null;
  /** Informational rows (a variant, or a set that is not a target) carry no target verdicts. */
  target: boolean;
}

const FAMILY_TITLE: Record<string, string> = {
  wakefield: "Wakefield, charity-number label",
  trafford_grants: "Trafford 360Giving grant recipients",
  trafford_grants_gb_chc: "Trafford grant recipients with GB-CHC ids",
  trafford_spend: "Trafford spend, suppliers matching grant recipients",
  north_tyneside_voluntary_associations: "North Tyneside 'Voluntary Associations' code"
};

export function summarise(sets: SetReport[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const s of sets) {
    const target = s.family !== "north_tyneside_voluntary_associations" && s.split !== "dev";
    const what = `${FAMILY_TITLE[s.family] ?? s.family}, ${{all: "all", dev: "development", heldout: "held-out"}[s.split]}`;
    const row = (label: string, suppliers: number, positives: number, r: Rates, isTarget: boolean): SummaryRow => ({
      set: s.name,
      split: s.split,
      what: label,
      suppliers,
      positives,
      precision: r.precision,
      recall: r.recall,
      precision_met: isTarget && r.precision !== null ? r.precision >= TARGET.precision : null,
      recall_met: isTarget && r.recall !== null ? r.recall >= TARGET.recall : null,
      target: isTarget
    });
    rows.push(row(what, s.suppliers, s.positives, s.by_pounds, target));
    const charity = s.variants?.predicted_kind_charity;
    if (charity) {
      const restricted = row(`${what}: precision of predictions of kind charity only`, s.suppliers, s.positives, {precision: charity.by_pounds.precision, recall: null}, false);
      // Informational: the label cannot judge CICs, churches, clubs and groups, so this is not the target's measure.
      restricted.precision_met = charity.by_pounds.precision === null ? null : charity.by_pounds.precision >= TARGET.precision;
      rows.push(restricted);
    }
    const judgeable = s.variants?.label_can_judge;
    if (judgeable) {
      const restricted = row(`${what}: leaving out CICs, co-operatives, sports clubs and charities' trading companies`, judgeable.suppliers, judgeable.matrix.tp.suppliers + judgeable.matrix.fn.suppliers, judgeable.by_pounds, false);
      restricted.precision_met = judgeable.by_pounds.precision === null ? null : judgeable.by_pounds.precision >= TARGET.precision;
      restricted.recall_met = judgeable.by_pounds.recall === null ? null : judgeable.by_pounds.recall >= TARGET.recall;
      rows.push(restricted);
    }
    const informational: [string, string][] = [
      ["with_council_coding", "with the council's coding of the payments"],
      ["unseen_in_dev", "suppliers unseen in development"],
      ["unseen_in_dev_with_council_coding", "suppliers unseen in development, with the council's coding"]
    ];
    for (const [name, label] of informational) {
      const v = s.variants?.[name];
      if (v) rows.push(row(`${what}: ${label}`, v.suppliers, v.matrix.tp.suppliers + v.matrix.fn.suppliers, v.by_pounds, false));
    }
  }
  return rows;
}
