import {readDeflators, type DeflatorSeries} from "../reference/deflators.ts";
import {readManifests} from "../sources/manifest.ts";
import {populationBasis, populationFor, readPopulation, type CouncilPopulation} from "../reference/population.ts";

export interface ReferenceDocument {
  deflators: DeflatorSeries;
  /** Councils with a manifest: their ONS estimates and the figure used for each financial year 2010-11..2026-27. */
  population: (CouncilPopulation & {council_name: string; by_year: {financial_year: string; population: number; basis: string}[]})[];
  /** Councils with a manifest that the population workbook does not have (abolished before April 2023). */
  missing_population: {code: string; name: string}[];
}

const YEARS = Array.from({length: 17}, (_, i) => 2010 + i).map((y) => `${y}-${String((y + 1) % 100).padStart(2, "0")}`);

export function referenceData(dataDir = "data"): ReferenceDocument {
  const population = readPopulation(dataDir);
  const out: ReferenceDocument = {deflators: readDeflators(dataDir), population: [], missing_population: []};
  for (const m of readManifests(dataDir)) {
    const p = population.get(m.council.code);
    if (!p) {
      out.missing_population.push({code: m.council.code, name: m.council.name});
      continue;
    }
    out.population.push({
      ...p,
      council_name: m.council.name,
      by_year: YEARS.map((fy) => ({financial_year: fy, population: Math.round(populationFor(p, fy)), basis: populationBasis(fy)}))
    });
  }
  return out;
}
