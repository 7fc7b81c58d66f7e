import type {FileReport} from "../conform/ledger.ts";
import {formatPence} from "../conform/parse-amount.ts";
import type {Job} from "./job.ts";

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

const sameLayout = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * For each council, its files whose columns were inferred, in period order: the first file's layout is the one
 * recorded, and a file whose columns differ from the file before it is marked "layout changed" (and read with the
 * columns inferred from its own header, never the earlier file's). Reports are marked in place, so the store keeps it.
 */
export function markLayoutChanges(jobs: Job[], reports: FileReport[]): void {
  const byCouncil = new Map<string, {job: Job; report: FileReport}[]>();
  jobs.forEach((job, i) => {
    const report = reports[i];
    if (!report || !job.layout.infer) return;
    delete report.layout_changed;
    if (report.error || Object.keys(report.layout).length === 0) return;
    byCouncil.set(job.council.code, [...(byCouncil.get(job.council.code) ?? []), {job, report}]);
  });
  for (const files of byCouncil.values()) {
    files.sort((a, b) => (a.job.period?.start ?? "").localeCompare(b.job.period?.start ?? "") || a.job.sourceFile.localeCompare(b.job.sourceFile));
    for (let i = 1; i < files.length; i++) {
      const before = files[i - 1]!.report;
      const now = files[i]!.report;
      if (!sameLayout(before.layout, now.layout)) now.layout_changed = {previous_file: before.file, before: before.layout, after: now.layout};
    }
  }
}
