import {PAYMENT_TYPE_COLUMNS, paymentTypeSql} from "../classify/payment-type.ts";
import {readServiceGroups, SERVICE_FIELDS, serviceGroupSql} from "../classify/service-groups.ts";
import {queryToBytes, type OutputFormat} from "./query.ts";

/**
 * One row per council code: the reference lists can name a code twice (the Greater London Authority is both
 * a strategic authority and the GLA), and a join on both would count its payments twice.
 */
const COUNCILS = "(SELECT code, arg_min(name, council_type) AS name, min(council_type) AS council_type FROM councils GROUP BY code)";

/**
 * The counted payments with their service group (NULL when unmapped) and payment type, from the stored columns.
 * The rules are regular expressions: they are matched once per distinct combination of the columns they read,
 * not once per payment (a payment's group and type depend on those columns alone).
 */
function typedSql(counted: string, dataDir: string): string {
  const same = (table: string, columns: readonly string[]) => columns.map((c) => `c.${c} IS NOT DISTINCT FROM ${table}.${c}`).join(" AND ");
  const groupColumns = SERVICE_FIELDS;
  const typeColumns = PAYMENT_TYPE_COLUMNS;
  return `
    WITH c AS (SELECT * FROM ${counted}),
    g AS (SELECT *, ${serviceGroupSql(readServiceGroups(dataDir))} AS service_group FROM (SELECT DISTINCT ${groupColumns.join(", ")} FROM c)),
    t AS (SELECT *, ${paymentTypeSql()} FROM (SELECT DISTINCT ${typeColumns.join(", ")} FROM c))
    SELECT c.*, g.service_group, t.payment_type, t.payment_type_basis
    FROM c LEFT JOIN g ON ${same("g", groupColumns)} LEFT JOIN t ON ${same("t", typeColumns)}`;
}

/**
 * services: one row per council x financial year x service group x sector x payment type.
 *
 *   council_code, short_name, council_type, financial_year
 *   service_group   a SeRCOP division (see data/reference/service-groups.csv), or "unmapped"
 *   sector          as classified: vcse, private, public, housing_association, individual, unknown
 *   payment_type    grant, services or unknown (see payment-type.ts)
 *   amount          pounds, cash, net of credit notes (summed exactly in pence)
 *   payments        transactions (supplier-month totals are not counted)
 */
export function servicesSql(counted: string, dataDir = "data"): string {
  return `
    WITH p AS (${typedSql(counted, dataDir)})
    SELECT p.council_code, coalesce(any_value(c.name), any_value(p.council_name)) AS short_name, any_value(c.council_type) AS council_type,
      p.financial_year, coalesce(p.service_group, 'unmapped') AS service_group, p.sector, p.payment_type,
      (sum(p.amount_pence) / 100)::DOUBLE AS amount,
      count(*) FILTER (WHERE p.row_kind = 'transaction')::INTEGER AS payments
    FROM p LEFT JOIN ${COUNCILS} c ON c.code = p.council_code
    GROUP BY p.council_code, p.financial_year, service_group, p.sector, p.payment_type
    ORDER BY p.council_code, p.financial_year, service_group, p.sector, p.payment_type`;
}

/**
 * payment-types: VCSE pounds per council x financial year x payment type x basis.
 *
 *   council_code, short_name, financial_year, payment_type (grant, services, unknown)
 *   basis           what the type rests on: council_flag, expense_wording, unknown
 *   amount          pounds
 *   share           amount / the council's VCSE pounds that year (null when those are not positive)
 */
export function paymentTypesSql(counted: string, dataDir = "data"): string {
  return `
    WITH p AS (SELECT * FROM (${typedSql(counted, dataDir)}) WHERE sector = 'vcse'),
    agg AS (
      SELECT council_code, any_value(council_name) AS council_name, financial_year, payment_type, payment_type_basis AS basis, sum(amount_pence) AS pence
      FROM p GROUP BY council_code, financial_year, payment_type, payment_type_basis
    ),
    totals AS (SELECT council_code, financial_year, sum(pence) AS total FROM agg GROUP BY ALL)
    SELECT a.council_code, coalesce(c.name, a.council_name) AS short_name, a.financial_year, a.payment_type, a.basis,
      (a.pence / 100)::DOUBLE AS amount,
      CASE WHEN t.total > 0 THEN (a.pence / t.total)::DOUBLE END AS share
    FROM agg a JOIN totals t USING (council_code, financial_year) LEFT JOIN ${COUNCILS} c ON c.code = a.council_code
    ORDER BY a.council_code, a.financial_year, a.payment_type, a.basis`;
}

/**
 * unmapped-services: every service area (as published, NULL where the file had none) with pounds that no rule
 * maps, from either its own words or the payment's expense type, per council.
 *
 *   council_code, short_name, service, amount (pounds), payments, first_year, last_year
 */
export function unmappedServicesSql(counted: string, dataDir = "data"): string {
  return `
    WITH p AS (SELECT * FROM (${typedSql(counted, dataDir)}) WHERE service_group IS NULL)
    SELECT p.council_code, coalesce(any_value(c.name), any_value(p.council_name)) AS short_name, p.service,
      (sum(p.amount_pence) / 100)::DOUBLE AS amount,
      count(*) FILTER (WHERE p.row_kind = 'transaction')::INTEGER AS payments,
      min(p.financial_year) AS first_year, max(p.financial_year) AS last_year
    FROM p LEFT JOIN ${COUNCILS} c ON c.code = p.council_code
    GROUP BY p.council_code, p.service
    ORDER BY p.council_code, amount DESC, p.service`;
}

export function services(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes((c) => servicesSql(c), format, storeDir);
}

export function paymentTypes(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes((c) => paymentTypesSql(c), format, storeDir);
}

export function unmappedServices(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes((c) => unmappedServicesSql(c), format, storeDir);
}
