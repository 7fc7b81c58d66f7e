import type {Field} from "../types.ts";

/** Fields stored as the council published them: trimmed, empty as null. Conform and the fast path's SQL both read this list. */
export const AS_PUBLISHED = [
  "supplier_id", "charity_number", "company_number", "service", "expense_type", "purpose", "transaction_ref", "council_flag"
] as const satisfies readonly Field[];

export type AsPublished = (typeof AS_PUBLISHED)[number];

/** The AS_PUBLISHED fields of a row, given its trimmed cell for each. */
export function asPublished(cell: (field: AsPublished) => string): Record<AsPublished, string | null> {
  const out = {} as Record<AsPublished, string | null>;
  for (const field of AS_PUBLISHED) out[field] = cell(field) || null;
  return out;
}
