/**
 * The register names' keys, sorted, for the matches an exact lookup cannot make: the names a cut key is the
 * start of, the longest name a longer key starts with, and a name spelled with other spaces ("HOLLY BANK" for
 * "HOLLYBANK"). Built on first use: most ingests never need it.
 */
export class KeyIndex {
  private readonly sorted: string[];
  private compact?: Map<string, string | null>;

  constructor(keys: Iterable<string>) {
    this.sorted = [...new Set(keys)].sort();
  }

  /** The keys that start with `prefix` (the prefix itself left out), in order. */
  *completions(prefix: string): Generator<string> {
    const keys = this.sorted;
    for (let i = this.lowerBound(prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) if (keys[i] !== prefix) yield keys[i]!;
  }

  /** The longest key, of at least `minWords` words, that `key` starts with as whole words (never `key` itself). */
  longestWordPrefix(key: string, minWords: number): string | null {
    const words = key.split(" ");
    for (let n = words.length - 1; n >= minWords; n--) {
      const head = words.slice(0, n).join(" ");
      if (this.has(head)) return head;
    }
    return null;
  }

  /** The one key that is `key` with other spaces; null when none, or when two keys are. */
  sameLetters(key: string): string | null {
    if (!this.compact) {
      this.compact = new Map();
      for (const k of this.sorted) {
        const c = k.replaceAll(" ", "");
        this.compact.set(c, this.compact.has(c) ? null : k);
      }
    }
    const hit = this.compact.get(key.replaceAll(" ", "")) ?? null;
    return hit === key ? null : hit;
  }

  private has(key: string): boolean {
    return this.sorted[this.lowerBound(key)] === key;
  }

  /** The position of the first key not before `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    for (let hi = this.sorted.length; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
