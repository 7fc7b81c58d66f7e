/** Types for council-headline.js (the page code is JavaScript; the tests are TypeScript). */
import type {CouncilYear} from "../../pipeline/compact/council.ts";

type YearMonths = Pick<CouncilYear, "months" | "first_month" | "last_month">;

export function ordinal(n: number): string;
export function councilHeadline(detail: {years: CouncilYear[]; headline_year: string | null}): {
  year: CouncilYear | null;
  previous: CouncilYear | null;
  change: number | null;
  real_change: number | null;
};
export function monthsText(year: YearMonths | null, formatMonth: (month: string) => string, covered?: string[]): string;
export function dataAge(detail: {latest_full: string | null; latest: string | null}, today?: Date): {old: boolean; year: string | null; ended: string | null; years: number};
