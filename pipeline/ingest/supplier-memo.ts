import {publishedSupplier} from "../conform/supplier-name.ts";
import type {Payment} from "../types.ts";

export type Identity = Pick<Payment, "sector" | "kind" | "basis" | "confidence" | "matched_id" | "supplier_key">;

const MEMO_SIZE = 1_000_000;

/**
 * What one ingest run's classifier gave each exact supplier (name, ids, flag, redaction) so far, and
 * publishedSupplier's answer per distinct supplier cell, across the run's files: the classifier's own cache
 * would give the same again (its first answer for a name stands), so asking it again can be skipped. Each
 * table is cleared when it grows past MEMO_SIZE.
 */
export class SupplierMemo {
  private identities = new Map<string, Identity>();
  private published = new Map<string, {name: string; redacted: boolean}>();

  /** The identities known so far, for the next file to read and add to. */
  known(): Map<string, Identity> {
    if (this.identities.size > MEMO_SIZE) this.identities = new Map();
    return this.identities;
  }

  publishedName(cell: string): {name: string; redacted: boolean} {
    let found = this.published.get(cell);
    if (!found) {
      if (this.published.size > MEMO_SIZE) this.published.clear();
      this.published.set(cell, (found = publishedSupplier(cell)));
    }
    return found;
  }
}
