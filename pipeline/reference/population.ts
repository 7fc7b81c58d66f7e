import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {CACHE_DIR} from "../cache-dir.ts";
import {fingerprint} from "../fingerprint.ts";
import {readWorkbook} from "../read/read-xlsx.ts";

/** ONS mid-year population estimates for one English council (April 2023 boundaries). */
export interface CouncilPopulation {
  code: string;
  name: string;
  /** ONS's geography label: "Metropolitan District", "County", … */
  geography: string;
  mid2011: number;
  mid2022: number;
}

/** Geographies in the workbook that are English councils (metropolitan counties have had no council since 1986). */
const COUNCIL_GEOGRAPHIES = new Set(["Unitary Authority", "Non-metropolitan District", "Metropolitan District", "London Borough", "County"]);

const FILE = "reference/population/mye22final.xlsx";
const SHEET = "MYE4";

/**
 * Every English council in ONS's mid-2022 workbook (sheet MYE4, "mid-2011 and mid-2022"), keyed by GSS code.
 * Councils abolished before April 2023 (Harrogate, say) are not in it.
 */
export function readPopulation(dataDir = "data"): Map<string, CouncilPopulation> {
  // Reading the 3.5 MB workbook takes seconds, and each of the site's data loaders is its own process: the result
  // is kept in a file named for the workbook's bytes and the code that reads it.
  const bytes = readFileSync(join(dataDir, FILE));
  const key = createHash("sha256").update(bytes).update(fingerprint([import.meta.filename], [], process.cwd())).digest("hex").slice(0, 16);
  const cached = join(CACHE_DIR, `population-${key}.json`);
  if (existsSync(cached)) return new Map(JSON.parse(readFileSync(cached, "utf8")) as [string, CouncilPopulation][]);
  const out = parsePopulation(bytes);
  mkdirSync(CACHE_DIR, {recursive: true});
  writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify([...out]));
  renameSync(`${cached}.${process.pid}.tmp`, cached);
  return out;
}

function parsePopulation(bytes: Buffer): Map<string, CouncilPopulation> {
  const sheets = readWorkbook(new Uint8Array(bytes), FILE);
  const sheet = sheets.find((s) => s.sheet === SHEET);
  if (!sheet) throw new Error(`${FILE}: no sheet ${SHEET}`);
  const headerIndex = sheet.records.findIndex((r) => r.cells[0] === "Code" && r.cells.includes("Mid-2022"));
  if (headerIndex < 0) throw new Error(`${FILE} ${SHEET}: no header row with Code and Mid-2022`);
  const header = sheet.records[headerIndex]!.cells;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${FILE} ${SHEET}: no column ${name}`);
    return i;
  };
  const [code, name, geography, mid2022, mid2011] = ["Code", "Name", "Geography", "Mid-2022", "Mid-2011"].map(col) as number[];
  const out = new Map<string, CouncilPopulation>();
  for (const {cells, line} of sheet.records.slice(headerIndex + 1)) {
    const c = cells[code!] ?? "";
    if (!c.startsWith("E") || !COUNCIL_GEOGRAPHIES.has(cells[geography!] ?? "")) continue;
    const p22 = Number(cells[mid2022!]);
    const p11 = Number(cells[mid2011!]);
    if (!Number.isInteger(p22) || !Number.isInteger(p11) || p22 <= 0 || p11 <= 0) {
      throw new Error(`${FILE} ${SHEET} line ${line}: ${c} has no usable population (${cells[mid2022!]}, ${cells[mid2011!]})`);
    }
    out.set(c, {code: c, name: cells[name!] ?? "", geography: cells[geography!]!, mid2011: p11, mid2022: p22});
  }
  return out;
}

/**
 * The population used for per-resident figures in a financial year: the mid-year estimate of its first
 * calendar year (mid-2019 for 2019-20), interpolated linearly between mid-2011 and mid-2022, held at
 * mid-2022 for later years and at mid-2011 for earlier ones.
 */
export function populationFor(p: Pick<CouncilPopulation, "mid2011" | "mid2022">, financialYear: string): number {
  const year = Number(financialYear.slice(0, 4));
  if (!Number.isInteger(year)) throw new Error(`not a financial year: ${financialYear}`);
  if (year >= 2022) return p.mid2022;
  if (year <= 2011) return p.mid2011;
  return p.mid2011 + ((p.mid2022 - p.mid2011) * (year - 2011)) / 11;
}

/** How populationFor reached its figure, for tables and footnotes. */
export function populationBasis(financialYear: string): string {
  const year = Number(financialYear.slice(0, 4));
  if (year >= 2022) return "mid-2022 estimate (held)";
  if (year === 2011) return "mid-2011 estimate";
  if (year < 2011) return "mid-2011 estimate (held)";
  return `mid-${year}, interpolated between mid-2011 and mid-2022`;
}
