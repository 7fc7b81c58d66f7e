/** Formats a spending file is published in. */
export type DataFormat = "csv" | "xlsx" | "xls" | "ods" | "zip";

/** Formats that are documents or pages, never data. */
export type OtherFormat = "pdf" | "doc" | "html" | "other";

const DATA = new Set<string>(["csv", "xlsx", "xls", "ods", "zip"]);
const DOCUMENTS: Record<string, OtherFormat> = {pdf: "pdf", doc: "doc", docx: "doc", odt: "doc", rtf: "doc", txt: "other", json: "other", xml: "other"};
const PAGE = new Set(["htm", "html", "aspx", "php", "jsp", "asp"]);

/** The last segment of a URL's path, decoded ("Spend April 2024.csv"), or as written when it is not UTF-8. */
export function urlFileName(url: string): string {
  let segment: string;
  try {
    segment = new URL(url).pathname.split("/").pop() ?? "";
  } catch {
    return "";
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The extension of a URL's file name (or of a query value that names one: ?file=x.csv, ?format=csv). */
function extensions(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const name = urlFileName(url);
  const found = [/\.([a-z0-9]{2,5})$/i.exec(name)?.[1]];
  for (const [key, value] of parsed.searchParams) {
    found.push(/\.([a-z0-9]{2,5})$/i.exec(value)?.[1]);
    if (/^(format|type|ext|filetype)$/i.test(key)) found.push(value);
  }
  return found.filter((e): e is string => !!e).map((e) => e.toLowerCase());
}

/**
 * What a link leads to, from its URL and its text: "CSV", "Download XLSX (12 KB)" and "(Excel)" say it when the
 * URL does not (a document-store address with no extension). undefined when nothing says.
 */
export function fileFormat(url: string, text = ""): DataFormat | OtherFormat | undefined {
  for (const ext of extensions(url)) {
    if (DATA.has(ext)) return ext as DataFormat;
    if (DOCUMENTS[ext]) return DOCUMENTS[ext];
    if (PAGE.has(ext)) return undefined;
  }
  const said = /\b(csv|xlsx|xls|ods|zip|pdf|excel|spreadsheet)\b/i.exec(text)?.[1]?.toLowerCase();
  if (said === "excel" || said === "spreadsheet") return "xlsx";
  if (said === "pdf") return "pdf";
  return said as DataFormat | undefined;
}

export function isDataFormat(format: string | undefined): format is DataFormat {
  return format !== undefined && DATA.has(format);
}

const MEDIA_TYPES: [RegExp, DataFormat][] = [
  [/text\/csv|application\/csv|text\/comma-separated-values/i, "csv"],
  [/spreadsheetml\.sheet/i, "xlsx"],
  [/vnd\.ms-excel/i, "xls"],
  [/opendocument\.spreadsheet/i, "ods"],
  [/application\/(x-)?zip/i, "zip"]
];

/** The format a server says it sent: the file name in its Content-Disposition, else its media type. */
export function responseFormat(contentType: string, disposition = ""): DataFormat | OtherFormat {
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const byName = named ? fileFormat(`http://x/${encodeURIComponent(named.trim())}`) : undefined;
  if (byName) return byName;
  if (/application\/pdf/i.test(contentType)) return "pdf";
  return MEDIA_TYPES.find(([re]) => re.test(contentType))?.[1] ?? "other";
}

/** Whether a media type is a page or an API's answer (read), rather than a file (left to fetch). */
export function isPageType(contentType: string): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "" || /^(text\/(html|xml|plain)|application\/(xhtml\+xml|xml|json)|[a-z]+\/[a-z.+-]*\+(xml|json))$/.test(type);
}
