/**
 * The Recipients page's words and table: the search status, one organisation's summary and evidence, and its
 * payments as one row per council with a column per financial year (for table-view.js's dataTable).
 */
import {evidenceText} from "./evidence.js";
import {formatCount, formatPounds} from "./format.js";

/** An organisation as the search lists it. */
export interface Organisation {
  key: string;
  name: string;
  sector: string;
  kind: string | null;
  basis: string | null;
  matched_id: string | null;
}

/** One council x financial year of an organisation's payments. */
export interface PaymentYear {
  council_code: string;
  council_name: string;
  financial_year: string;
  amount: number;
  payments: number;
  months: number;
}

export const SECTORS: Record<string, string> = {vcse: "VCSE", housing_association: "Housing association", public: "Public body"};

export function sectorName(sector: string): string {
  return SECTORS[sector] ?? sector;
}

/** At most this many matches are listed (the search's LIMIT). */
export const MATCH_LIMIT = 50;

export function searchStatus(query: string, matches: number, ms: number): string {
  if (matches === 0) return `No organisation’s name contains “${query}”.`;
  if (!query.trim()) return `The ${MATCH_LIMIT} organisations paid most in this data. Type to search.`;
  return `${matches === MATCH_LIMIT ? `The first ${MATCH_LIMIT}` : formatCount(matches)} ${matches === 1 ? "organisation" : "organisations"} matching “${query}” (answered in ${Math.round(ms)} ms).`;
}

/** "VCSE (charity). Paid £1.2m (cash) by 3 councils between 2015-16 and 2023-24, in the councils’ published files." */
export function recipientSummary(org: Organisation, rows: PaymentYear[], years: string[]): string {
  const councils = [...new Set(rows.map((d) => d.council_name))];
  const total = rows.reduce((s, d) => s + d.amount, 0);
  return `${sectorName(org.sector)}${org.kind ? ` (${org.kind.replaceAll("_", " ")})` : ""}. Paid ${formatPounds(total)} (cash) by ${councils.length === 1 ? councils[0] : `${councils.length} councils`} between ${years[0]} and ${years.at(-1)}, in the councils’ published files.`;
}

/** What the classification rests on; a key held for one council alone (" @") says so. */
export function recipientEvidence(org: Organisation): string {
  const alone = org.key.includes(" @") ? " No register names it, so it is shown for this council alone: other councils’ payees of the same name may be other organisations." : "";
  return `Classified by: ${evidenceText(org.basis, org.matched_id)}.${alone}`;
}

export interface CouncilPayments {
  council: string;
  council_code: string;
  byYear: Map<string, PaymentYear>;
  total: number;
}

/** One row per council, in the order the rows come (by council name). */
export function councilPayments(rows: PaymentYear[]): CouncilPayments[] {
  const out = new Map<string, CouncilPayments>();
  for (const d of rows) {
    let c = out.get(d.council_name);
    if (!c) out.set(d.council_name, (c = {council: d.council_name, council_code: d.council_code, byYear: new Map(), total: 0}));
    c.byYear.set(d.financial_year, d);
    c.total += d.amount;
  }
  return [...out.values()];
}

/** A year's cell: the amount, starred when the council's data that year cover fewer than 12 months; "–" for none. */
export function yearCellText(d: PaymentYear | undefined): string {
  return d ? `${formatPounds(d.amount)}${d.months < 12 ? "*" : ""}` : "–";
}

export function yearCellTitle(d: PaymentYear | undefined): string | null {
  return d ? `${formatCount(d.payments)} payments; ${d.months} of 12 months of ${d.council_name}’s data` : null;
}

export function hasPartYear(rows: PaymentYear[]): boolean {
  return rows.some((d) => d.months < 12);
}

export function tableNote(rows: PaymentYear[]): string {
  return `– no payment that year in the council’s published files${hasPartYear(rows) ? "; * fewer than 12 months of that council’s data that year, so the amount covers part of the year" : ""}.`;
}

interface Column {
  key: string;
  label: string;
  numeric: boolean;
  value?: (row: CouncilPayments) => unknown;
  format: (value: never, row: CouncilPayments) => string | Node;
  title?: (value: never, row: CouncilPayments) => string | null;
}

/** The table's columns: the council (a link to its page), each year in `years`, and the total. */
export function recipientColumns(years: string[]): Column[] {
  const link = (name: string, row: CouncilPayments) => {
    const a = document.createElement("a");
    a.href = `./council/${row.council_code}`;
    a.textContent = name;
    return a;
  };
  return [
    {key: "council", label: "Council", numeric: false, format: link},
    ...years.map((fy) => ({
      key: fy,
      label: fy,
      numeric: true,
      value: (row: CouncilPayments) => row.byYear.get(fy),
      format: yearCellText,
      title: yearCellTitle
    })),
    {key: "total", label: "Total", numeric: true, format: formatPounds}
  ];
}

/** The download's file name: "recipient-" and the key in lower-case letters, digits and hyphens. */
export function recipientFilename(key: string): string {
  return `recipient-${key.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60)}`;
}
