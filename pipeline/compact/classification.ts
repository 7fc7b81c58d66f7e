import {NAME_RULES} from "../classify/name-rules.ts";
import {queryRows, queryToBytes, type OutputFormat} from "./query.ts";

/**
 * classification: council x financial year x sector x basis, with payments, distinct suppliers and amount:
 * how much of the spending (VCSE above all) rests on each kind of evidence (override, council flag, registry
 * identifier, registry name, name rule, none).
 */
export function classificationSql(counted: string): string {
  return `
    SELECT council_code, any_value(council_name) AS council_name, financial_year, sector, basis,
      count(*)::INTEGER AS payments,
      count(DISTINCT supplier_key)::INTEGER AS suppliers,
      (sum(amount_pence) / 100)::DOUBLE AS amount
    FROM ${counted}
    GROUP BY council_code, financial_year, sector, basis
    ORDER BY council_code, financial_year, sector, basis`;
}

export function classification(format: OutputFormat = "parquet", storeDir = "store"): Promise<Uint8Array> {
  return queryToBytes(classificationSql, format, storeDir);
}

/** The steps of the classifier's order of evidence (pipeline/classify/classify.ts), as the Methodology page lists them. */
export const CLASSIFICATION_STEPS = [
  {step: 1, label: "Manual override"},
  {step: 2, label: "The council’s own flag"},
  {step: 3, label: "A charity, company or other register number"},
  {step: 4, label: "A name that is never VCSE here (individual, statutory, housing, school, professional body)"},
  {step: 5, label: "A register’s name, whole or in part"},
  {step: 6, label: "A cut name completed from a register"},
  {step: 7, label: "A VCSE name rule"},
  {step: 8, label: "A private name rule (company form, trade)"},
  {step: 9, label: "The council’s coding of the payments, for a name nothing else reads"},
  {step: 10, label: "No evidence: unknown"}
] as const;

/**
 * classification-steps: for each step of the order of evidence and each sector, the pounds and suppliers it
 * decided, over every council and year: what each rule moves.
 */
export function classificationStepsSql(counted: string): string {
  const exclusions = NAME_RULES.filter((r) => r.exclusion).map((r) => `'${r.name}'`);
  // Withheld names are classified without a rule of the list (classify-suppliers.ts).
  exclusions.push("'redacted'");
  const labels = CLASSIFICATION_STEPS.map((s) => `(${s.step}, '${s.label.replaceAll("'", "''")}')`).join(", ");
  return `
    WITH steps AS (
      SELECT CASE basis
          WHEN 'override' THEN 1 WHEN 'council_flag' THEN 2 WHEN 'registry_id' THEN 3
          WHEN 'registry_name' THEN 5 WHEN 'registry_name_prefix' THEN 6
          WHEN 'name_rule' THEN CASE WHEN matched_id IN (${exclusions.join(", ")}) THEN 4 WHEN sector = 'vcse' THEN 7 ELSE 8 END
          WHEN 'council_coding' THEN 9
          ELSE 10 END AS step,
        sector, supplier_key, amount_pence
      FROM ${counted}
    )
    SELECT step, label, sector, count(DISTINCT supplier_key)::INTEGER AS suppliers, (sum(amount_pence) / 100)::DOUBLE AS amount
    FROM steps JOIN (VALUES ${labels}) AS l(step, label) USING (step)
    GROUP BY ALL ORDER BY step, amount DESC`;
}

export function classificationSteps(storeDir = "store"): Promise<Record<string, unknown>[]> {
  return queryRows(classificationStepsSql, storeDir);
}
