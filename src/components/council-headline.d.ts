/** Types for council-headline.js (the page code is JavaScript; the tests are TypeScript). */
import type {CouncilPageYear} from "../../pipeline/compact/council.ts";

type YearMonths = Pick<CouncilPageYear, "months" | "first_month" | "last_month">;

export function previousFY(fy: string): string;
export function ordinal(n: number): string;
export function councilHeadline(detail: {years: CouncilPageYear[]; headline_year: string | null}): {
  year: CouncilPageYear | null;
  previous: CouncilPageYear | null;
  change: number | null;
  real_change: number | null;
};
export function monthsText(year: YearMonths | null, formatMonth: (month: string) => string): string;
