import {sqlLiteral} from "../sql.ts";

export type PaymentType = "grant" | "services" | "unknown";
export type PaymentTypeBasis = "council_flag" | "expense_wording" | "unknown";

/** The stored columns a payment's type is read from. */
export interface PaymentTypeInput {
  council_flag?: string | null;
  expense_type?: string | null;
  purpose?: string | null;
}

export interface PaymentTypeResult {
  payment_type: PaymentType;
  basis: PaymentTypeBasis;
}

/**
 * Words that say a payment is a grant (given) or a payment for services (bought), in order: the first that
 * matches decides, so "Grant funded services" is a grant. Matched case-insensitively, in JavaScript and in
 * DuckDB (RE2), so only syntax both share: \b, groups, alternation, ?.
 * The grant words include the SeRCOP lines "Voluntary Associations", "Grants and subscriptions awarded" and
 * "Contributions to voluntary organisations"; the services words are what councils buy with: contracts,
 * fees, placements, commissioned care, purchases.
 */
export const PAYMENT_TYPE_WORDS: readonly [RegExp, Exclude<PaymentType, "unknown">][] = [
  [/\bgrants?\b/i, "grant"],
  [/\bsubscriptions?\b/i, "grant"],
  [/\bdonations?\b/i, "grant"],
  [/\bcontributions? (to|towards)\b/i, "grant"],
  [/\bawards?(ed)?\b/i, "grant"],
  [/\bbursar(y|ies)\b/i, "grant"],
  [/\bvoluntary associations?\b/i, "grant"],
  [/\bcontract(s|ed|or|ors)?\b/i, "services"],
  [/\bservices?\b/i, "services"],
  [/\bfees?\b/i, "services"],
  [/\bplacements?\b/i, "services"],
  [/\bcommission(ed|ing)?\b/i, "services"],
  [/\bpurchases?d?\b/i, "services"],
  [/\bconsultan(cy|ts?)\b/i, "services"],
  [/\b(care|nursing|residential|domiciliary|respite|supported living|supporting people)\b/i, "services"],
  [/\b(agency|hire|supplies|maintenance|repairs?|works)\b/i, "services"]
];

/**
 * The columns read, in order, each with the basis it gives. The council's own flag first: a column such as
 * Wakefield's "VCSE Grant" is the council saying so, but only a value with grant or services words counts
 * ("Yes" says nothing about which column it came from). Then the expense type (account, procurement category
 * such as Trafford's ProclassLabel, SeRCOP subjective line), then the purpose.
 */
const FIELDS: readonly [keyof PaymentTypeInput, PaymentTypeBasis][] = [
  ["council_flag", "council_flag"],
  ["expense_type", "expense_wording"],
  ["purpose", "expense_wording"]
];

/** The stored columns a payment's type is read from. */
export const PAYMENT_TYPE_COLUMNS: readonly string[] = FIELDS.map(([field]) => field);

/** The type of one payment from its stored columns. */
export function paymentType(input: PaymentTypeInput): PaymentTypeResult {
  for (const [field, basis] of FIELDS) {
    const value = input[field];
    if (!value) continue;
    for (const [pattern, type] of PAYMENT_TYPE_WORDS) if (pattern.test(value)) return {payment_type: type, basis};
  }
  return {payment_type: "unknown", basis: "unknown"};
}

/** SQL giving the same result as paymentType over a relation's columns: `<case> AS payment_type, <case> AS payment_type_basis`. */
export function paymentTypeSql(): string {
  const whens = (pick: (type: string, basis: string) => string) =>
    FIELDS.flatMap(([field, basis]) =>
      PAYMENT_TYPE_WORDS.map(([pattern, type]) => `WHEN regexp_matches(${field}, ${sqlLiteral(pattern.source)}, 'i') THEN ${sqlLiteral(pick(type, basis))}`)
    ).join(" ");
  return `CASE ${whens((t) => t)} ELSE 'unknown' END AS payment_type, CASE ${whens((_, b) => b)} ELSE 'unknown' END AS payment_type_basis`;
}
