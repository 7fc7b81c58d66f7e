import {queryToBytes, type OutputFormat} from "./query.ts";

/** SQL for the financial year of a DATE column m: "2019-20". */
export function financialYearOf(m: string): string {
  return `printf('%d-%02d', year(${m}) - (month(${m}) < 4)::INTEGER, (year(${m}) - (month(${m}) < 4)::INTEGER + 1) % 100)`;
}

/**
 * One row per council x month ("2019-04"), with the month's status:
 *   covered       payments dated in the month come from a source file whose period includes it
 *   gap           no such payments, but the month lies between the council's first and last covered months
 *   other_period  payments dated in the month, but only from files published for other periods (a purchase-card
 *                 file for April listing March transactions, a stray early date); they count towards the
 *                 financial year's totals but not towards its months of coverage
 * A payment dated only to a quarter (or year) covers each of its months; its amount is counted in its first month.
 * Needs the source_files reference table (see compact-query.ts).
 */
export function coverageMonthsSql(counted: string): string {
  return `
    WITH p AS (SELECT * FROM ${counted}),
    spans AS (
      SELECT DISTINCT council_code, source_file, date_trunc('month', payment_date)::DATE AS first_month,
        CASE date_precision WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END AS span
      FROM p
    ),
    spread AS (
      SELECT s.council_code, s.source_file, (s.first_month + to_months(k.k))::DATE AS month
      FROM spans s, LATERAL (SELECT unnest(range(s.span)) AS k) k
    ),
    flagged AS (
      SELECT m.council_code, m.month, bool_or(m.month BETWEEN f.period_start AND f.period_end) AS in_period
      FROM spread m LEFT JOIN source_files f ON f.council_code = m.council_code AND f.source_file = m.source_file
      GROUP BY ALL
    ),
    bounds AS (
      SELECT council_code, min(month) AS first, max(month) AS last FROM flagged WHERE in_period GROUP BY ALL
    ),
    calendar AS (
      SELECT council_code, unnest(generate_series(first, last, INTERVAL 1 MONTH))::DATE AS month FROM bounds
    ),
    months AS (
      SELECT council_code, month FROM calendar UNION SELECT council_code, month FROM flagged
    ),
    money AS (
      SELECT council_code, date_trunc('month', payment_date)::DATE AS month,
        count(*)::INTEGER AS payments,
        (sum(amount_pence) / 100)::DOUBLE AS amount,
        (coalesce(sum(amount_pence) FILTER (WHERE sector = 'vcse'), 0) / 100)::DOUBLE AS vcse_amount
      FROM p GROUP BY ALL
    ),
    names AS (SELECT council_code, any_value(council_name) AS council_name FROM p GROUP BY ALL)
    SELECT m.council_code, n.council_name, strftime(m.month, '%Y-%m') AS month, ${financialYearOf("m.month")} AS financial_year,
      CASE WHEN f.in_period THEN 'covered' WHEN f.month IS NULL THEN 'gap' ELSE 'other_period' END AS status,
      coalesce(money.payments, 0)::INTEGER AS payments,
      coalesce(money.amount, 0)::DOUBLE AS amount,
      coalesce(money.vcse_amount, 0)::DOUBLE AS vcse_amount
    FROM months m
    JOIN names n USING (council_code)
    LEFT JOIN flagged f USING (council_code, month)
    LEFT JOIN money USING (council_code, month)`;
}

/** coverage: council x month with status, payments, amount and VCSE amount, for the Data page's heatmap. */
export function coverageSql(counted: string): string {
  return `SELECT * FROM (${coverageMonthsSql(counted)}) ORDER BY council_code, month`;
}

export function coverage(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(coverageSql, format, storeDir);
}
