/** What a file's first bytes and characters say it is, and which names hold tables. Read, fetch and the fast path all ask here. */

/** A page opens with a tag and has a doctype, <html>, <head> or <body> near the start (error pages often lack the first two). */
export function looksLikeHtml(head: string): boolean {
  const start = head.trimStart().slice(0, 1024).toLowerCase();
  return start.startsWith("<") && /<(?:!doctype html|html|head|body)[\s>]/.test(start);
}

/** Text has almost no control characters besides tab, line ends, form feed and the DOS end-of-file mark. */
export function looksBinary(head: string): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) control++;
  }
  return control > Math.max(2, head.length * 0.01);
}

/** How many characters of a text looksLikeHtml and looksBinary are shown. */
export const SNIFF_CHARS = 4096;
export const TEXT_EXTENSIONS = new Set(["csv", "tsv", "txt"]);
export const WORKBOOK_EXTENSIONS = new Set(["xlsx", "xlsm", "xls", "ods"]);

/** What a file's first bytes say it is, whatever its name says; null for anything else (text, perhaps). */
export function magicKind(bytes: Uint8Array): "zip" | "xls" | "pdf" | "gzip" | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return "zip";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "xls";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return "pdf";
  if (startsWith(bytes, [0x1f, 0x8b])) return "gzip";
  return null;
}

export function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** XLSX and ODS files are ZIP archives too; their own parts give them away. */
export function workbookKind(entries: {name: string}[]): "xlsx" | "ods" | null {
  const names = entries.map((entry) => entry.name);
  if (names.some((entry) => entry.startsWith("xl/"))) return "xlsx";
  if (names.includes("content.xml") && names.includes("mimetype")) return "ods";
  return null;
}

/** The lower-case extension of a file or ZIP entry name. */
export function extension(name: string): string {
  return name.toLowerCase().split(".").pop() ?? "";
}

/** Whether a ZIP entry is read as a table: text, a workbook, or another archive. */
export function isTableName(name: string): boolean {
  const ext = extension(name);
  return TEXT_EXTENSIONS.has(ext) || WORKBOOK_EXTENSIONS.has(ext) || ext === "zip";
}
