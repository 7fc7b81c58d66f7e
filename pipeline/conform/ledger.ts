import type {FieldChoice} from "./infer-layout.ts";
import {formatPence} from "./parse-amount.ts";
import type {Field, RejectReason} from "../types.ts";

/** The reconciliation of one source file (or of a council, or of everything): nothing disappears. */
export interface Reconciliation {
  rows_in: number;
  kept: number;
  rejected: number;
  rejected_by_reason: Partial<Record<RejectReason, number>>;
  /** Pounds as exact decimal strings. amount_in is every amount that could be parsed. */
  amount_in: string;
  amount_kept: string;
  amount_rejected: string;
  financial_years: string[];
  /** Rows mended, by repair name. */
  repairs?: Record<string, number>;
}

/** What reading one file found, beside its counts: where it came from and how it was read. */
interface FileFacts {
  council: string;
  sha256: string;
  layout: Record<string, Field>;
  /** For an inferred layout: per field, the column chosen, its score (0 to 1) and why. */
  layout_inference?: Partial<Record<Field, FieldChoice>>;
  encoding?: string;
  header_row?: number | null;
  preamble_lines: number;
  blank_lines: number;
  dates_from_period: number;
  repaired: number;
  /** Rows mended, by repair name ("date_amount_merged", "float_rounded"); a row mended twice counts under each. */
  repairs: Record<string, number>;
  error?: string;
}

export interface FileReport extends Reconciliation, FileFacts {
  file: string;
  repairs: Record<string, number>;
  duplicates?: number;
  amount_duplicates?: string;
  /** The council published new bytes for this file: what it held before (see pipeline/store/republished.ts). */
  republished?: Republished;
  /** Its inferred columns differ from the council's file before it. */
  layout_changed?: LayoutChange;
}

/** A file read again because the council published new bytes at the same place: what it held before, and the change. */
export interface Republished {
  previous_sha256: string;
  previous_rows_in: number;
  previous_kept: number;
  previous_amount_kept: string;
  /** Kept rows now minus kept rows before. */
  rows_change: number;
  /** Pounds kept now minus pounds kept before, as an exact decimal string. */
  amount_change: string;
}

/** A file whose columns, inferred from its header, are not those of the council's file before it. */
export interface LayoutChange {
  previous_file: string;
  /** Source column -> field, in the file before and in this one. */
  before: Record<string, string>;
  after: Record<string, string>;
}

interface Tally extends FileFacts {
  kept: number;
  rejected: Partial<Record<RejectReason, number>>;
  keptPence: number;
  rejectedPence: number;
  years: Set<string>;
}

/** Counts every row of every file as kept or rejected, with amounts in integer pence. */
export class Ledger {
  private files = new Map<string, Tally>();

  open(file: string, council: string, sha256: string): void {
    this.files.set(file, {
      council, sha256, layout: {}, preamble_lines: 0, blank_lines: 0, dates_from_period: 0, repaired: 0, repairs: {},
      kept: 0, rejected: {}, keptPence: 0, rejectedPence: 0, years: new Set()
    });
  }

  describe(file: string, facts: Partial<Pick<Tally, "layout" | "layout_inference" | "encoding" | "header_row" | "preamble_lines">>): void {
    Object.assign(this.tally(file), facts);
  }

  keep(file: string, pence: number, financialYear: string): void {
    const t = this.tally(file);
    t.kept++;
    t.keptPence += pence;
    t.years.add(financialYear);
  }

  /** Many kept rows at once: their count, their amounts' sum and the financial years among them. */
  keepMany(file: string, rows: number, pence: number, financialYears: Iterable<string>): void {
    const t = this.tally(file);
    t.kept += rows;
    t.keptPence += pence;
    for (const year of financialYears) t.years.add(year);
  }

  dateFromPeriod(file: string, rows = 1): void {
    this.tally(file).dates_from_period += rows;
  }

  reject(file: string, reason: RejectReason, pence: number | null): void {
    const t = this.tally(file);
    t.rejected[reason] = (t.rejected[reason] ?? 0) + 1;
    t.rejectedPence += pence ?? 0;
  }

  blank(file: string): void {
    this.tally(file).blank_lines++;
  }

  /** A row mended by a named repair; `repaired` keeps counting date_amount_merged alone, as it always has. */
  repaired(file: string, repair = "date_amount_merged"): void {
    const t = this.tally(file);
    if (repair === "date_amount_merged") t.repaired++;
    t.repairs[repair] = (t.repairs[repair] ?? 0) + 1;
  }


  fail(file: string, reason: string): void {
    this.tally(file).error = reason;
  }

  reports(): FileReport[] {
    return [...this.files].map(([file, t]) => {
      const rejected = Object.values(t.rejected).reduce((a, b) => a + b, 0);
      return {
        file, council: t.council, sha256: t.sha256,
        rows_in: t.kept + rejected, kept: t.kept, rejected,
        rejected_by_reason: {...t.rejected},
        amount_in: formatPence(t.keptPence + t.rejectedPence),
        amount_kept: formatPence(t.keptPence),
        amount_rejected: formatPence(t.rejectedPence),
        financial_years: [...t.years].sort(),
        layout: t.layout, ...(t.layout_inference ? {layout_inference: t.layout_inference} : {}), encoding: t.encoding, header_row: t.header_row,
        preamble_lines: t.preamble_lines, blank_lines: t.blank_lines, dates_from_period: t.dates_from_period, repaired: t.repaired,
        repairs: {...t.repairs},
        ...(t.error ? {error: t.error} : {})
      };
    });
  }

  private tally(file: string): Tally {
    const t = this.files.get(file);
    if (!t) throw new Error(`ledger: ${file} was not opened`);
    return t;
  }
}

/** Adds reconciliations up exactly (amounts are summed in pence). */
export function sumReconciliations(items: Reconciliation[]): Reconciliation {
  const pence = (s: string) => BigInt(s.replace(".", ""));
  const reasons: Partial<Record<RejectReason, number>> = {};
  const repairs: Record<string, number> = {};
  let [amountIn, kept, rejected] = [0n, 0n, 0n];
  for (const r of items) {
    for (const [k, v] of Object.entries(r.rejected_by_reason) as [RejectReason, number][]) reasons[k] = (reasons[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.repairs ?? {})) repairs[k] = (repairs[k] ?? 0) + v;
    amountIn += pence(r.amount_in);
    kept += pence(r.amount_kept);
    rejected += pence(r.amount_rejected);
  }
  return {
    rows_in: items.reduce((a, r) => a + r.rows_in, 0),
    kept: items.reduce((a, r) => a + r.kept, 0),
    rejected: items.reduce((a, r) => a + r.rejected, 0),
    rejected_by_reason: reasons,
    amount_in: formatPence(amountIn),
    amount_kept: formatPence(kept),
    amount_rejected: formatPence(rejected),
    financial_years: [...new Set(items.flatMap((r) => r.financial_years))].sort(),
    repairs
  };
}
