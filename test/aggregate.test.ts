import {describe, expect, it} from "vitest";
import {councilYearTotals, guidanceLabel, guidanceTests, headlineYear, matchedHeadline, matchedYears, yearTotals} from "../src/components/aggregate.js";
import {previousYear} from "../src/components/format.js";

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

  it("gives no verdict, and says why, where a manifest break falls between the two years", () => {
    const reason = "files list more from then";
    const within = guidanceTests(cy, [{council_code: "A", from: "2020-03", reason}]);
    expect(within[0]).toMatchObject({cut_harder: null, not_comparable: `${reason} (from March 2020)`});
    expect(guidanceLabel(within[0])).toBe("No verdict: totals not comparable");
    // A break before the earlier year began, or after the later one ended, leaves the comparison alone.
    for (const from of ["2018-04", "2020-04"]) {
      expect(guidanceTests(cy, [{council_code: "A", from, reason}])[0]).toMatchObject({cut_harder: true, not_comparable: null});
    }
    expect(guidanceTests(cy, [{council_code: "B", from: "2019-06", reason}])[0]!.cut_harder).toBe(true);
  });

  it("compares each year with the one before over the councils with 12 months in both (the matched set)", () => {
    const more = councilYearTotals([
      row("A", "2018-19", "vcse", 100, 1000), row("A", "2019-20", "vcse", 80, 1000), row("A", "2020-21", "vcse", 60, 1000),
      row("B", "2019-20", "vcse", 50, 500), row("B", "2020-21", "vcse", 70, 500),
      row("C", "2020-21", "vcse", 999, 999), row("C", "2019-20", "vcse", 1, 10, 11)
    ]);
    const m = matchedYears(more);
    expect(m.map((d) => [d.financial_year, d.council_codes, d.vcse, d.vcse_previous])).toEqual([
      ["2019-20", ["A"], 80, 100],
      ["2020-21", ["A", "B"], 130, 130]
    ]);
    expect(m[1]!.change).toBe(0);
    // The headline takes the year whose matched set is largest, not the latest year with any full council.
    expect(matchedHeadline(more)!.financial_year).toBe("2020-21");
    expect(matchedHeadline(councilYearTotals([row("A", "2018-19", "vcse", 1, 1), row("A", "2019-20", "vcse", 1, 1), row("B", "2019-20", "vcse", 1, 1), row("B", "2020-21", "vcse", 1, 1), row("B", "2021-22", "vcse", 1, 1), row("A", "2017-18", "vcse", 1, 1), row("B", "2018-19", "vcse", 1, 1)]))!.financial_year).toBe("2019-20");
    expect(matchedHeadline(councilYearTotals([row("A", "2018-19", "vcse", 1, 1)]))).toBeNull();
  });

  it("names the previous financial year", () => {
    expect(previousYear("2000-01")).toBe("1999-00");
    expect(previousYear("2019-20")).toBe("2018-19");
  });
});
