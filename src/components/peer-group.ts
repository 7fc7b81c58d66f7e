/** The overview's peer group: councils of one type and region, added up per year in the browser's DuckDB. */

/** The columns of the table the peer-group query reads (one row per council x year). */
export const PEER_COLUMNS = ["council_code", "financial_year", "council_type_name", "region", "months", "vcse", "total"] as const;
export const ALL_TYPES = "All types";
export const ALL_REGIONS = "All regions";

type CouncilYearRow = Partial<Record<(typeof PEER_COLUMNS)[number], string | number | null>>;

/** The rows of the peer-group table, only the columns the query reads. */
export function peerTable(councilYears: CouncilYearRow[]): Record<string, string | number | null>[] {
  return councilYears.map((d) => Object.fromEntries(PEER_COLUMNS.map((c) => [c, d[c] ?? null])));
}

/** The choices of council type and region, "All …" first. */
export function peerOptions(councilYears: CouncilYearRow[]): {types: string[]; regions: string[]} {
  const values = (key: "council_type_name" | "region") => [...new Set(councilYears.map((d) => d[key]).filter((v): v is string => typeof v === "string" && v !== ""))].sort();
  return {types: [ALL_TYPES, ...values("council_type_name")], regions: [ALL_REGIONS, ...values("region")]};
}

/** Per financial year over the councils with 12 months of data of the type and region chosen: councils, VCSE, total, share. */
export function peerGroupQuery(type: string, region: string): {sql: string; params: string[]} {
  return {
    sql: `SELECT financial_year, count(*)::INTEGER AS councils, coalesce(sum(vcse), 0) AS vcse, sum(total) AS total,
        coalesce(sum(vcse), 0) / sum(total) AS share
      FROM cy
      WHERE months = 12 AND (? = '${ALL_TYPES}' OR council_type_name = ?) AND (? = '${ALL_REGIONS}' OR region = ?)
      GROUP BY financial_year ORDER BY financial_year`,
    params: [type, type, region, region]
  };
}
