import {normaliseHeader} from "./header-names.ts";
import {headerTokens} from "./header-tokens.ts";
import type {ColumnMap} from "./map-columns.ts";
import {parseAmount} from "./parse-amount.ts";
import {parseDateOrMonth} from "./parse-period.ts";
import {FIELDS, type Field} from "../types.ts";

export interface FieldChoice {
  column: number;
  header: string;
  /** 0 to 1: header words and cell evidence together. */
  score: number;
  reason: string;
}

export interface InferredLayout {
  map: ColumnMap;
  /** Per column, what its sample cells look like. */
  stats: CellStats[];
  fields: Partial<Record<Field, FieldChoice>>;
  /** Per field, the three best-scoring columns, for messages and `inspect`. */
  candidates: Partial<Record<Field, {header: string; score: number}[]>>;
}

export interface InferOptions {
  /** Field -> header the user names (`--map amount="Invoiced Value"`): assigned first, the rest inferred around it. */
  forced?: Partial<Record<Field, string>>;
}

/**
 * Words that point to a field, with weights. Net beats gross and payment dates beat invoice dates through these
 * weights, so the choice between competing columns is the score's, and the reason says so.
 */
const WORDS: Record<Field, Record<string, number>> = {
  amount: {
    amount: 0.8, amt: 0.8, value: 0.7, val: 0.6, net: 0.9, nett: 0.9, gross: 0.55, invoiced: 0.5, paid: 0.5, total: 0.6,
    sum: 0.5, spend: 0.6, cost: 0.5, gbp: 0.7, sterling: 0.7, line: 0.3, payment: 0.3, expenditure: 0.4, excluding: 0.3
  },
  supplier_name: {
    supplier: 0.8, vendor: 0.8, payee: 0.9, beneficiary: 0.9, creditor: 0.8, merchant: 0.8, recipient: 0.8, name: 0.5,
    entity: 0.4, organisation: 0.5, contractor: 0.7, trader: 0.6, party: 0.4, paid: 0.2, to: 0.1
  },
  payment_date: {
    date: 0.6, dt: 0.5, payment: 0.35, pymt: 0.35, pay: 0.3, paid: 0.35, clearing: 0.3, cleared: 0.3, cheque: 0.25,
    posting: 0.2, posted: 0.2, gl: 0.15, transaction: 0.15, value: 0.1, invoice: -0.15, document: -0.15, due: -0.3, creation: -0.1
  },
  period: {period: 0.8, month: 0.7, mth: 0.7, accounting: 0.2},
  service: {
    directorate: 0.9, department: 0.9, dept: 0.8, service: 0.8, division: 0.7, cost: 0.3, centre: 0.4, center: 0.4,
    unit: 0.5, area: 0.4, portfolio: 0.7, organisational: 0.6, body: 0.2, business: 0.3
  },
  expense_type: {
    expense: 0.9, expenses: 0.9, expenditure: 0.6, account: 0.6, subjective: 0.9, category: 0.6, nominal: 0.7, ledger: 0.6,
    proclass: 0.8, procurement: 0.6, classification: 0.4, gl: 0.6, type: 0.3, description: 0.15, subj: 0.8
  },
  purpose: {purpose: 0.9, description: 0.6, narrative: 0.8, details: 0.6, detail: 0.4, desc: 0.5, text: 0.4, comments: 0.4},
  transaction_ref: {
    transaction: 0.5, trans: 0.5, reference: 0.5, ref: 0.5, document: 0.5, doc: 0.4, voucher: 0.7, invoice: 0.35,
    number: 0.25, no: 0.25, id: 0.2, payment: 0.15
  },
  supplier_id: {supplier: 0.3, vendor: 0.3, creditor: 0.3, payee: 0.3, beneficiary: 0.3, id: 0.4, number: 0.35, no: 0.35, code: 0.4, ref: 0.3, reference: 0.3, account: 0.2},
  charity_number: {charity: 0.8, charities: 0.8, number: 0.15, no: 0.15, registration: 0.1, reg: 0.1},
  company_number: {company: 0.6, companies: 0.6, crn: 0.9, number: 0.15, no: 0.15, registration: 0.2, reg: 0.2},
  council_flag: {vcse: 1, sector: 0.5, type: 0.3, flag: 0.5, voluntary: 0.8, classification: 0.1}
};

