/** Types for format.js (the components are JavaScript or TypeScript; the tests are TypeScript). */
type Maybe = number | null | undefined;
export function formatPounds(x: Maybe): string;
export function formatPerHead(x: Maybe): string;
export function formatShare(x: Maybe, digits?: number): string;
export function formatChange(x: Maybe, digits?: number): string;
export function formatPoints(x: Maybe, digits?: number): string;
export function formatCount(x: Maybe): string;
export function formatFY(y: number | string): string;
export function previousYear(fy: string): string;
export function formatDay(iso: string): string;
export function formatMonth(m: string | Date): string;
export function plural(n: number, one: string, many?: string): string;
