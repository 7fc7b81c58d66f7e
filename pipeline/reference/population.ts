import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {CACHE_DIR} from "../cache-dir.ts";
import {fingerprint} from "../fingerprint.ts";
import {DEFAULT_REFERENCE_DIR} from "./deflators.ts";
import {parsePopulationTable, type CouncilPopulation} from "./population-table.ts";

export type {CouncilPopulation} from "./population-table.ts";

/** The estimates in use: each council's, and which tables they come from. */
export interface Population {
  /** embedded: the project's copy alone; fetched: with the table `fetch --reference` downloaded over it. */
  source: "embedded" | "fetched";
  /** The tables' titles, the embedded first. */
  titles: string[];
  /** Every mid-year some council has an estimate for, ascending. */
  years: number[];
  councils: Map<string, CouncilPopulation>;
}

export const EMBEDDED_POPULATION = "reference/population/mye22final.xlsx";
/** The file `fetch --reference` keeps the downloaded table in, in the reference folder of the raw cache (XLSX or CSV). */
export const POPULATION_FILE = "population-estimates";

/**
 * The embedded ONS workbook (mid-2022 and mid-2011, April 2023 boundaries), with the table `fetch --reference`
 * downloaded into referenceDir, when there is one, over it: a council's estimate for a year is the downloaded
 * table's where it has one, else the embedded one. Councils abolished before the tables' boundaries are not in them.
 */
export function readPopulation(dataDir = "data", referenceDir: string | null = DEFAULT_REFERENCE_DIR): Population {
  const files = [join(dataDir, EMBEDDED_POPULATION)];
  const fetched = referenceDir === null ? undefined : join(referenceDir, POPULATION_FILE);
  if (fetched && existsSync(fetched)) files.push(fetched);
  // Reading the 3.5 MB workbook takes seconds, and each of the site's data loaders is its own process: the result
  // is kept in a file named for the tables' bytes and the code that reads them.
  const hash = createHash("sha256");
  const tables = files.map((f) => readFileSync(f));
  for (const bytes of tables) hash.update(createHash("sha256").update(bytes).digest("hex"));
  const key = hash.update(fingerprint([import.meta.filename], [], process.cwd())).digest("hex").slice(0, 16);
  const cached = join(CACHE_DIR, `population-${key}.json`);
  if (existsSync(cached)) {
    const {councils, ...rest} = JSON.parse(readFileSync(cached, "utf8")) as Omit<Population, "councils"> & {councils: [string, CouncilPopulation][]};
    return {...rest, councils: new Map(councils)};
  }
  const out = mergeTables(tables.map((bytes, i) => parsePopulationTable(new Uint8Array(bytes), files[i]!)));
  mkdirSync(CACHE_DIR, {recursive: true});
  writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify({...out, councils: [...out.councils]}));
  renameSync(`${cached}.${process.pid}.tmp`, cached);
  return out;
}

function mergeTables(tables: ReturnType<typeof parsePopulationTable>[]): Population {
  const councils = new Map<string, CouncilPopulation>();
  for (const table of tables) {
    for (const [code, p] of table.councils) {
      const before = councils.get(code);
      councils.set(code, before ? {...p, estimates: {...before.estimates, ...p.estimates}} : p);
    }
  }
  const years = [...new Set(tables.flatMap((t) => t.years))].sort((a, b) => a - b);
  return {source: tables.length > 1 ? "fetched" : "embedded", titles: tables.map((t) => t.title), years, councils};
}

/** The mid-years a council's figure for a financial year comes from: its own, or the two around it, or the nearest. */
function basisYears(p: Pick<CouncilPopulation, "estimates">, financialYear: string): {year: number; before: number; after: number} {
  const year = Number(financialYear.slice(0, 4));
  if (!/^\d{4}-\d{2}$/.test(financialYear) || !Number.isInteger(year)) throw new Error(`not a financial year: ${financialYear}`);
  const years = Object.keys(p.estimates).map(Number).sort((a, b) => a - b);
  if (!years.length) throw new Error("no population estimate");
  const before = years.filter((y) => y <= year).at(-1) ?? years[0]!;
  const after = years.find((y) => y >= year) ?? years.at(-1)!;
  return {year, before, after};
}

/**
 * The population used for per-resident figures in a financial year: the mid-year estimate of its first calendar year
 * (mid-2019 for 2019-20) where the council has one; between two estimates, interpolated linearly; after the last,
 * held at it, and before the first, at the first.
 */
export function populationFor(p: Pick<CouncilPopulation, "estimates">, financialYear: string): number {
  const {year, before, after} = basisYears(p, financialYear);
  const [a, b] = [p.estimates[before]!, p.estimates[after]!];
  return before === after ? a : a + ((b - a) * (year - before)) / (after - before);
}

/** How populationFor reached its figure, for tables and footnotes. */
export function populationBasis(p: Pick<CouncilPopulation, "estimates">, financialYear: string): string {
  const {year, before, after} = basisYears(p, financialYear);
  if (before === after) return year === before ? `mid-${year} estimate` : `mid-${before} estimate (held)`;
  return `mid-${year}, interpolated between mid-${before} and mid-${after}`;
}
