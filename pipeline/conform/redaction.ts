const REDACTED = /redact|personal (?:data|information|details)|withheld|data protection|\bdp act\b|private individual|name removed|not disclosed/i;

/** Whether a published supplier name hides a person ("REDACTED UNDER DP ACT", "Redacted Personal Data"). */
export function isRedacted(name: string): boolean {
  return REDACTED.test(name);
}
