/**
 * One organisation's payments from each council by financial year (rows of recipients.parquet, see
 * pipeline/compact/recipients.ts): bars stacked by council. Amounts are pounds, cash. Every financial year
 * from the first payment to the last has its slot, so a year without payments shows as a gap, marked "none".
 */
import * as Plot from "npm:@observablehq/plot";
import {formatFY, formatPounds} from "./format.js";
import {PALETTE} from "./palette.js";

/** £m for large amounts, £k for small ones: {divisor, label}. */
function unitFor(max) {
  return max >= 1e6 ? {divisor: 1e6, label: "£m"} : {divisor: 1e3, label: "£ thousand"};
}

/** Every financial year ("2019-20") from the first to the last of those given. */
export function yearRange(years) {
  const starts = years.map((fy) => Number(String(fy).slice(0, 4))).filter(Number.isFinite);
  if (starts.length === 0) return [];
  const out = [];
  for (let y = Math.min(...starts); y <= Math.max(...starts); y++) out.push(formatFY(y));
  return out;
}

export function recipientChart(rows, {width, name, years, height = 280} = {}) {
  const totals = new Map();
  for (const d of rows) totals.set(d.financial_year, (totals.get(d.financial_year) ?? 0) + d.amount);
  const unit = unitFor(Math.max(0, ...totals.values()));
  const councils = [...new Set(rows.map((d) => d.council_name))].sort();
  const domain = yearRange(years ?? [...totals.keys()]);
  const gaps = domain.filter((fy) => !totals.has(fy));
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    marginTop: 24,
    title: `Payments to ${name} by financial year`,
    subtitle: `${unit.label}, cash, by paying council. A year with fewer than 12 months of a council’s data is marked * in the table below.`,
    x: {type: "band", label: null, domain, padding: 0.3},
    y: {label: unit.label, grid: true, nice: true},
    color: {domain: councils, range: PALETTE, legend: councils.length > 1},
    marks: [
      Plot.barY(rows, {
        x: "financial_year",
        y: (d) => d.amount / unit.divisor,
        fill: "council_name",
        title: (d) => `${d.council_name}, ${d.financial_year}: ${formatPounds(d.amount)} (${d.months} of 12 months of the council’s data)`
      }),
      Plot.text([...totals], {x: ([fy]) => fy, y: ([, v]) => Math.max(0, v) / unit.divisor, text: ([, v]) => formatPounds(v), dy: -8, fontSize: 11, fill: "currentColor"}),
      Plot.text(gaps, {x: (fy) => fy, y: 0, text: () => "none", dy: -8, fontSize: 11, fill: "currentColor", fillOpacity: 0.7, ariaLabel: (fy) => `${fy}: no payments`}),
      Plot.ruleY([0])
    ]
  });
}
