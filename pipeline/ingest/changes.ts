import type {FileReport} from "../conform/ledger.ts";
import type {Job} from "./job.ts";

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
  // The counts of duplicates come after the mark in every report, whether the file was read now (counted after
  // this) or before (counted then): state.json is the same, byte for byte, however a run got there.
  for (const files of byCouncil.values()) {
    for (const {report} of files) {
      for (const key of ["duplicates", "amount_duplicates"] as const) {
        if (!(key in report)) continue;
        const value = report[key];
        delete report[key];
        Object.assign(report, {[key]: value});
      }
    }
  }
}
