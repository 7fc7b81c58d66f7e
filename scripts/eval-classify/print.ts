import type {PublicReport} from "./public-coding.ts";
import {TARGET, type SummaryRow} from "./summary.ts";
import type {Cell, Explained, Matrix, SetReport} from "./types.ts";

const pct = (x: number | null) => (x === null ? "  n/a" : `${(100 * x).toFixed(1)}%`.padStart(6));
const money = (x: number) => `£${Math.round(x).toLocaleString("en-GB")}`;

function matrixLines(m: Matrix, hasNegatives: boolean, indent = "  "): string[] {
  const w = 14;
  const row = (label: string, a: Cell, b: Cell) =>
    `${indent}${label.padEnd(14)}${String(a.suppliers).padStart(8)}${String(b.suppliers).padStart(10)}   ${money(a.pounds).padStart(w)}${money(b.pounds).padStart(w + 2)}`;
  return [
    `${indent}${"".padEnd(14)}${"by supplier".padStart(18)}   ${"by pounds".padStart(w + 8)}`,
    `${indent}${"".padEnd(14)}${"pred vcse".padStart(8)}${"pred other".padStart(11)}  ${"pred vcse".padStart(w + 1)}${"pred other".padStart(w + 2)}`,
    row("label vcse", m.tp, m.fn),
    ...(hasNegatives ? [row("label other", m.fp, m.tn)] : [])
  ];
}

export function printSet(r: SetReport, explain: boolean): void {
  const lines = [
    `\n== ${r.name}: ${r.description}`,
    `  label: ${r.label}`,
    `  ${r.suppliers} suppliers, ${r.positives} positive`,
    ...matrixLines(r.matrix, r.has_negatives),
    `  by supplier: precision ${pct(r.by_supplier.precision)}  recall ${pct(r.by_supplier.recall)}`,
    `  by pounds:   precision ${pct(r.by_pounds.precision)}  recall ${pct(r.by_pounds.recall)}`
  ];
  for (const [name, v] of Object.entries(r.variants ?? {})) {
    lines.push(`  variant ${name} (${v.description}):`);
    lines.push(`    by supplier P ${pct(v.by_supplier.precision)} R ${pct(v.by_supplier.recall)}; by pounds P ${pct(v.by_pounds.precision)} R ${pct(v.by_pounds.recall)}`);
    if (explain) lines.push(...matrixLines(v.matrix, v.matrix.fp.suppliers + v.matrix.tn.suppliers > 0, "    "));
  }
  lines.push(`  positives by basis (suppliers): ${JSON.stringify(r.positives_by_basis)}`);
  lines.push(`  label positives by sector assigned (pounds): ${JSON.stringify(r.positive_pounds_by_sector)}`);
  if (r.has_negatives) {
    lines.push(`  false positives by rule (suppliers): ${JSON.stringify(r.false_positives_by_rule)}`);
    lines.push(`  false positive pounds by kind predicted: ${JSON.stringify(r.false_positive_pounds_by_kind)}`);
  }
  lines.push(`  missed pounds by what was said instead: ${JSON.stringify(r.false_negative_pounds_by_prediction)}`);
  const list = (title: string, xs: Explained[] | undefined) => {
    if (!xs || xs.length === 0) return;
    lines.push(`  ${title}:`);
    for (const x of xs) {
      const said = `${x.sector}${x.kind ? `/${x.kind}` : ""} (${x.basis}${x.rule ? ` ${x.rule}` : ""})`;
      const detail = explain ? ` conf ${x.confidence.toFixed(2)}; labelled rows ${x.labelled_rows}/${x.rows}; key ${x.key}` : "";
      lines.push(`    ${money(x.pounds).padStart(12)}  ${x.name}  -> ${said}${detail}`);
    }
  };
  list(`largest false negatives (${r.top_false_negatives?.length ?? 0})`, r.top_false_negatives);
  list(`largest false positives (${r.top_false_positives?.length ?? 0})`, r.top_false_positives);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function printSummary(rows: SummaryRow[], wakefieldAll: SetReport | undefined): void {
  const verdict = (x: boolean | null, target: boolean) => (x === null ? (target ? "n/a" : "") : target ? (x ? "met" : "MISSED") : x ? "(met on this restriction)" : "(missed on this restriction)");
  const lines = [
    "\n== summary (README-ready)",
    "",
    `Classifier against labels written by councils, not by this project; supplier names only (label columns, council flags and identifiers hidden). By pounds. Targets: precision >= ${100 * TARGET.precision}%, recall >= ${100 * TARGET.recall}%. Development splits (Wakefield 2017-Q1..Q4, Trafford grants before 2020) are for tuning rules; the script lists suppliers of development splits only, never those of held-out splits (Wakefield 2018-Q1..Q4, Trafford grants from 2020) nor of sets that include them. Suppliers recur across years, so "suppliers unseen in development" is the stricter held-out figure.`,
    "",
    "| set | suppliers (positive) | precision | recall | precision target | recall target |",
    "|---|---:|---:|---:|---|---|"
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.what} | ${r.suppliers} (${r.positives}) | ${pct(r.precision).trim()} | ${pct(r.recall).trim()} | ${verdict(r.precision_met, r.target)} | ${verdict(r.recall_met, r.target)} |`
    );
  }
  const shares = (o: Record<string, number>) => {
    const total = Object.values(o).reduce((a, b) => a + b, 0);
    return {total, parts: Object.entries(o).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(1)}%`).join(", ")};
  };
  if (wakefieldAll) {
    const gap = shares(wakefieldAll.positive_pounds_by_sector);
    const fp = shares(wakefieldAll.false_positive_pounds_by_kind);
    lines.push(
      "",
      `Wakefield (all files), what the label counts that the definition does not, and the reverse. The label's positive pounds (${money(gap.total)}) by the sector the classifier assigned: ${gap.parts}. ` +
        `The false-positive pounds (${money(fp.total)}) by the kind predicted: ${fp.parts}; only predictions of kind charity are claims a charity-number label can refute.`
    );
  }
  lines.push("", "n/a: the set has no negatives, so precision cannot be measured. Rows without a verdict are informational (development splits, variants, sets that are not targets).");
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** (d) Public bodies by the councils' coding: recall by pounds overall and per council. */
export function printPublic(r: PublicReport | null): void {
  process.stdout.write("\n== public bodies by the councils' own coding\n");
  if (!r) {
    process.stdout.write("  no store: run `npm run ingest` first (or give --store DIR)\n");
    return;
  }
  const pct = (x: number | null) => (x === null ? "n/a" : `${(100 * x).toFixed(1)}%`);
  process.stdout.write(`  ${r.description}\n  label: ${r.label}\n`);
  process.stdout.write(`  ${r.all.suppliers} suppliers; called public by name: ${pct(r.all.by_supplier.recall)} of suppliers, ${pct(r.all.by_pounds.recall)} of pounds (target 90%)\n`);
  for (const c of r.by_council) process.stdout.write(`    ${c.council_code}: ${c.suppliers} suppliers, £${c.pounds.toLocaleString("en-GB")}, ${pct(c.recall)} of pounds\n`);
  process.stdout.write(`  missed pounds by what was said instead: ${JSON.stringify(r.missed_pounds_by_prediction)}\n`);
}
