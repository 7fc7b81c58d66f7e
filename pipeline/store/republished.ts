import type {FileReport} from "../conform/ledger.ts";
import {formatPence} from "../conform/parse-amount.ts";

const pence = (pounds: string) => BigInt(pounds.replace(".", ""));

/**
 * Marks a report read from new bytes of a file the store held (`previous`): the newer bytes replace the older in
 * every figure (the store keeps one version per file), and the report says what changed. Read again from the same
 * bytes (a new pipeline version), an earlier republication is carried over.
 */
export function markRepublished(report: FileReport, previous: FileReport | null): void {
  if (!previous || report.error) return;
  if (previous.sha256 === report.sha256) {
    if (previous.republished) report.republished = previous.republished;
    return;
  }
  if (previous.error) return;
  report.republished = {
    previous_sha256: previous.sha256,
    previous_rows_in: previous.rows_in,
    previous_kept: previous.kept,
    previous_amount_kept: previous.amount_kept,
    rows_change: report.kept - previous.kept,
    amount_change: formatPence(pence(report.amount_kept) - pence(previous.amount_kept))
  };
}
