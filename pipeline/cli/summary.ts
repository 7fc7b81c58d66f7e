import type {IngestReport} from "../ingest/ingest.ts";
import {sumReconciliations} from "../conform/ledger.ts";
import {describeRegister} from "../classify/current-register.ts";

/** The human-readable table of an ingest: one line per council and the reconciled total. */
export function printSummary(report: IngestReport): void {
  const rows = report.councils.map((c) => ({
    council: `${c.council} ${c.council_name}`.slice(0, 44).padEnd(44),
    files: String(c.files).padStart(5),
    rows: String(c.rows_in).padStart(9),
    kept: String(c.kept).padStart(9),
    rejected: String(c.rejected).padStart(8),
    dups: String(c.duplicates).padStart(6),
    amount: c.amount_kept.padStart(16),
    years: c.financial_years.length ? `${c.financial_years[0]}..${c.financial_years.at(-1)}` : ""
  }));
  const line = (r: Record<string, string>) => Object.values(r).join("  ");
  process.stdout.write(`${line({council: "council".padEnd(44), files: "files", rows: "rows in".padStart(9), kept: "kept".padStart(9), rejected: "rejected", dups: "dups".padStart(6), amount: "amount kept £".padStart(16), years: "years"})}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  const t = sumReconciliations(report.files);
  process.stdout.write(`charity register: ${describeRegister(report.register)}\n`);
  process.stdout.write(`total: ${t.rows_in} rows in = ${t.kept} kept + ${t.rejected} rejected; £${t.amount_in} in = £${t.amount_kept} kept + £${t.amount_rejected} rejected\n`);
  const repairs = Object.entries(t.repairs ?? {});
  if (repairs.length) process.stdout.write(`rows mended: ${repairs.map(([name, rows]) => `${rows} ${name}`).join(", ")}\n`);
}
