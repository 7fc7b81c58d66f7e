import type {CouncilYearFigures} from "../../pipeline/types.ts";

export interface CouncilYear extends CouncilYearFigures {
  share: number | null;
  complete: boolean;
  [key: string]: unknown;
}
export interface GuidanceTest {
  council_code: string;
  financial_year: string;
  previous_year: string;
  vcse_change: number | null;
  total_change: number | null;
  cut_harder: boolean | null;
  /** Why no verdict is given: a manifest's comparability break between the two years. */
  not_comparable: string | null;
  [key: string]: unknown;
}
export function plainRows(table: unknown): Record<string, unknown>[];
export function columnRows(doc: {columns: readonly string[]; rows: unknown[][]}): Record<string, unknown>[];
export function councilYearTotals(rows: Record<string, unknown>[]): CouncilYear[];
export interface YearTotal {
  financial_year: string;
  councils: number;
  council_names: string[];
  partial: number;
  vcse: number;
  vcse_real: number | null;
  total: number;
  share: number | null;
  recipients: number;
}
export function yearTotals(councilYears: CouncilYear[]): YearTotal[];
export function headlineYear(councilYears: CouncilYear[]): string | null;
export interface ComparabilityBreak {
  council_code: string;
  from: string;
  reason: string;
}
export interface MatchedYear {
  financial_year: string;
  previous_year: string;
  councils: number;
  council_codes: string[];
  council_names: string[];
  rows: CouncilYear[];
  vcse: number;
  vcse_previous: number;
  total: number;
  total_previous: number;
  recipients: number;
  change: number | null;
  real_change: number | null;
}
export function matchedYears(councilYears: CouncilYear[]): MatchedYear[];
export function matchedHeadline(councilYears: CouncilYear[]): MatchedYear | null;
export function breakBetween(breaks: ComparabilityBreak[], code: string, previous: string, current: string): ComparabilityBreak | undefined;
export function guidanceTests(councilYears: CouncilYear[], breaks?: ComparabilityBreak[]): GuidanceTest[];
export function guidanceLabel(t: GuidanceTest | undefined): string;
