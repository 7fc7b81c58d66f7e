import {DEFAULT_REFERENCE_DIR, financialYearLabel, readDeflators, type DeflatorSeries} from "../reference/deflators.ts";
import {readManifests} from "../sources/manifest.ts";
import {populationBasis, populationFor, readPopulation, type CouncilPopulation, type Population} from "../reference/population.ts";

export interface ReferenceDocument {
  deflators: DeflatorSeries;
  /** Which estimates are in use (the embedded workbook, or with the table `fetch --reference` downloaded) and how years without one are filled. */
  population_in_use: Omit<Population, "councils"> & {method: string};
  /** Councils with a manifest: their ONS estimates and the figure used for each financial year 2010-11..2026-27. */
  population: (CouncilPopulation & {council_name: string; by_year: {financial_year: string; population: number; basis: string}[]})[];
  /** Councils with a manifest that the population tables do not have (abolished before their boundaries). */
  missing_population: {code: string; name: string}[];
}

const YEARS = Array.from({length: 17}, (_, i) => financialYearLabel(2010 + i));

export function referenceData(dataDir = "data", referenceDir: string | null = DEFAULT_REFERENCE_DIR): ReferenceDocument {
  const {councils, ...inUse} = readPopulation(dataDir, referenceDir);
  const out: ReferenceDocument = {
    deflators: readDeflators(dataDir, referenceDir),
    population_in_use: {...inUse, method: populationMethod(inUse.years)},
    population: [],
    missing_population: []
  };
  for (const m of readManifests(dataDir)) {
    const p = councils.get(m.council.code);
    if (!p) {
      out.missing_population.push({code: m.council.code, name: m.council.name});
      continue;
    }
    out.population.push({
      ...p,
      council_name: m.council.name,
      by_year: YEARS.map((fy) => ({financial_year: fy, population: Math.round(populationFor(p, fy)), basis: populationBasis(p, fy)}))
    });
  }
  return out;
}

/** How a financial year with no estimate of its own gets one, said for the mid-years the tables give. */
export function populationMethod(years: number[]): string {
  const gaps = years.slice(1).flatMap((b, i) => {
    const a = years[i]!;
    if (b - a < 2) return [];
    const between = b - a === 2 ? `mid-${a + 1} is` : `mid-${a + 1} to mid-${b - 1} are`;
    return [`${between} interpolated linearly between mid-${a} and mid-${b}`];
  });
  const first = years[0]!;
  const last = years.at(-1)!;
  const held = `years from ${financialYearLabel(last)} on are held at mid-${last}, and years before ${financialYearLabel(first)} at mid-${first}`;
  return `${gaps.length ? `Years with no estimate of their own are interpolated: ${gaps.join("; ")}; ` : "Every year between has its own estimate; "}${held}.`;
}
