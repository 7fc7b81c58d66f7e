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
  [key: string]: unknown;
}
export function plainRows(table: unknown): Record<string, unknown>[];
export function columnRows(doc: {columns: readonly string[]; rows: unknown[][]}): Record<string, unknown>[];
export function councilYearTotals(rows: Record<string, unknown>[]): CouncilYear[];
export function previousYear(fy: string): string;
export function yearTotals(councilYears: CouncilYear[]): Record<string, unknown>[];
export function headlineYear(councilYears: CouncilYear[]): string | null;
export function guidanceTests(councilYears: CouncilYear[]): GuidanceTest[];
export function guidanceLabel(t: GuidanceTest | undefined): string;