/** Words that rule a header out for a field ("VAT Amount" is no amount, "Supplier Number" no supplier name). */
const NOT: Partial<Record<Field, string[]>> = {
  amount: ["vat", "tax", "date", "number", "no", "ref", "reference", "code", "id", "type", "name", "period", "year", "description"],
  supplier_name: ["number", "no", "id", "code", "ref", "reference", "type", "date", "amount", "address", "postcode", "registration", "reg", "vat"],
  payment_date: ["amount", "value", "number", "no", "ref", "name"],
  supplier_id: ["name", "date", "amount", "type", "charity", "company", "vat", "transaction", "invoice"],
  transaction_ref: ["date", "amount", "name", "supplier", "vendor", "creditor"],
  service: ["code", "date", "amount", "supplier"],
  expense_type: ["code", "date", "amount", "supplier"],
  charity_number: ["name", "date"],
  company_number: ["name", "date"],
  // A description of a ledger account, a subjective or a cost centre is that field's text, not the payment's purpose.
  purpose: ["gl", "ledger", "account", "subjective", "subj", "nominal", "expense", "expenses", "expenditure", "category", "type", "cost", "centre", "service", "directorate", "department", "supplier", "vendor", "code", "date", "amount"]
};

const KNOWN_WORDS = new Set([...Object.values(WORDS).flatMap((w) => Object.keys(w)), ...Object.values(NOT).flat()]);
const known = (token: string) => KNOWN_WORDS.has(token);

const ID_FIELDS = new Set<Field>(["supplier_id", "charity_number", "company_number", "transaction_ref"]);
const ORGANISATION = /\b(?:ltd|limited|plc|llp|trust|council|cic|association|services|society|group|company|charity|club|centre|church|foundation|university|school|nhs|partnership|care|homes?|& co)\b/i;
const THRESHOLD = 0.35;
const PAID = new Set(["paid", "cleared", "clearing", "posted", "cheque"]);
/** The fields a payment cannot do without: they choose their columns before the others. */
const REQUIRED = new Set<Field>(["amount", "supplier_name", "payment_date"]);
const INCLUDING = new Set(["inc", "incl", "including", "includes", "inclusive"]);
const EXCLUDING = new Set(["excludes", "excluding", "excl", "ex", "exc", "less", "before"]);
/** When Net and Gross both stand, net wins: a gross header keeps only this share of its word score. */
const GROSS = 0.6;

function headerScore(field: Field, header: string): {score: number; words: string[]} {
  let {tokens} = headerTokens(header, known);
  // "Total (excludes VAT)" is a net amount, not a VAT column.
  if (tokens.some((t) => EXCLUDING.has(t))) tokens = tokens.filter((t) => t !== "vat" && t !== "tax");
  // "Amount inc VAT" is a gross amount, not a VAT column.
  else if (tokens.some((t) => INCLUDING.has(t))) tokens = [...tokens.filter((t) => t !== "vat" && t !== "tax"), "gross"];
  if (tokens.some((t) => NOT[field]?.includes(t))) return {score: 0, words: []};
  const words = tokens.filter((t) => WORDS[field][t] !== undefined);
  const sum = words.reduce((a, t) => a + WORDS[field][t]!, 0);
  if (ID_FIELDS.has(field) && field !== "transaction_ref" && !words.some((w) => WORDS[field][w]! >= 0.6 || ["id", "number", "no", "code", "ref", "reference"].includes(w))) return {score: 0, words};
  // A bare "No" or "Reg No" is any number: a register's number needs the register named.
  if ((field === "charity_number" || field === "company_number") && !words.some((w) => WORDS[field][w]! >= 0.6)) return {score: 0, words};
  if (field === "supplier_id" && !tokens.some((t) => ["supplier", "vendor", "creditor", "payee", "beneficiary"].includes(t))) return {score: 0, words};
  // A date column says so, or says when it was paid ("Paid On", "Cleared"): then its cells must be dates.
  if (field === "payment_date" && !tokens.some((t) => t === "date" || t === "dt" || PAID.has(t))) return {score: 0, words};
  // Saturating: more pointing words raise the score with diminishing returns, so "Net Amount" beats "Gross Amount".
  const score = sum <= 0 ? 0 : 1 - Math.exp(-sum);
  return {score: field === "amount" && tokens.includes("gross") ? GROSS * score : score, words};
}

