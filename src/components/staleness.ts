/**
 * How old each council's data is, for the Data page: months since its latest month, counted from the end of that
 * month, and its status. The Transparency Code asks for at least quarterly publication, so more than three months
 * is overdue; a council past its end date in the council list is abolished, and publishes nothing more.
 */
import type {CouncilSourceEntry} from "../../pipeline/compact/sources.ts";

export type DataStatus = "Council abolished" | "Overdue" | "Up to date";

/** Whole months from the end of `ym` ("2024-03") to today's month: data for March is one month old at the end of April. */
export function monthsSince(ym: string | null, today: Date): number | null {
  if (!ym) return null;
  const [y, m] = ym.split("-").map(Number) as [number, number];
  return (today.getUTCFullYear() - y) * 12 + (today.getUTCMonth() + 1 - m) - 1;
}

export function abolished(endDate: string | null, today: Date): boolean {
  return endDate !== null && endDate <= today.toISOString().slice(0, 10);
}

export function dataStatus(c: Pick<CouncilSourceEntry, "end_date" | "last_month">, today: Date): DataStatus {
  if (abolished(c.end_date, today)) return "Council abolished";
  const old = monthsSince(c.last_month, today);
  return old !== null && old > 3 ? "Overdue" : "Up to date";
}

/** The status's class: overdue as a failed test, up to date as a passed one, abolished as neither. */
export function statusClass(s: DataStatus): string {
  return s === "Overdue" ? "test-yes" : s === "Up to date" ? "test-no" : "test-na";
}

export interface StalenessRow {
  council: string;
  council_code: string;
  first_month: string | null;
  last_month: string | null;
  months_covered: number;
  months_old: number | null;
  files: number;
  status: DataStatus;
}

/** One row per council, the most recent data first and councils with none last. */
export function stalenessRows(councils: CouncilSourceEntry[], today: Date): StalenessRow[] {
  return councils
    .map((c) => ({
      council: c.short_name,
      council_code: c.council_code,
      first_month: c.first_month,
      last_month: c.last_month,
      months_covered: c.months_covered,
      months_old: monthsSince(c.last_month, today),
      files: c.files,
      status: dataStatus(c, today)
    }))
    .sort((a, b) => (a.months_old ?? 1e9) - (b.months_old ?? 1e9));
}
