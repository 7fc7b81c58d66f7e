import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";
import {supplierKey} from "./supplier-key.ts";

/** Words finance systems put around a council's name: "LB Camden", "R B Kingston upon Thames", "Camden MBC". */
const BEFORE = /^(?:(?:THE )?(?:L ?B|R ?B|LBC|RBC|LONDON BOROUGH|ROYAL BOROUGH|BOROUGH|CITY|COUNTY|DISTRICT)(?: COUNCIL)?(?: OF)? )+/;
const AFTER = /(?: (?:LONDON BOROUGH|BOROUGH|CITY|COUNTY|DISTRICT|METROPOLITAN))*(?: (?:COUNCIL|MBC|MDC|BC|DC|CC|LBC|RBC))?$/;

/**
 * Recognises a council written as finance systems write it, from the list of authorities: its name with one of
 * the words above ("LB Camden", "Royal Bor of Kingston upon Thames", "Camden MBC"). A council's name alone
 * ("Camden") is a place, not evidence of the council.
 */
export function councilNames(referenceDir: string): (key: string) => boolean {
  const file = join(referenceDir, "local-authorities", "uk_local_authorities.csv");
  if (!existsSync(file)) return () => false;
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"));
  const cols = ["nice-name", "official-name", "alt-names"].map((c) => header!.cells.indexOf(c));
  const names = new Set<string>();
  for (const {cells} of rows) {
    for (const c of cols) for (const name of (cells[c] ?? "").split(",")) {
      const key = bare(supplierKey(name));
      if (key.length >= 4) names.add(key);
    }
  }
  return (key) => {
    const b = bare(key);
    return b !== key && names.has(b);
  };
}

function bare(key: string): string {
  return key.replace(BEFORE, "").replace(AFTER, "").trim();
}