export interface CellStats {
  filled: number;
  money: number;
  decimals: number;
  dates: number;
  /** Dates written as dates, not plain numbers that could also be Excel serials or amounts. */
  textDates: number;
  letters: number;
  organisations: number;
  distinct: number;
  length: number;
}

function cellStats(values: string[]): CellStats {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  const n = filled.length || 1;
  const share = (test: (s: string) => boolean) => filled.filter(test).length / n;
  return {
    filled: values.length ? filled.length / values.length : NaN,
    money: share((s) => parseAmount(s).ok),
    decimals: share((s) => /\.\d{1,2}\b/.test(s) && parseAmount(s).ok),
    dates: share((s) => parseDateOrMonth(s).ok && !/^\d{1,4}$|\.\d{1,2}$/.test(s)),
    textDates: share((s) => parseDateOrMonth(s).ok && !/^[\d.]+$/.test(s)),
    letters: share((s) => /[a-z]{2}/i.test(s)),
    organisations: share((s) => ORGANISATION.test(s)),
    distinct: new Set(filled).size / n,
    length: filled.reduce((a, s) => a + s.length, 0) / n
  };
}

/** How well a column's cells fit a field, 0 to 1; 0 rules the column out. */
function cellScore(field: Field, c: CellStats): number {
  // A header with no rows under it: the words alone decide.
  if (Number.isNaN(c.filled)) return 0.5;
  if (c.filled === 0) return field === "amount" || field === "supplier_name" || field === "payment_date" ? 0 : 0.3;
  switch (field) {
    case "amount":
      // Mostly money, but bad cells are the reader's to reject with a reason, not a reason to look elsewhere.
      return c.money < 0.3 || c.textDates > 0.5 ? 0 : 0.3 + 0.4 * c.money + 0.3 * c.decimals;
    case "payment_date":
    case "period":
      return field === "payment_date" ? (c.dates < 0.3 ? 0 : 0.4 + 0.6 * c.dates) : 0.6;
    case "supplier_name":
      return c.letters < 0.6 || c.dates > 0.3 ? 0 : Math.min(1, 0.4 + c.organisations + 0.3 * c.distinct);
    case "purpose":
      return c.letters < 0.5 ? 0 : Math.min(1, 0.3 + c.length / 60);
    case "service":
    case "expense_type":
    case "council_flag":
      return c.letters < 0.5 ? 0 : 1 - 0.5 * c.distinct;
    default:
      return c.dates > 0.5 ? 0 : 0.8;
  }
}

/**
 * Infers which column holds which canonical field from the header's words and the sample rows' cells: every
 * (field, column) pair is scored, then the best pairs are taken greedily so that each column serves one field.
 */
export function inferLayout(header: string[], sample: string[][], options: InferOptions = {}): InferredLayout {
  const stats = header.map((_, i) => cellStats(sample.map((r) => r[i] ?? "")));
  const scored: {field: Field; column: number; score: number; reason: string}[] = [];
  for (const field of FIELDS) {
    header.forEach((h, column) => {
      const head = headerScore(field, h);
      const cells = cellScore(field, stats[column]!);
      if (head.score === 0 || cells === 0) return;
      const score = Math.round((0.65 * head.score + 0.35 * cells) * 100) / 100;
      scored.push({field, column, score, reason: `header words ${head.words.join("+") || "-"} (${head.score.toFixed(2)}), cells ${describeCells(field, stats[column]!)}`});
    });
  }
  const map: ColumnMap = {};
  const fields: Partial<Record<Field, FieldChoice>> = {};
  const taken = new Set<number>();
  for (const [field, name] of Object.entries(options.forced ?? {}) as [Field, string][]) {
    const column = header.findIndex((h) => normaliseHeader(h) === normaliseHeader(name));
    if (column < 0) throw new Error(`--map ${field}="${name}": no column of that name (columns: ${header.join(", ")})`);
    map[field] = column;
    taken.add(column);
    fields[field] = {column, header: header[column]!, score: 1, reason: "named by --map"};
  }
  const order = [...scored].sort((a, b) => b.score - a.score || a.column - b.column);
  // "Account Name" may be the supplier's or the ledger's: a payment needs a supplier more than an expense type.
  for (const s of [...order.filter((o) => REQUIRED.has(o.field)), ...order.filter((o) => !REQUIRED.has(o.field))]) {
    if (s.score < THRESHOLD || map[s.field] !== undefined || taken.has(s.column)) continue;
    const rivals = scored.filter((r) => r.field === s.field && r.column !== s.column && !taken.has(r.column));
    const beat = rivals.length ? `; beat ${rivals.map((r) => `"${header[r.column]}" (${r.score.toFixed(2)})`).join(", ")}` : "";
    map[s.field] = s.column;
    taken.add(s.column);
    fields[s.field] = {column: s.column, header: header[s.column]!, score: s.score, reason: s.reason + beat};
  }
  preferFiner(map, fields, scored, taken, header, sample);
  const candidates: InferredLayout["candidates"] = {};
  for (const field of FIELDS) {
    const best = scored.filter((s) => s.field === field).sort((a, b) => b.score - a.score).slice(0, 3);
    if (best.length) candidates[field] = best.map((s) => ({header: header[s.column]!, score: s.score}));
  }
  return {map, stats, fields, candidates};
}

