/** The canonical payment row, shared by the pipeline, the compacted data, the pages and the tests. */

export type DatePrecision = "day" | "month" | "quarter" | "year";

export type Sector = "vcse" | "public" | "housing_association" | "private" | "individual" | "unknown";

export type VcseKind =
  | "charity"
  | "cic"
  | "community_group"
  | "faith_group"
  | "mutual"
  | "sports_club"
  | "other_non_profit";

/** What a classification rests on, strongest first. */
export const BASES = [
  "override",
  "council_flag",
  "registry_id",
  "registry_name",
  "registry_name_prefix",
  "name_rule",
  // Most of the supplier's pounds in one council are under lines its coding says went to one sector (council-coding.ts).
  "council_coding",
  "none"
] as const;
export type Basis = (typeof BASES)[number];

export type RowKind = "transaction" | "supplier_total";

export interface Classification {
  sector: Sector;
  kind: VcseKind | null;
  basis: Basis;
  /** 0..1; identifiers score higher than name rules. */
  confidence: number;
  /** The identifier the basis matched, e.g. "GB-CHC-1234567", or the rule name. */
  matched_id: string | null;
}

export interface Payment extends Classification {
  council_code: string;
  council_name: string;
  /** Path of the source file relative to the data folder (or as given on the command line). */
  source_file: string;
  source_sha256: string;
  /** 1-based record number in the source file, counting every line the reader saw (header included). */
  source_row: number;
  /** ISO yyyy-mm-dd; the first day of the month or quarter when precision is coarser than a day. */
  payment_date: string;
  date_precision: DatePrecision;
  /** "2019-20": 1 April 2019 to 31 March 2020. */
  financial_year: string;
  /** Pounds in pence, as published: negative is a credit note. Integer, so sums are exact. */
  amount_pence: number;
  supplier_name: string;
  supplier_key: string;
  supplier_id: string | null;
  charity_number: string | null;
  company_number: string | null;
  service: string | null;
  expense_type: string | null;
  purpose: string | null;
  transaction_ref: string | null;
  /** The council's own label for the supplier (e.g. a "VCSE Grant" or beneficiary type column). */
  council_flag: string | null;
  redacted: boolean;
  row_kind: RowKind;
}

/** A row that could not become a payment, with everything needed to find it again. */
export interface Reject {
  council_code: string;
  source_file: string;
  source_sha256: string;
  source_row: number;
  reason: RejectReason;
  detail: string;
  raw: string;
  /** The amount, if it could be parsed, so that sums reconcile. */
  amount_pence: number | null;
}

export type RejectReason =
  | "missing_amount"
  | "bad_amount"
  | "missing_date"
  | "bad_date"
  | "missing_supplier"
  | "short_row"
  | "not_data";

/** Canonical fields a layout can map a source column to. */
export const FIELDS = [
  "payment_date",
  "period",
  "amount",
  "supplier_name",
  "supplier_id",
  "charity_number",
  "company_number",
  "service",
  "expense_type",
  "purpose",
  "transaction_ref",
  "council_flag"
] as const;

export type Field = (typeof FIELDS)[number];

/** One council's figures for one financial year as the overview, Compare and the embeds read them (pounds, cash). */
export interface CouncilYearFigures {
  council_code: string;
  short_name: string;
  financial_year: string;
  vcse: number;
  /** vcse in base-year prices, or null when the year has no deflator. */
  vcse_real: number | null;
  total: number;
  recipients: number;
  /** Months of the year covered by the council's files (0..12). */
  months: number;
}
