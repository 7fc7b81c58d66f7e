import type {CsvRecord} from "../read/parse-csv.ts";
import type {Table} from "../read/read-file.ts";
import {findHeader} from "./find-header.ts";
import {normaliseHeader} from "./header-names.ts";
import {describeMap, mapColumns, type ColumnMap} from "./map-columns.ts";
import {inferLayout, namesAField, refusalReason, type InferOptions} from "./infer-layout.ts";
import {parseAmount} from "./parse-amount.ts";
import {detectDateOrder, parseDate, type DateOrder} from "./parse-date.ts";
import {guessPeriodFormat, parseDateOrMonth, inPeriod, parsePeriod, periodOfYear, type Period, type PeriodFormat} from "./parse-period.ts";
import {financialYear} from "./financial-year.ts";
import {NOT_PUBLISHED, publishedSupplier} from "./supplier-name.ts";
import {asPublished} from "./as-published.ts";
import {Ledger} from "./ledger.ts";
import type {Classification, Field, Payment, RejectReason, Reject, RowKind} from "../types.ts";

/** Named mends for a publisher's known breakage, switched on per layout in its manifest. */
export type Repair = "date_amount_merged" | "thousands_split";

export type UnclassifiedPayment = Omit<Payment, keyof Classification | "supplier_key">;

export interface ConformOptions {
  council: {code: string; name: string};
  sha256: string;
  columns: Partial<Record<Field, string[]>>;
  headerless_columns?: string[];
  period_format?: PeriodFormat;
  row_kind?: RowKind;
  repairs?: Repair[];
  /** The period the file covers, when known: dates missing or mistyped fall back to it. */
  period?: Period | null;
  /** Latest date a payment can plausibly carry (ISO); later ones are typos. */
  latest?: string;
  /** Set when the table only summarises other tables of its file: its rows are rejected with this detail. */
  summary?: string;
  /** Infer the columns from header words and cells (a file no manifest describes) instead of `columns`' names. */
  infer?: InferOptions;
}

export interface Conformed {
  payments: UnclassifiedPayment[];
  rejects: Reject[];
  /** The column names used, so that a sibling file published without a header can borrow them. */
  header: string[];
}

export class LayoutError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

const EARLIEST = "2000-01-01";
export const NO_HEADER = "no header row found and the layout gives no headerless_columns";
export {NOT_PUBLISHED};
const SAMPLE = 200;
/** Months either side of a file's period in which a date is still plausible for it. */
const PERIOD_SLACK = 12;
/** Months either side of a file's period in which most of its dates must fall for the period to be the file's. */
const OWN_SLACK = 3;
/** Dates read, spread over the table, to tell whether they agree with the file's period. */
const DATE_CHECKS = 2000;
/** Reject details quote the cell; a runaway cell is cut to this many characters (the raw record keeps it all). */
const MAX_DETAIL = 200;
const TOTAL_LABEL = /^(?:grand[\s-]*|sub[\s-]*)?totals?\s*:?$/i;

/**
 * Turns one table's records into canonical payments and rejects, recording every row in the ledger.
 * With `rows`, the layout still comes from the table's records (its head suffices) but only those rows are
 * conformed, with the date order found over the whole table: the SQL fast path hands over the rows it leaves.
 */
