import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../read/parse-csv.ts";

export interface Council {
  code: string;
  name: string;
  /** mySociety's type code (CTY, NMD, UA, MD, LBO, …), or GLA for the Greater London Authority. */
  type: string;
  region: string;
  /** The day it was abolished, when it has been. */
  end?: string;
}

const LISTS = ["reference/local-authorities/uk_local_authorities.csv", "reference/local-authorities/other_authorities.csv"];

/**
 * The rows of the authority lists, as records of the named columns: mySociety's list of councils, then the
 * authorities bound by the Code that it lacks (the Greater London Authority), in the same columns.
 */
export function authorityRows(columns: string[], dataDir = "data"): (string | null)[][] {
  // A later list's row replaces an earlier one's with the same code: mySociety lists the Greater London
  // Authority as "Greater London", a strategic regional authority; the project's own list says what it is here.
  const byCode = new Map<string, (string | null)[]>();
  for (const list of LISTS) {
    const [header, ...rows] = parseCsv(readFileSync(join(dataDir, list), "utf8"));
    const index = (name: string) => {
      const i = header!.cells.indexOf(name);
      if (i < 0) throw new Error(`${list}: no column ${name}`);
      return i;
    };
    const code = index("gss-code");
    const cols = columns.map(index);
    for (const {cells} of rows) if (cells[code]) byCode.set(cells[code]!, cols.map((i) => cells[i] || null));
  }
  return [...byCode.values()];
}

/** Every authority in the reference lists, keyed by GSS code. */
export function councils(dataDir = "data"): Map<string, Council> {
  const byCode = new Map<string, Council>();
  for (const [code, name, type, region, end] of authorityRows(["gss-code", "nice-name", "local-authority-type", "region", "end-date"], dataDir)) {
    const council: Council = {code: code!, name: name ?? code!, type: type ?? "", region: region ?? ""};
    if (end) council.end = end;
    byCode.set(code!, council);
  }
  return byCode;
}

export function councilName(code: string, dataDir = "data"): string | undefined {
  return councils(dataDir).get(code)?.name;
}

/** Combined and strategic authorities and the Greater London Authority are not among the councils the product counts (317 in England in 2026). */
const NOT_COUNCILS = new Set(["COMB", "SRA", "GLA"]);

/** England's councils today (317 in 2026): English GSS codes, not abolished, not combined authorities. */
export function englishCouncils(dataDir = "data"): Council[] {
  return [...councils(dataDir).values()].filter((c) => c.code.startsWith("E") && !c.end && !NOT_COUNCILS.has(c.type));
}

/** How many English councils exist today in the reference list (317 in 2026). */
export function englishCouncilCount(dataDir = "data"): number {
  return englishCouncils(dataDir).length;
}
