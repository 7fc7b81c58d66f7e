import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";

export interface Council {
  code: string;
  name: string;
  /** mySociety's type code: CTY, NMD, UA, MD, LBO, … */
  type: string;
  region: string;
}

const cache = new Map<string, Map<string, Council>>();

/** Every council in the reference list (mySociety's uk_local_authorities.csv), keyed by GSS code. */
export function councils(dataDir = "data"): Map<string, Council> {
  let byCode = cache.get(dataDir);
  if (byCode) return byCode;
  const [header, ...rows] = parseCsv(readFileSync(join(dataDir, "reference/local-authorities/uk_local_authorities.csv"), "utf8"));
  const col = (name: string) => header!.cells.indexOf(name);
  const [code, name, type, region] = ["gss-code", "nice-name", "local-authority-type", "region"].map(col) as [number, number, number, number];
  byCode = new Map();
  for (const {cells} of rows) {
    if (cells[code]) byCode.set(cells[code]!, {code: cells[code]!, name: cells[name]!, type: cells[type]!, region: cells[region]!});
  }
  cache.set(dataDir, byCode);
  return byCode;
}

export function councilName(code: string, dataDir = "data"): string | undefined {
  return councils(dataDir).get(code)?.name;
}
