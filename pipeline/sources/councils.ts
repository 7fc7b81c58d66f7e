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

/** Types in the list that are not councils: combined authorities and the Greater London Authority. */
const NOT_COUNCILS = new Set(["COMB", "SRA"]);

/** How many English councils exist today in the reference list: nation England, not ended, not a combined authority. */
export function englishCouncilCount(dataDir = "data"): number {
  const file = join(dataDir, "reference/local-authorities/uk_local_authorities.csv");
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"));
  const col = (name: string) => {
    const i = header!.cells.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [nation, ended, type] = ["nation", "end-date", "local-authority-type"].map(col) as [number, number, number];
  return rows.filter(({cells}) => cells[nation] === "England" && !cells[ended] && !NOT_COUNCILS.has(cells[type] ?? "")).length;
}
