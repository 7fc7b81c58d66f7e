/**
 * Unusual streams: the payees and service areas behind a council's year-on-year change. A stream is named
 * when it accounts for more than a quarter of the change between two full years, for VCSE spending or for
 * spending outside the public sector; payees whose names are withheld (individuals, redacted) are never
 * named, only described. Also service areas that pay large sums to withheld names: likely providers.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {groupBy, rows} from "./council-queries.ts";
import type {CouncilYear, NamedStreams, StreamRow, WithheldService} from "./council-types.ts";

/** A stream's share of a change above which the page names it. */
export const STREAM_SHARE = 0.25;
/** Streams kept per council, year, kind and scope: the largest movements. */
const KEPT = 3;
/** A service area's withheld-name payments are flagged from this much a year, with at least LARGE_PAYMENTS of LARGE_PAYMENT or more. */
const WITHHELD_FLAG = 1_000_000;
const LARGE_PAYMENTS = 20;
const LARGE_PAYMENT = 10_000;

const WITHHELD = "(redacted OR sector = 'individual')";
const previousSql = (fy: string) => `(left(${fy}, 4)::INTEGER - 1)::VARCHAR || '-' || lpad((left(${fy}, 4)::INTEGER % 100)::VARCHAR, 2, '0')`;

/** Per council, the largest payee and service-area movements between each year and the one before. */
export async function streamRows(connection: DuckDBConnection): Promise<Map<string, StreamRow[]>> {
  const found = await rows<StreamRow & {council_code: string}>(
    connection,
    `WITH base AS (
       SELECT council_code, financial_year, payment_date, amount_pence, sector = 'vcse' AS vcse,
         CASE WHEN ${WITHHELD} THEN '' ELSE supplier_key END AS payee,
         CASE WHEN ${WITHHELD} THEN NULL ELSE supplier_name END AS payee_name,
         coalesce(nullif(trim(service), ''), 'Not stated') AS service
       FROM counted WHERE sector <> 'public'
     ),
     streams AS (
       SELECT council_code, financial_year, 'payee' AS kind, payee AS key, arg_max(payee_name, payment_date) AS name,
         sum(amount_pence) AS non_public, coalesce(sum(amount_pence) FILTER (WHERE vcse), 0) AS vcse
       FROM base GROUP BY ALL
       UNION ALL
       SELECT council_code, financial_year, 'service', service, service, sum(amount_pence), coalesce(sum(amount_pence) FILTER (WHERE vcse), 0)
       FROM base GROUP BY ALL
     ),
     present AS (SELECT DISTINCT council_code, financial_year FROM base),
     pairs AS (
       SELECT y.council_code, y.financial_year AS to_year, p.financial_year AS from_year
       FROM present y JOIN present p ON p.council_code = y.council_code AND p.financial_year = ${previousSql("y.financial_year")}
     ),
     sides AS (
       SELECT pr.council_code, pr.to_year, s.kind, s.key, s.name, 1 AS later, s.vcse, s.non_public
       FROM pairs pr JOIN streams s ON s.council_code = pr.council_code AND s.financial_year = pr.to_year
       UNION ALL
       SELECT pr.council_code, pr.to_year, s.kind, s.key, s.name, 0, -s.vcse, -s.non_public
       FROM pairs pr JOIN streams s ON s.council_code = pr.council_code AND s.financial_year = pr.from_year
     ),
     moved AS (
       SELECT council_code, to_year, kind, key, arg_max(name, later) AS name, sum(vcse) AS vcse, sum(non_public) AS non_public
       FROM sides GROUP BY ALL
     ),
     scoped AS (
       SELECT council_code, to_year, kind, key, name, 'vcse' AS scope, vcse AS pence FROM moved
       UNION ALL
       SELECT council_code, to_year, kind, key, name, 'non_public', non_public FROM moved
     ),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY council_code, to_year, kind, scope ORDER BY abs(pence) DESC, key) AS n
       FROM scoped WHERE pence <> 0
     )
     SELECT council_code, to_year, kind, scope, CASE WHEN kind = 'payee' AND key = '' THEN NULL ELSE name END AS name,
       (pence / 100)::DOUBLE AS delta
     FROM ranked WHERE n <= ${KEPT} ORDER BY council_code, to_year, kind, scope, n`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}

/** For each pair of consecutive full years and each scope, the streams behind more than a quarter of the change. */
export function namedStreams(years: CouncilYear[], found: StreamRow[]): NamedStreams[] {
  const full = new Map(years.filter((y) => y.full).map((y) => [y.financial_year, y]));
  const out: NamedStreams[] = [];
  for (const y of full.values()) {
    const start = Number(y.financial_year.slice(0, 4)) - 1;
    const p = full.get(`${start}-${String((start + 1) % 100).padStart(2, "0")}`);
    if (!p) continue;
    for (const scope of ["vcse", "non_public"] as const) {
      const change = scope === "vcse" ? y.vcse - p.vcse : y.total - p.total;
      if (change === 0) continue;
      const streams = found
        .filter((s) => s.to_year === y.financial_year && s.scope === scope && s.delta / change > STREAM_SHARE)
        .map((s) => ({kind: s.kind, name: s.name, delta: s.delta, share: s.delta / change}))
        .sort((a, b) => b.share - a.share);
      if (streams.length) out.push({from: p.financial_year, to: y.financial_year, scope, change: Math.round(change * 100) / 100, streams});
    }
  }
  return out;
}

/** Service-area years that paid large sums to withheld names: likely providers whose names were withheld, not people. */
export async function withheldServices(connection: DuckDBConnection): Promise<Map<string, WithheldService[]>> {
  const found = await rows<WithheldService & {council_code: string}>(
    connection,
    `SELECT council_code, financial_year, coalesce(nullif(trim(service), ''), 'Not stated') AS service,
       (coalesce(sum(amount_pence) FILTER (WHERE ${WITHHELD}), 0) / 100)::DOUBLE AS amount,
       count(*) FILTER (WHERE ${WITHHELD})::INTEGER AS payments,
       count(*) FILTER (WHERE ${WITHHELD} AND amount_pence >= ${LARGE_PAYMENT * 100})::INTEGER AS large_payments,
       (sum(amount_pence) / 100)::DOUBLE AS total
     FROM counted GROUP BY ALL
     HAVING amount >= ${WITHHELD_FLAG} AND large_payments >= ${LARGE_PAYMENTS}
     ORDER BY council_code, financial_year, amount DESC`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}