export function conform(table: Table, options: ConformOptions, ledger: Ledger, rows?: ConformRows): Conformed {
  const {records, entry: file} = table;
  const {found, headerless, header, start, map, dated, rowKind, latest, inferred} = conformPlan(table, options);
  if (!options.summary) ledger.describe(file, {layout: describeMap(header, map), ...(inferred ? {layout_inference: inferred.fields} : {}), header_row: headerless ? null : records[found!.index]!.line, preamble_lines: start - (headerless ? 0 : 1)});

  const order: DateOrder = rows?.dateOrder ?? (map.payment_date === undefined ? "dmy" : detectDateOrder(column(records, start, map.payment_date)));
  const out: Conformed = {payments: [], rejects: [], header};
  const reject = (record: CsvRecord, reason: RejectReason, detail: string, amount: number | null) => {
    out.rejects.push(rejectOf(file, options, record, reason, detail, amount));
    ledger.reject(file, reason, amount);
  };

  const cell = (cells: string[], f: Field) => (map[f] === undefined ? "" : (cells[map[f]!] ?? "").trim());
  const needed = Math.max(map.amount, map.supplier_name);
  const repair = options.repairs?.includes("date_amount_merged") && map.payment_date !== undefined ? splitDateAmount(map.payment_date, header.length) : null;
  const thousands = options.repairs?.includes("thousands_split") ? splitThousands(map.amount, header.length) : null;
  const body = rows ? rows.records : records;
  for (let i = rows ? 0 : start; i < body.length; i++) {
    const record = body[i]!;
    let cells = record.cells;
    if (isBlank(cells)) {
      ledger.blank(file);
      continue;
    }
    if (repair && cells.length < header.length) {
      const mended = repair(cells);
      if (mended) {
        cells = mended;
        ledger.repaired(file);
      }
    }
    if (thousands && cells.length > header.length) {
      const mended = thousands(cells);
      if (mended) {
        cells = mended;
        ledger.repaired(file, "thousands_split");
      }
    }
    const amount = parseAmount(cell(cells, "amount"));
    const pence = amount.ok ? amount.pence : null;
    if (!amount.ok && isHeaderAgain(cells, header)) {
      reject(record, "not_data", "the header line again, inside the data", null);
      continue;
    }
    if (cells.length <= needed) {
      reject(record, "short_row", `${cells.length} cells, the layout needs ${needed + 1}`, pence);
      continue;
    }
    if (!amount.ok) {
      reject(record, amount.reason, amount.detail, null);
      continue;
    }
    if (options.summary) {
      reject(record, "not_data", options.summary, pence);
      continue;
    }
    if (isTotalsRow(cells, map)) {
      reject(record, "not_data", "a totals row, not a payment", pence);
      continue;
    }
    const when = dateOf(cell(cells, "payment_date"), cell(cells, "period"), map, order, dated, latest);
    if (!when.ok) {
      reject(record, when.reason, when.detail, pence);
      continue;
    }
    if (when.fromPeriod) ledger.dateFromPeriod(file);
    const supplier = publishedSupplier(cell(cells, "supplier_name"));
    const year = financialYear(when.date);
    out.payments.push({
      council_code: options.council.code,
      council_name: options.council.name,
      source_file: file,
      source_sha256: options.sha256,
      source_row: record.line,
      payment_date: when.date,
      date_precision: when.precision,
      financial_year: year,
      amount_pence: amount.pence,
      supplier_name: supplier.name,
      ...asPublished((f) => cell(cells, f)),
      redacted: supplier.redacted,
      row_kind: rowKind
    });
    if (amount.repair) ledger.repaired(file, amount.repair);
    ledger.keep(file, amount.pence, year);
  }
  return out;
}

/** Rows of a table to conform on their own (see conform). */
export interface ConformRows {
  records: CsvRecord[];
  dateOrder: DateOrder;
}

export type ConformPlan = ReturnType<typeof conformPlan>;

/** Everything conform decides about a table before its rows: header, columns, period format, row kind, latest date. */
export function conformPlan(table: Table, options: ConformOptions) {
  const {found, headerless, header, start, sample, map, inferred} = tableLayout(table, options);
  if (map.payment_date === undefined && map.period === undefined && !options.period && !options.summary) {
    throw missing(table.entry, "payment_date", header, options.columns);
  }
  const periodFormat = options.period_format ?? (map.period === undefined ? "month" : guessPeriodFormat(sample.map((c) => c[map.period!] ?? ""), options.period));
  const dated = {...options, period_format: periodFormat, period: datesDecide(table.records, start, map.payment_date, options.period)};
  // A table of only suppliers and amounts, with no date or reference, is a table of totals (Lambeth 2011).
  const undated = map.payment_date === undefined && map.period === undefined && map.transaction_ref === undefined;
  const rowKind: RowKind = options.row_kind ?? (undated ? "supplier_total" : "transaction");
  const latest = options.latest ?? new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10);
  return {found, headerless, header, start, map, dated, rowKind, latest, inferred};
}

