import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";

export interface Council {
  code: string;
  name: string;
  /** mySociety's type code: CTY, NMD, UA, MD, LBO, … */
  type: string;
  region: string;
  /** The day it was abolished, when it has been. */
  end?: string;
}

const cache = new Map<string, Map<string, Council>>();

/** Every council in the reference list (mySociety's uk_local_authorities.csv), keyed by GSS code. */
export function councils(dataDir = "data"): Map<string, Council> {
  let byCode = cache.get(dataDir);
  if (byCode) return byCode;
  const [header, ...rows] = parseCsv(readFileSync(join(dataDir, "reference/local-authorities/uk_local_authorities.csv"), "utf8"));
  const col = (name: string) => header!.cells.indexOf(name);
  const [code, name, type, region, end] = ["gss-code", "nice-name", "local-authority-type", "region", "end-date"].map(col) as [number, number, number, number, number];
  byCode = new Map();
  for (const {cells} of rows) {
    if (!cells[code]) continue;
    const council: Council = {code: cells[code]!, name: cells[name]!, type: cells[type]!, region: cells[region]!};
    if (cells[end]) council.end = cells[end];
    byCode.set(cells[code]!, council);
  }
  cache.set(dataDir, byCode);
  return byCode;
}

export function councilName(code: string, dataDir = "data"): string | undefined {
  return councils(dataDir).get(code)?.name;
}

/** Combined and strategic authorities are not among the councils the product counts (317 in England in 2026). */
const NOT_COUNCILS = new Set(["COMB", "SRA"]);

/** England's councils today (317 in 2026): English GSS codes, not abolished, not combined authorities. */
export function englishCouncils(dataDir = "data"): Council[] {
  return [...councils(dataDir).values()].filter((c) => c.code.startsWith("E") && !c.end && !NOT_COUNCILS.has(c.type));
}
