import {unwrapExcelText} from "./excel-text.ts";
import {isRedacted} from "./redaction.ts";

/** A payment whose supplier name was left blank: a withheld name, counted but never shown. */
export const NOT_PUBLISHED = "(name not published)";

/** A supplier cell as stored: trimmed, runs of whitespace as one space, blank as NOT_PUBLISHED; redacted if blank or a redaction. Both engines ask here. */
export function publishedSupplier(cell: string): {name: string; redacted: boolean} {
  const name = unwrapExcelText(cell).trim().replace(/\s+/g, " ");
  return {name: name || NOT_PUBLISHED, redacted: !name || isRedacted(name)};
}