/** Where a table's header is and which column holds which field; throws a LayoutError naming what is missing. */
function tableLayout(table: Table, options: ConformOptions) {
  const {records, entry: file} = table;
  const found = findHeader(records) ?? (options.infer ? findHeader(records, namesAField) : null);
  const headerless = !found || (options.headerless_columns && looksLikeData(records[found.index]!));
  const header = headerless ? options.headerless_columns : found!.names;
  if (!header) throw new LayoutError(file, NO_HEADER);
  const start = headerless ? 0 : found!.index + 1;
  const sample = records.slice(start, start + SAMPLE).map((r) => r.cells);
  const inferred = options.infer ? inferLayout(header, sample, options.infer) : null;
  const map = inferred?.map ?? mapColumns(header, options.columns, sample);
  const {amount, supplier_name} = map;
  if (amount === undefined) throw inferred ? new LayoutError(file, refusalReason("amount", inferred, header)) : missing(file, "amount", header, options.columns);
  if (supplier_name === undefined) throw inferred ? new LayoutError(file, refusalReason("supplier_name", inferred, header)) : missing(file, "supplier_name", header, options.columns);
  return {found, headerless, header, start, sample, map: {...map, amount, supplier_name}, inferred};
}

/**
 * What one table of a file with several (sheets, ZIP entries) holds: payments, supplier totals (no date,
 * period or reference column), notes (no header row and no row that looks like a payment), or "unknown"
 * when conform would refuse it.
 */
export function tableShape(table: Table, options: ConformOptions): "transactions" | "supplier_totals" | "notes" | "unknown" {
  try {
    const {map} = tableLayout(table, options);
    return map.payment_date === undefined && map.period === undefined && map.transaction_ref === undefined ? "supplier_totals" : "transactions";
  } catch (e) {
    const noHeader = e instanceof LayoutError && e.reason === NO_HEADER;
    return noHeader && !table.records.some(looksLikeData) ? "notes" : "unknown";
  }
}

/** Rejects every non-blank record of a table that holds no payments (a notes sheet), so that its rows are still counted. */
export function rejectTable(table: Table, options: ConformOptions, ledger: Ledger, detail: string): Reject[] {
  const rejects: Reject[] = [];
  for (const record of table.records) {
    if (isBlank(record.cells)) {
      ledger.blank(table.entry);
      continue;
    }
    rejects.push(rejectOf(table.entry, options, record, "not_data", detail, null));
    ledger.reject(table.entry, "not_data", null);
  }
  return rejects;
}

function rejectOf(file: string, options: ConformOptions, record: CsvRecord, reason: RejectReason, detail: string, amount: number | null): Reject {
  return {
    council_code: options.council.code, source_file: file, source_sha256: options.sha256, source_row: record.line, reason,
    detail: detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail, raw: record.raw, amount_pence: amount
  };
}

/**
 * A publisher's totals line: "Total" (or "Grand total", "Sub-total") where a date or supplier would be, or an
 * amount with nothing but numbers beside it. With the file's period as a fallback date, it would count twice.
 */
function isTotalsRow(cells: string[], map: ColumnMap): boolean {
  const text = (i: number | undefined) => (i === undefined ? "" : (cells[i] ?? "").trim());
  if ([0, map.payment_date, map.supplier_name].some((i) => i !== undefined && TOTAL_LABEL.test(text(i)))) return true;
  const undated = text(map.payment_date) === "" && text(map.period) === "";
  return undated && text(map.supplier_name) === "" && cells.every((c, i) => i === map.amount || c.trim() === "" || parseAmount(c).ok);
}

export type When =
  | {ok: true; date: string; precision: Payment["date_precision"]; fromPeriod: boolean}
  | {ok: false; reason: "missing_date" | "bad_date"; detail: string};

/**
 * The payment's date. A missing date ("00:00:00"), or a typo year far outside the file's period, falls back
 * to the period with its coarser precision; with no period known, the row is rejected.
 */
export function dateOf(dateText: string, periodText: string, map: ColumnMap, order: DateOrder, options: ConformOptions, latest: string): When {
  const period = options.period;
  const fallback = (reason: "missing_date" | "bad_date", detail: string): When =>
    period ? {ok: true, date: period.start, precision: period.precision, fromPeriod: true} : {ok: false, reason, detail};
  if (map.payment_date !== undefined) {
    const parsed = parseDateOrMonth(dateText, order);
    if (!parsed.ok) return parsed.reason === "missing_date" ? fallback(parsed.reason, parsed.detail) : parsed;
    const implausible = parsed.date < EARLIEST || parsed.date > latest || (period && !inPeriod(parsed.date, period, PERIOD_SLACK));
    if (implausible) return fallback("bad_date", `implausible date ${parsed.date}`);
    return {...parsed, fromPeriod: false};
  }
  if (map.period !== undefined) {
    const p = parsePeriod(periodText, options.period_format) ?? periodOfYear(periodText, period, options.period_format);
    if (!p) return {ok: false, reason: "bad_date", detail: `not a period: ${JSON.stringify(periodText)}`};
    return {ok: true, date: p.start, precision: p.precision, fromPeriod: false};
  }
  return fallback("missing_date", "no date column");
}