/** Share of sampled rows in which a finer column's value must always sit under the same coarser value. */
const NESTED = 0.98;
/** Header scores this close name a field equally ("subj" and "subs" are both a subjective). */
const SAME_WORDS = 0.1;

/**
 * Two columns whose headers name the expense type about equally ("Cipfsubj(T)", "Cipfsubs(T)"): when one's values
 * refine the other's (a subjective subgroup under its group), the finer one says more about what was bought.
 */
function preferFiner(map: ColumnMap, fields: Partial<Record<Field, FieldChoice>>, scored: {field: Field; column: number; score: number; reason: string}[], taken: Set<number>, header: string[], sample: string[][]): void {
  const chosen = fields.expense_type;
  if (!chosen || chosen.reason === "named by --map") return;
  const words = (column: number) => headerScore("expense_type", header[column]!).score;
  const rival = scored.find((s) => s.field === "expense_type" && !taken.has(s.column) && Math.abs(words(s.column) - words(chosen.column)) <= SAME_WORDS && refines(sample, s.column, chosen.column));
  if (!rival) return;
  taken.delete(chosen.column);
  taken.add(rival.column);
  map.expense_type = rival.column;
  fields.expense_type = {column: rival.column, header: header[rival.column]!, score: rival.score, reason: `${rival.reason}; finer than "${chosen.header}", whose values it refines`};
}

function refines(sample: string[][], finer: number, coarser: number): boolean {
  const under = new Map<string, Map<string, number>>();
  const coarse = new Set<string>();
  for (const row of sample) {
    const [f, c] = [(row[finer] ?? "").trim(), (row[coarser] ?? "").trim()];
    if (!f || !c) continue;
    coarse.add(c);
    const m = under.get(f) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + 1);
    under.set(f, m);
  }
  if (under.size <= coarse.size) return false;
  let rows = 0;
  let nested = 0;
  for (const m of under.values()) {
    const counts = [...m.values()];
    rows += counts.reduce((a, b) => a + b, 0);
    nested += Math.max(...counts);
  }
  return rows > 0 && nested / rows >= NESTED;
}

function describeCells(field: Field, c: CellStats): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (field === "amount") return `${pct(c.money)} money, ${pct(c.decimals)} with pence`;
  if (field === "payment_date") return `${pct(c.dates)} dates`;
  if (field === "supplier_name") return `${pct(c.letters)} text, ${pct(c.organisations)} organisation-like, ${pct(c.distinct)} distinct`;
  return `${pct(c.filled)} filled, ${pct(c.distinct)} distinct`;
}

/** Whether a header cell names any field: for finding a header row made of words the synonym list lacks. */
export function namesAField(cell: string): boolean {
  return FIELDS.some((f) => headerScore(f, cell).score >= 0.4);
}

/** Why inference found no column for a needed field: the best candidates and the option that overrides it. */
export function refusalReason(field: Field, inferred: InferredLayout, header: string[]): string {
  const near = header
    .map((h, i) => ({h, head: headerScore(field, h).score, fit: cellScore(field, inferred.stats[i]!)}))
    .sort((a, b) => b.head + b.fit - (a.head + a.fit))
    .slice(0, 3)
    .map((c) => `"${c.h}" (header ${c.head.toFixed(2)}, cells ${c.fit.toFixed(2)})`);
  return `no column plausibly holds ${field}; best candidates ${near.join(", ") || "none"}; name it with --map ${field}="<column header>"`;
}
