export const SOURCE_LINE: string;
export interface ExportColumn {
  key: string;
  label?: string;
}
export function toCsv(data: Record<string, unknown>[], columns?: (string | ExportColumn)[]): string;
export function csvCell(value: unknown): string;
export function embedSnippet(embed: string | {src?: string; height?: number} | undefined, title: string): string;
export function exportToolbar(
  target: Element | null | (() => Element | null),
  options: {
    title: string;
    filename?: string;
    data?: Record<string, unknown>[] | (() => Record<string, unknown>[]);
    columns?: (string | ExportColumn)[];
    source?: string;
    embed?: string | {src?: string; height?: number};
  }
): HTMLElement;
export function download(blob: Blob, name: string): void;
export function namesSource(caption: unknown): boolean;
export const EMBED_HEIGHTS: {trend: number; council: number; council_services: number; compare: number};
