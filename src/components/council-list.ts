/** The Councils page's table: one row per council with its years, its latest full year's figures and its rank. */
import type {CouncilsSummary, CouncilSummary} from "../../pipeline/compact/council-types.ts";
import {ordinal} from "./council-headline.js";
import {formatCount, formatDay} from "./format.js";

export interface CouncilListRow {
  code: string;
  council: string;
  name: string;
  type: string;
  region: string;
  /** "2019-20 to 2023-24", one year alone, or "–". */
  years: string;
  full_years: number;
  latest_full: string;
  vcse: number | null;
  share: number | null;
  /** "2nd of 5 in 2023-24", or null when the council has no full year or no other council of its type one. */
  rank: string | null;
}

export function councilListRow(c: CouncilSummary): CouncilListRow {
  const shown = c.years.filter((y) => y.months > 0);
  const full = c.years.find((y) => y.financial_year === c.latest_full) ?? null;
  const first = shown[0]?.financial_year;
  const last = shown.at(-1)?.financial_year;
  return {
    code: c.code,
    council: c.short_name,
    name: c.name,
    type: c.type_name ?? "–",
    region: c.region ?? "–",
    years: !first ? "–" : shown.length === 1 ? first : `${first} to ${last}`,
    full_years: c.years.filter((y) => y.full).length,
    latest_full: c.latest_full ?? "none",
    vcse: full?.vcse ?? null,
    share: full?.share ?? null,
    rank: c.rank.by_vcse === null || c.rank.peers < 2 ? null : `${ordinal(c.rank.by_vcse)} of ${c.rank.peers} in ${c.rank.year}`
  };
}

/** The line under the table: how many councils, how many with a full year, and when the data were compiled. */
export function councilListNote(rows: CouncilListRow[], dataUpdated: CouncilsSummary["data_updated"]): string {
  const compiled = dataUpdated
    ? ` Data compiled ${formatDay(dataUpdated)}.`
    : "";
  return `${formatCount(rows.length)} councils; ${formatCount(rows.filter((r) => r.vcse !== null).length)} have at least one full financial year (12 months of published data). VCSE spending and share are for each council’s own latest full year (cash, as published), so years differ between councils; blank where a council has no full year. Rank in type: by VCSE spending among councils of the same type in this data with a full year in the same year; blank where no other council of the type has one. Select a column heading to sort.${compiled}`;
}
