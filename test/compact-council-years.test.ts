/**
 * The compact loaders on a real store: Lambeth (monthly supplier totals, September 2011 missing), Calderdale
 * (a purchase-card file for April 2019 listing 2018-19 payments) and Oxford (quarterly files, one quarter
 * dated only to the quarter), ingested into a temporary store.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilYearsFullSql, councilYearsOverview} from "../pipeline/compact/council-years.ts";
import {columnRows, councilYearTotals} from "../src/components/aggregate.js";
import {coverageSql} from "../pipeline/compact/coverage.ts";
import {countedSql, queryRows} from "../pipeline/compact/query.ts";
import {readDeflators} from "../pipeline/reference/deflators.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";

const LAMBETH = "E09000022";
const CALDERDALE = "E08000033";
const OXFORD = "E07000178";

let store: string;
let cy: Record<string, unknown>[];
let coverage: Record<string, unknown>[];

beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), "vcse-compact-test-"));
  await ingest({outDir: store, councils: [LAMBETH, CALDERDALE, OXFORD], log: () => {}});
  cy = await queryRows(councilYearsFullSql, store);
  coverage = await queryRows(coverageSql, store);
}, 300_000);

afterAll(async () => {
  if (store) await rm(store, {recursive: true, force: true});
});

const months = (code: string, fy: string) => cy.find((r) => r.council_code === code && r.financial_year === fy)?.months;

describe("coverage", () => {
  it("counts a month only when its payments come from a file published for it", () => {
    expect(months(LAMBETH, "2010-11")).toBe(3);
    expect(months(LAMBETH, "2011-12")).toBe(11);
    expect(months(LAMBETH, "2012-13")).toBe(3);
    expect(months(CALDERDALE, "2018-19")).toBe(0);
    expect(months(CALDERDALE, "2019-20")).toBe(1);
  });

  it("spreads a payment dated only to a quarter over the quarter's three months", () => {
    expect(months(OXFORD, "2014-15")).toBe(12);
    expect(months(OXFORD, "2017-18")).toBe(10);
  });

  it("marks the gap and the stray months", () => {
    const status = (code: string, month: string) => coverage.find((r) => r.council_code === code && r.month === month)?.status;
    expect(status(LAMBETH, "2011-09")).toBe("gap");
    expect(status(LAMBETH, "2011-08")).toBe("covered");
    expect(status(CALDERDALE, "2019-03")).toBe("other_period");
    expect(coverage.filter((r) => r.status === "gap").map((r) => `${r.council_code} ${r.month}`)).toEqual([`${LAMBETH} 2011-09`]);
  });
});

describe("council-years", () => {
  it("adds up to every counted payment, to the penny", async () => {
    const [counted] = await queryRows(() => `SELECT (sum(amount_pence) / 100)::DOUBLE AS pounds, count(*)::INTEGER AS n FROM (${countedSql(store)})`, store);
    const total = cy.reduce((s, r) => s + (r.amount as number), 0);
    expect(total).toBeCloseTo(counted!.pounds as number, 2);
    // The cached relation the loaders read holds the same rows as countedSql.
    const [cached] = await queryRows((c) => `SELECT count(*)::INTEGER AS n FROM ${c}`, store);
    expect(cached!.n).toBe(counted!.n);
  });

  it("gives share, real terms and per resident from the same amount", () => {
    const deflators = new Map(readDeflators().years.map((y) => [y.financial_year, y.index]));
    const lambeth = cy.filter((r) => r.council_code === LAMBETH && r.sector === "vcse");
    expect(lambeth.map((r) => r.financial_year)).toEqual(["2010-11", "2011-12", "2012-13"]);
    for (const r of lambeth) {
      expect(r.share).toBeCloseTo((r.amount as number) / (r.council_total as number), 12);
      expect(r.amount_real).toBeCloseTo(((r.amount as number) * 100) / deflators.get(r.financial_year as string)!, 6);
      expect(r.short_name).toBe("Lambeth");
      expect(r.council_type).toBe("LBO");
      expect(r.region).toBe("London");
    }
    // Mid-2011 304,481 and mid-2022 316,812: 2010-11 holds mid-2011, 2012-13 is one eleventh of the way.
    expect(lambeth[0]!.population).toBe(304481);
    expect(lambeth[2]!.population).toBeCloseTo(304481 + (316812 - 304481) / 11, 6);
    expect(lambeth[2]!.per_resident).toBeCloseTo((lambeth[2]!.amount as number) / (lambeth[2]!.population as number), 9);
  });

  it("counts supplier-month totals as amounts but not as payments", async () => {
    const [store_] = await queryRows(
      (c) => `SELECT count(*)::INTEGER AS rows, (count(*) FILTER (WHERE row_kind = 'transaction'))::INTEGER AS transactions
              FROM ${c} WHERE council_code = '${LAMBETH}' AND financial_year = '2011-12'`,
      store
    );
    const y = cy.filter((r) => r.council_code === LAMBETH && r.financial_year === "2011-12");
    expect(store_!.transactions).toBeLessThan(store_!.rows as number);
    expect(y.reduce((s, r) => s + (r.payments as number), 0)).toBe(store_!.transactions);
  });
});

describe("the overview's compact JSON", () => {
  it("gives the same council-year totals as the full council-years, with one row per council and year", async () => {
    const doc = await councilYearsOverview(store);
    const rows = columnRows(JSON.parse(JSON.stringify(doc)));
    expect(rows.length).toBe(new Set(cy.map((r) => `${r.council_code} ${r.financial_year}`)).size);
    expect(councilYearTotals(rows)).toEqual(councilYearTotals(cy));
  });
});
