/** Types for evidence.js. */
export function evidenceText(basis: string | null | undefined, matchedId: string | null | undefined): string;
