import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";
import {sqlLiteral} from "../sql.ts";

/** The Service Reporting Code of Practice divisions, in SeRCOP's order, with the page's labels. */
export const SERVICE_GROUPS = {
  adult_social_care: "Adult social care",
  childrens_social_care: "Children's social care",
  education: "Education",
  public_health: "Public health",
  housing: "Housing",
  culture_leisure: "Culture and leisure",
  environment: "Environment",
  highways_transport: "Highways and transport",
  planning_development: "Planning and development",
  central_services: "Central services"
} as const;

export type ServiceGroup = keyof typeof SERVICE_GROUPS;

export interface ServiceGroupRule {
  pattern: RegExp;
  group: ServiceGroup;
  /** Where the rule came from: "service-groups.csv:4". */
  where: string;
}

/** The columns a payment's service group is read from, in order: the service area first, the expense type only where the area says nothing. */
export const SERVICE_FIELDS = ["service", "expense_type"] as const;

/**
 * Reads the rule file (header `pattern,group,note`): each pattern a case-insensitive regular expression in
 * the syntax JavaScript and DuckDB's RE2 share; the first rule that matches decides. A value no rule matches
 * (a bare cost-centre code, a directorate named for a person) stays unmapped rather than guessed.
 */
export function parseServiceGroups(text: string, source = "service-groups.csv"): ServiceGroupRule[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ""), ",");
  const header = records[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const [iPattern, iGroup] = [header.indexOf("pattern"), header.indexOf("group")];
  if (iPattern < 0 || iGroup < 0 || !header.includes("note")) {
    throw new Error(`${source}: header must have pattern,group,note; got ${JSON.stringify(header.join(","))}`);
  }
  const rules: ServiceGroupRule[] = [];
  for (const record of records.slice(1)) {
    const cells = record.cells.map((c) => c.trim());
    if (cells.every((c) => c === "")) continue;
    const where = `${source}:${record.line}`;
    const group = cells[iGroup] ?? "";
    if (!(group in SERVICE_GROUPS)) throw new Error(`${where}: group must be one of ${Object.keys(SERVICE_GROUPS).join(", ")}; got ${JSON.stringify(group)}`);
    const source_ = cells[iPattern] ?? "";
    if (!source_) throw new Error(`${where}: empty pattern`);
    if (/\(\?[^:]|\\[pPkK]|\(\?<|\\\d/.test(source_)) throw new Error(`${where}: pattern ${JSON.stringify(source_)} uses syntax DuckDB's RE2 does not share (lookaround, named groups, back-references)`);
    let pattern: RegExp;
    try {
      pattern = new RegExp(source_, "i");
    } catch (error) {
      throw new Error(`${where}: pattern ${JSON.stringify(source_)} is not a regular expression: ${(error as Error).message}`);
    }
    rules.push({pattern, group: group as ServiceGroup, where});
  }
  return rules;
}

export function readServiceGroups(dataDir = "data"): ServiceGroupRule[] {
  const path = join(dataDir, "reference", "service-groups.csv");
  return parseServiceGroups(readFileSync(path, "utf8"), path);
}

/** The group of one payment, or null when unmapped. */
export function serviceGroup(rules: readonly ServiceGroupRule[], row: {service?: string | null; expense_type?: string | null}): ServiceGroup | null {
  for (const field of SERVICE_FIELDS) {
    const value = row[field];
    if (!value) continue;
    for (const rule of rules) if (rule.pattern.test(value)) return rule.group;
  }
  return null;
}

/** SQL giving the same result as serviceGroup over a relation's service and expense_type columns (NULL when unmapped). */
export function serviceGroupSql(rules: readonly ServiceGroupRule[]): string {
  const whens = SERVICE_FIELDS.flatMap((field) =>
    rules.map((r) => `WHEN regexp_matches(${field}, ${sqlLiteral(r.pattern.source)}, 'i') THEN ${sqlLiteral(r.group)}`)
  );
  return whens.length > 0 ? `CASE ${whens.join(" ")} END` : "NULL::VARCHAR";
}
