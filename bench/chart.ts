export interface ChartPoint {
  rows: number;
  seconds: number;
  baseline_seconds: number;
}

/**
 * Cost against input size as a small self-contained SVG: the pipeline, DuckDB's CSV-to-Parquet copy and
 * twice that copy (the target), seconds against millions of rows.
 */
export function costChart(points: ChartPoint[], title: string): string {
  const width = 640;
  const height = 360;
  const m = {top: 40, right: 170, bottom: 44, left: 56};
  const sorted = [...points].sort((a, b) => a.rows - b.rows);
  const maxX = Math.max(...sorted.map((p) => p.rows)) / 1e6;
  const maxY = Math.max(...sorted.map((p) => Math.max(p.seconds, 2 * p.baseline_seconds)));
  const niceX = nice(maxX);
  const niceY = nice(maxY);
  const x = (rows: number) => m.left + ((rows / 1e6) / niceX) * (width - m.left - m.right);
  const y = (s: number) => height - m.bottom - (s / niceY) * (height - m.top - m.bottom);
  const line = (f: (p: ChartPoint) => number) => sorted.map((p, i) => `${i ? "L" : "M"}${x(p.rows).toFixed(1)},${y(f(p)).toFixed(1)}`).join("");
  const series = [
    {name: "pipeline", color: "#d9480f", f: (p: ChartPoint) => p.seconds, dash: ""},
    {name: "DuckDB CSV → Parquet", color: "#1c7ed6", f: (p: ChartPoint) => p.baseline_seconds, dash: ""},
    {name: "2 × DuckDB (target)", color: "#868e96", f: (p: ChartPoint) => 2 * p.baseline_seconds, dash: "5 4"}
  ];
  const ticks = (max: number) => Array.from({length: 6}, (_, i) => (max * i) / 5);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="22" font-size="14" font-weight="600">${escape(title)}</text>`
  ];
  for (const t of ticks(niceY)) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${round(t)}</text>`);
  }
  for (const t of ticks(niceX)) out.push(`<text x="${x(t * 1e6)}" y="${height - m.bottom + 16}" text-anchor="middle" fill="#555">${round(t)}</text>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 8}" text-anchor="middle">payments (millions of rows)</text>`);
  out.push(`<text transform="translate(14 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">seconds</text>`);
  out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  // Each line is labelled at its end, in its colour; labels closer than a line's height are pushed apart.
  const last = sorted.at(-1)!;
  const labels = series.map((s) => ({s, ly: y(s.f(last))})).sort((a, b) => a.ly - b.ly);
  labels.forEach((l, i) => {
    if (i > 0) l.ly = Math.max(l.ly, labels[i - 1]!.ly + 15);
  });
  for (const s of series) {
    out.push(`<path d="${line(s.f)}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    for (const p of sorted) out.push(`<circle cx="${x(p.rows).toFixed(1)}" cy="${y(s.f(p)).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  for (const {s, ly} of labels) out.push(`<text x="${x(last.rows) + 8}" y="${ly + 4}" fill="${s.color}">${escape(s.name)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function nice(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * step >= max) return k * step;
  return 10 * step;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 1 : 0);
}

function escape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
}
