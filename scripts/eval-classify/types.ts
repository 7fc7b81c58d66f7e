import type {Classification} from "../../pipeline/types.ts";

/** Which part of a time split a set is. */
export type Split = "all" | "dev" | "heldout";

export interface Supplier {
  key: string;
  /** Spellings seen, with how many rows each. */
  spellings: Map<string, number>;
  rows: number;
  labelledRows: number;
  pounds: number;
  /** Each row's coding texts (expense type, purpose, service) and pounds: the council-coding evidence. */
  coded: {texts: string[]; pounds: number}[];
}

export interface Cell {
  suppliers: number;
  pounds: number;
}

export interface Matrix {
  tp: Cell;
  fp: Cell;
  fn: Cell;
  tn: Cell;
}

export interface Scored {
  key: string;
  name: string;
  pounds: number;
  rows: number;
  labelledRows: number;
  label: boolean;
  predicted: Classification;
}

export interface Rates {
  precision: number | null;
  recall: number | null;
}

export interface Variant {
  description: string;
  suppliers: number;
  matrix: Matrix;
  by_supplier: Rates;
  by_pounds: Rates;
}

export interface Explained {
  name: string;
  key: string;
  pounds: number;
  rows: number;
  labelled_rows: number;
  sector: string;
  kind: string | null;
  basis: string;
  rule: string | null;
  confidence: number;
}

export interface SetReport {
  name: string;
  /** The labelled source the set belongs to, shared by its splits. */
  family: string;
  split: Split;
  description: string;
  label: string;
  suppliers: number;
  positives: number;
  matrix: Matrix;
  by_supplier: Rates;
  by_pounds: Rates;
  /** Whether precision can be measured at all (false when the set has no negatives). */
  has_negatives: boolean;
  variants?: Record<string, Variant>;
  positives_by_basis: Record<string, number>;
  /** Pounds of the label's positives by the sector (and, for VCSE, kind) the classifier assigned them. */
  positive_pounds_by_sector: Record<string, number>;
  /** Pounds of the label's negatives predicted VCSE, by the kind predicted: what the label cannot see (CICs, churches, clubs). */
  false_positive_pounds_by_kind: Record<string, number>;
  false_positives_by_rule: Record<string, number>;
  /** Pounds of positives the classifier missed, by what it said instead. */
  false_negative_pounds_by_prediction: Record<string, number>;
  /** Absent for held-out sets: their suppliers are not listed. */
  top_false_negatives?: Explained[];
  top_false_positives?: Explained[];
  notes: string[];
}


export interface SetInfo {
  name: string;
  family: string;
  split: Split;
  description: string;
  label: string;
  notes: string[];
}

export interface LabelledRow {
  file: string;
  name: string;
  amount: number;
  labelled: boolean;
  /** The row's coding texts: what the council says the payment was for. */
  texts: string[];
}