/**
 * The period a file's name or manifest gives, unless its own dates say otherwise: when most dates fall more than
 * a quarter outside it (a consolidated history named for one month or year), the dates decide and the period is
 * no fallback.
 */
function datesDecide(records: CsvRecord[], start: number, dateIndex: number | undefined, period: Period | null | undefined): Period | null | undefined {
  if (!period || dateIndex === undefined) return period;
  const step = Math.max(1, Math.floor((records.length - start) / DATE_CHECKS));
  const values: string[] = [];
  for (let i = start; i < records.length; i += step) values.push((records[i]!.cells[dateIndex] ?? "").trim());
  const order = detectDateOrder(values);
  const dates = values.map((v) => parseDate(v, order)).filter((d) => d.ok);
  const inside = dates.filter((d) => inPeriod(d.date, period, OWN_SLACK)).length;
  return dates.length > 0 && inside < dates.length / 2 ? null : period;
}

function column(records: CsvRecord[], start: number, index: number): string[] {
  const values: string[] = [];
  for (let i = start; i < records.length; i++) values.push(records[i]!.cells[index] ?? "");
  return values;
}

/** The most common number of cells in a record: a table's width. */
export function modalWidth(records: CsvRecord[]): number {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function isHeaderAgain(cells: string[], header: string[]): boolean {
  const names = new Set(header.map(normaliseHeader).filter(Boolean));
  return cells.filter((c) => names.has(normaliseHeader(c))).length >= 2;
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== "") return false;
  return true;
}

/**
 * Lambeth's June 2012 file lost the comma between some dates and amounts ("18/06/2012818.9"): a row one
 * cell short whose date cell is a four-digit-year date run into a number is split back into two cells.
 */
function splitDateAmount(dateIndex: number, width: number): (cells: string[]) => string[] | null {
  return (cells) => {
    const m = /^(\d{1,2}\/\d{1,2}\/\d{4})(-?\d[\d,]*(?:\.\d+)?)$/.exec((cells[dateIndex] ?? "").trim());
    if (!m || cells.length !== width - 1) return null;
    return [...cells.slice(0, dateIndex), m[1]!, m[2]!, ...cells.slice(dateIndex + 1)];
  };
}

/**
 * An amount written with thousands separators but not quoted ("1,234.56" in a comma-separated file) splits into
 * cells: a row wider than its header whose amount cell and the cells after it read as one grouped number is
 * joined back. A wider row that does not is left as it is (and read as it stands).
 */
function splitThousands(amountIndex: number, width: number): (cells: string[]) => string[] | null {
  return (cells) => {
    const extra = cells.length - width;
    const run = cells.slice(amountIndex, amountIndex + extra + 1).map((c) => c.trim());
    if (run.length !== extra + 1 || !/^\(?-?£?\d{1,3}$/.test(run[0]!)) return null;
    if (!run.slice(1, -1).every((c) => /^\d{3}$/.test(c)) || !/^\d{3}(?:\.\d{1,2})?\)?-?$/.test(run.at(-1)!)) return null;
    return [...cells.slice(0, amountIndex), run.join(","), ...cells.slice(amountIndex + extra + 1)];
  };
}

function looksLikeData(record: CsvRecord): boolean {
  return record.cells.some((c) => parseDate(c).ok) && record.cells.some((c) => /\d\.\d\d$/.test(c.trim()));
}

function missing(file: string, field: Field, header: string[], columns: Partial<Record<Field, string[]>>): LayoutError {
  const names = columns[field] ?? [];
  const wanted = names.map((n) => JSON.stringify(n)).join(", ");
  // A header the names know whose values did not read as the field: say so, rather than that it was not found.
  const named = header.filter((h) => names.some((n) => normaliseHeader(n) === normaliseHeader(h)));
  const refused = named.length ? `; ${named.map((h) => JSON.stringify(h)).join(", ")} ${named.length > 1 ? "have" : "has"} a name for it but values that do not read as ${field}` : "";
  return new LayoutError(file, `no column for ${field} (looked for ${wanted || "nothing"})${refused}; header has ${header.map((h) => JSON.stringify(h)).join(", ")}`);
}
