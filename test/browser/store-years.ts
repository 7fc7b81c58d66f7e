/**
 * Every council-year straight from the payment store, independently of pipeline/compact and the page code:
 * payments that count (the pipeline's duplicate rule), months covered per council and financial year (a
 * payment's month, or each month of its quarter or year, inside the period its source file was published for,
 * per the manifests), VCSE and non-public spending. Also the matched-set headline and England's councils,
 * worked out here from those rows and the reference list, for the overview tests.
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {csvParse} from "d3-dsv";
import {flaggedSql} from "../../pipeline/compact/query.ts";

export interface StoreYear {
  council_code: string;
  financial_year: string;
  months: number;
  /** "2019-04": first and last covered month. */
  first_month: string | null;
  last_month: string | null;
  vcse: number;
  /** Spending outside the public sector: every sector but "public". */
  non_public: number;
}

export interface Manifest {
  council: {code: string; name: string};
  threshold?: number;
  comparability_breaks?: {from: string; reason: string}[];
  files: {period: string; path: string}[];
}

export function manifests(root: string): Manifest[] {
  return readdirSync(join(root, "data/sources"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(root, "data/sources", f), "utf8")) as Manifest);
}

export async function storeYears(root: string): Promise<StoreYear[]> {
  const periods: string[] = [];
  for (const m of manifests(root)) {
    for (const file of m.files) {
      const [a, b = a] = String(file.period).split("..");
      periods.push(`('${String(file.path).replaceAll("'", "''")}', DATE '${a}-01', DATE '${b}-01')`);
    }
  }
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      WITH p AS (SELECT * FROM (${flaggedSql(join(root, "store"))}) WHERE NOT duplicate),
      periods(source_file, first_month, last_month) AS (VALUES ${periods.join(", ")}),
      months AS (
        SELECT DISTINCT p.council_code, p.financial_year, (date_trunc('month', p.payment_date) + to_months(k.i))::DATE AS month, p.source_file
        FROM p, LATERAL (SELECT unnest(range(CASE p.date_precision WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END)) AS i) k
      ),
      covered AS (
        SELECT m.council_code, m.financial_year, count(DISTINCT m.month)::INTEGER AS n,
          strftime(min(m.month), '%Y-%m') AS first_month, strftime(max(m.month), '%Y-%m') AS last_month
        FROM months m JOIN periods USING (source_file)
        WHERE m.month BETWEEN periods.first_month AND periods.last_month
        GROUP BY ALL
      ),
      sums AS (
        SELECT council_code, financial_year,
          (coalesce(sum(amount_pence) FILTER (WHERE sector = 'vcse'), 0) / 100)::DOUBLE AS vcse,
          (coalesce(sum(amount_pence) FILTER (WHERE sector <> 'public'), 0) / 100)::DOUBLE AS non_public
        FROM p GROUP BY ALL
      )
      SELECT s.council_code, s.financial_year, coalesce(c.n, 0)::INTEGER AS months, c.first_month, c.last_month, s.vcse, s.non_public
      FROM sums s LEFT JOIN covered c USING (council_code, financial_year)
      ORDER BY s.council_code, s.financial_year`);
    return reader.getRowObjectsJS().map((r) => ({
      council_code: String(r.council_code),
      financial_year: String(r.financial_year),
      months: Number(r.months),
      first_month: r.first_month === null ? null : String(r.first_month),
      last_month: r.last_month === null ? null : String(r.last_month),
      vcse: Number(r.vcse),
      non_public: Number(r.non_public)
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const before = (fy: string) => {
  const y = Number(fy.slice(0, 4)) - 1;
  return `${y}-${String((y + 1) % 100).padStart(2, "0")}`;
};

export interface MatchedSet {
  year: string;
  previous: string;
  /** Sorted GSS codes of the councils with 12 months in both years. */
  councils: string[];
  vcse: number;
  vcse_previous: number;
  non_public: number;
}

/** Per year, the councils with 12 covered months in it and in the year before, with their sums. */
export function matchedSets(years: StoreYear[]): MatchedSet[] {
  const full = new Map(years.filter((y) => y.months === 12).map((y) => [`${y.council_code} ${y.financial_year}`, y]));
  const out = new Map<string, MatchedSet>();
  for (const y of full.values()) {
    const p = full.get(`${y.council_code} ${before(y.financial_year)}`);
    if (!p) continue;
    const m = out.get(y.financial_year) ?? {year: y.financial_year, previous: p.financial_year, councils: [], vcse: 0, vcse_previous: 0, non_public: 0};
    m.councils.push(y.council_code);
    m.vcse += y.vcse;
    m.vcse_previous += p.vcse;
    m.non_public += y.non_public;
    out.set(y.financial_year, m);
  }
  return [...out.values()].map((m) => ({...m, councils: m.councils.sort()})).sort((a, b) => a.year.localeCompare(b.year));
}

/** The headline's year: the matched set with the most councils, the latest on a tie. */
export function widestMatchedSet(years: StoreYear[]): MatchedSet | undefined {
  return matchedSets(years).sort((a, b) => b.councils.length - a.councils.length || b.year.localeCompare(a.year))[0];
}

export interface ReferenceCouncil {
  code: string;
  name: string;
  type: string;
  nation: string;
  ended: boolean;
}

/** mySociety's list, then the project's own list of other authorities, whose rows replace mySociety's of the same code. */
export function referenceCouncils(root: string): ReferenceCouncil[] {
  const byCode = new Map<string, ReferenceCouncil>();
  for (const list of ["uk_local_authorities.csv", "other_authorities.csv"]) {
    for (const r of csvParse(readFileSync(join(root, "data/reference/local-authorities", list), "utf8"))) {
      const code = r["gss-code"] ?? "";
      byCode.set(code, {code, name: r["nice-name"] ?? "", type: r["local-authority-type"] ?? "", nation: r.nation ?? "", ended: Boolean(r["end-date"])});
    }
  }
  return [...byCode.values()];
}

/** English councils today: principal councils (not combined authorities, not the GLA) with no end date. */
export function englishCouncilsToday(root: string): number {
  return referenceCouncils(root).filter((c) => c.nation === "England" && !c.ended && c.type !== "COMB" && c.type !== "SRA" && c.type !== "GLA").length;
}

/**
 * Each council's VCSE spending per named payee (withheld names and individuals left out) in its two years, from
 * the store: the later year's amount minus the earlier's, largest movement first, by council.
 */
export async function payeeMovements(root: string, pairs: {code: string; from: string; to: string}[]): Promise<Map<string, {key: string; delta: number}[]>> {
  const found = new Map(pairs.map((p) => [p.code, [] as {key: string; delta: number}[]]));
  if (!pairs.length) return found;
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    // One pass over the store for every council's pair of years.
    const wanted = pairs.map((p) => `('${p.code}', '${p.from}', '${p.to}')`).join(", ");
    const reader = await connection.runAndReadAll(`
      WITH wanted(code, y0, y1) AS (VALUES ${wanted})
      SELECT council_code AS code, supplier_key AS key,
        (coalesce(sum(amount_pence) FILTER (WHERE financial_year = y1), 0) - coalesce(sum(amount_pence) FILTER (WHERE financial_year = y0), 0)) / 100 AS delta
      FROM (${flaggedSql(join(root, "store"))}) JOIN wanted ON council_code = code AND financial_year IN (y0, y1)
      WHERE NOT duplicate AND sector = 'vcse' AND NOT redacted
      GROUP BY ALL ORDER BY abs(delta) DESC`);
    for (const r of reader.getRowObjectsJS()) found.get(String(r.code))!.push({key: String(r.key), delta: Number(r.delta)});
    return found;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
