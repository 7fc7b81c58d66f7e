import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";

/** Where a council is known to publish its spending files (data/reference/transparency). */
export interface SpendingPage {
  code: string;
  name: string;
  page?: string;
  /** A data.gov.uk (CKAN) dataset id. */
  dataset?: string;
  /** The year the address was seen. */
  seen?: string;
}

export const SPENDING_PAGES = join("reference", "transparency", "council-spending-pages.csv");

/** Every council row of the list (columns gss_code, council_name, page_url, datagovuk_dataset, seen), by file order. */
export function readSpendingPages(file: string): SpendingPage[] {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"), ",");
  const col = (name: string) => {
    const i = header?.cells.indexOf(name) ?? -1;
    if (i < 0) throw new Error(`${file}: no ${name} column in its header`);
    return i;
  };
  const [code, name, page, dataset, seen] = ["gss_code", "council_name", "page_url", "datagovuk_dataset", "seen"].map(col) as number[];
  return rows
    .filter((r) => r.cells[code!]?.trim())
    .map((r) => {
      const cell = (i: number) => r.cells[i]?.trim() || undefined;
      const row: SpendingPage = {code: cell(code!)!, name: cell(name!) ?? cell(code!)!};
      if (cell(page!)) row.page = cell(page!);
      if (cell(dataset!)) row.dataset = cell(dataset!);
      if (cell(seen!)) row.seen = cell(seen!);
      return row;
    });
}
