import {describe, expect, it} from "vitest";
import {councilYearTotals, guidanceLabel, guidanceTests, headlineYear, previousYear, yearTotals} from "../src/components/aggregate.js";

const row = (council: string, fy: string, sector: string, amount: number, total: number, months = 12) => ({
  council_code: council,
  council_name: council,
  short_name: council,
  financial_year: fy,
  sector,
  amount,
  amount_real: amount,
  council_total: total,
  deflator: 100,
  suppliers: 3,
  payments: 5,
  months
});

describe("council-year figures", () => {
  const cy = councilYearTotals([
    row("A", "2018-19", "vcse", 100, 1000),
    row("A", "2018-19", "private", 900, 1000),
    row("A", "2019-20", "vcse", 80, 1000),
    row("A", "2019-20", "private", 920, 1000),
    row("B", "2019-20", "vcse", 50, 500),
    row("B", "2019-20", "private", 450, 500),
    row("B", "2020-21", "vcse", 10, 100, 3),
    row("B", "2020-21", "private", 90, 100, 3)
  ]);

  it("folds sectors into one row per council and year with the VCSE share", () => {
    expect(cy.map((d) => [d.council_code, d.financial_year, d.vcse, d.total, d.share, d.complete])).toEqual([
      ["A", "2018-19", 100, 1000, 0.1, true],
      ["A", "2019-20", 80, 1000, 0.08, true],
      ["B", "2019-20", 50, 500, 0.1, true],
      ["B", "2020-21", 10, 100, 0.1, false]
    ]);
  });

  it("takes the headline year from complete years only", () => {
    expect(headlineYear(cy)).toBe("2019-20");
  });

  it("adds up complete council-years only, and counts the rest as partial", () => {
    expect(yearTotals(cy).find((d) => d.financial_year === "2020-21")).toMatchObject({councils: 0, partial: 1, vcse: 0});
    expect(yearTotals(cy).find((d) => d.financial_year === "2019-20")).toMatchObject({councils: 2, vcse: 130, total: 1500});
  });

  it("applies the guidance test only between two complete years", () => {
    const tests = guidanceTests(cy);
    expect(tests).toHaveLength(1);
    expect(tests[0]).toMatchObject({council_code: "A", financial_year: "2019-20", cut_harder: true});
    expect(tests[0]!.vcse_change).toBeCloseTo(-0.2, 10);
    expect(tests[0]!.total_change).toBe(0);
    expect(guidanceLabel(tests[0])).toBe("Yes: cut harder");
    expect(guidanceLabel(undefined)).toBe("No full year before");
  });

  it("names the previous financial year", () => {
    expect(previousYear("2000-01")).toBe("1999-00");
    expect(previousYear("2019-20")).toBe("2018-19");
  });
});
