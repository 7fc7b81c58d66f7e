export interface LinearFit {
  /** Seconds per million rows. */
  per_million_rows: number;
  /** Fixed seconds (the intercept). */
  fixed_seconds: number;
  r2: number;
  /** Seconds per million rows at the largest size over the same at the smallest: 1 when cost is linear. */
  marginal_ratio: number;
}

/** Least-squares line through (rows, seconds). */
export function linearFit(points: {rows: number; seconds: number}[]): LinearFit | null {
  if (points.length < 2) return null;
  const n = points.length;
  const xs = points.map((p) => p.rows / 1e6);
  const ys = points.map((p) => p.seconds);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = ys.reduce((a, y, i) => a + (y - (intercept + slope * xs[i]!)) ** 2, 0);
  const sst = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  const sorted = [...points].sort((a, b) => a.rows - b.rows);
  const perRow = (p: {rows: number; seconds: number}) => p.seconds / p.rows;
  return {
    per_million_rows: slope, fixed_seconds: intercept, r2: sst === 0 ? 1 : 1 - ssr / sst,
    marginal_ratio: perRow(sorted.at(-1)!) / perRow(sorted[0]!)
  };
}

export function predict(fit: LinearFit, rows: number): number {
  return fit.fixed_seconds + fit.per_million_rows * (rows / 1e6);
}
