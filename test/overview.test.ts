import {describe, expect, it} from "vitest";
import {councilYearTotals, guidanceTests} from "../src/components/aggregate.js";
import {formatPounds} from "../src/components/format.js";
import {changeClass, leagueRows, testClass, testText} from "../src/components/league.js";
import {coverage, guidanceLine, headline} from "../src/components/overview-headline.js";
import {matchedRows, overviewSeries} from "../src/components/overview-series.js";
import {matchedYears} from "../src/components/aggregate.js";

/** One council-year as the loader writes it: a VCSE row and the rest of the council's spending. */
function councilYear(code: string, fy: string, vcse: number, total: number, {months = 12, deflator = 100 as number | null, suppliers = 3} = {}) {
  const base = {council_code: code, council_name: code, short_name: `Council ${code}`, financial_year: fy, council_total: total, deflator, months, payments: 5};
  return [
    {...base, sector: "vcse", amount: vcse, amount_real: deflator ? (vcse * 100) / deflator : null, suppliers},
    {...base, sector: "private", amount: total - vcse, amount_real: null, suppliers: 10}
  ];
}

// A: full 2018-19 to 2020-21. B: full 2019-20 and 2020-21. C: full 2020-21 only, 2019-20 part. D: full 2021-22 and 2022-23.
const rows = [
  ...councilYear("A", "2018-19", 100, 1000), ...councilYear("A", "2019-20", 80, 1000), ...councilYear("A", "2020-21", 60, 900, {deflator: 110}),
  ...councilYear("B", "2019-20", 50, 500), ...councilYear("B", "2020-21", 70, 400, {deflator: 110}),
  ...councilYear("C", "2019-20", 5, 50, {months: 7}), ...councilYear("C", "2020-21", 40, 400, {deflator: 110}),
  ...councilYear("D", "2021-22", 20, 200, {deflator: null}), ...councilYear("D", "2022-23", 30, 200, {deflator: null})
];
const cy = councilYearTotals(rows);
const tests = guidanceTests(cy);

describe("overview headline", () => {
  const h = headline(cy)!;

  it("reports the year whose matched set is largest, with that set's sums", () => {
    // 2020-21: A and B have 12 months in 2019-20 too; C does not. 2022-23: only D.
    expect([h.year, h.previous, h.councils, h.council_codes]).toEqual(["2020-21", "2019-20", 2, ["A", "B"]]);
    expect(h.vcse).toBe(60 + 70);
    expect(h.figure).toBe(formatPounds(130));
    // 130 against 130: no change, drawn as the page always has, in the colour of a rise.
    expect(h.change).toBe("0.0%");
    expect(h.changeClass).toBe("rise");
    expect(h.share).toBe(`${((100 * 130) / 1300).toFixed(1)}%`);
    expect(h.recipients).toBe("6");
    expect(h.coverage).toBe("Cash; based on 2 councils (Council A, Council B), each with 12 of 12 months of data in both 2019-20 and 2020-21: no other pair of years has more councils to compare.");
    expect(h.changeNote).toBe("Cash, the same 2 councils both years, from £130. Real terms: −9.1%.");
  });

  it("names the councils left out of the headline year and the later, smaller matched sets", () => {
    expect(h.leftOut).toBe("Left out of 2020-21: Council C (no full year in 2019-20). A council counts only when it has published all 12 months of both years.");
    expect(h.later).toBe("Later years compare fewer councils: 2022-23, 1 council (Council D), +50.0%. See “Year on year, same councils” below.");
  });

  it("says when real terms wait for a deflator, and when nothing can be compared", () => {
    const onlyD = councilYearTotals(rows.filter((r) => r.council_code === "D"));
    expect(headline(onlyD)!.changeNote).toContain("Real terms: not yet available (ONS has not published the 2022-23 deflator)");
    expect(headline(onlyD)!.leftOut).toBeNull();
    expect(headline(onlyD)!.later).toBeNull();
    expect(headline(councilYearTotals(councilYear("A", "2020-21", 1, 10)))).toBeNull();
  });

  it("counts the councils covered against England's", () => {
    expect(coverage(cy, 317)).toEqual({councils: 4, english: 317, words: "4 of 317 English councils", names: "Council A, Council B, Council C, Council D"});
  });

  it("states the guidance test for the headline year, with and without verdicts", () => {
    // 2020-21: A's VCSE fell 25% while its total fell 10% (cut harder); B's rose.
    expect(guidanceLine(tests, "2020-21")).toEqual({
      lead: "The 2011–13 guidance test:",
      text: " in 2020-21, 1 of 2 councils with 12 months of data in both years cut the voluntary sector harder than their own spending outside the public sector (Council A)."
    });
    const broken = guidanceTests(cy, [{council_code: "B", from: "2020-06", reason: "files list grants from then"}]);
    expect(guidanceLine(broken, "2020-21").text).toContain("1 of 1 council with 12 months");
    expect(guidanceLine(broken, "2020-21").text).toContain(" No verdict for Council B: files list grants from then (from June 2020), so its totals are not comparable across the two years.");
    expect(guidanceLine(tests, null)).toEqual({lead: "The 2011–13 guidance test", text: " needs 12 months of comparable data in two consecutive years: no council has that for any year."});
  });
});

describe("overview series", () => {
  const s = overviewSeries(cy);

  it("adds up complete council-years per year, and says which councils", () => {
    const byYear = Object.fromEntries(s.spendRows.map((d) => [d.financial_year, [d.councils, d.vcse, d.names, d.partial]]));
    expect(byYear).toEqual({
      "2018-19": [1, 100, "Council A", 0],
      "2019-20": [2, 130, "Council A, Council B", 1],
      "2020-21": [3, 170, "Council A, Council B, Council C", 0],
      "2021-22": [1, 20, "Council D", 0],
      "2022-23": [1, 30, "Council D", 0]
    });
    // Real terms need every council's deflator: D's years have none.
    expect(s.spendRows.map((d) => d.vcse_real === null)).toEqual([false, false, false, true, true]);
    expect(s.recipientRows.map((d) => d.recipients)).toEqual([3, 6, 9, 3, 3]);
  });

  it("draws from the first complete year and names the base year", () => {
    expect(s.chartYears).toEqual(["2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]);
    expect(s.baseYear).toBe("2018-19");
    expect(s.complete).toHaveLength(cy.filter((d) => d.months === 12).length);
    expect(s.shareRows).toHaveLength(s.complete.length);
  });

  it("sums each chart up in a sentence", () => {
    expect(s.spendSummary).toBe("Councils with a full year of data paid VCSE organisations £100 in 2018-19 (1 council) and £30 in 2022-23 (1 council); the councils behind each year differ.");
    // The largest share: B in 2020-21, 70 of 400.
    expect(s.shareSummary).toBe("Across 4 councils with full years of data, the VCSE share of spending ranges up to 17.5% (Council B, 2020-21).");
    expect(s.recipientsSummary).toBe("3 VCSE organisations were paid in 2022-23 by 1 council with a full year of data.");
    const none = overviewSeries(councilYearTotals(councilYear("A", "2020-21", 1, 10, {months: 3})));
    expect([none.spendSummary, none.shareSummary, none.recipientsSummary]).toEqual(Array(3).fill("No council has a full year of data yet."));
  });

  it("names each matched year's councils", () => {
    expect(matchedRows(matchedYears(cy)).map((m) => [m.financial_year, m.names])).toEqual([
      ["2019-20", "Council A"], ["2020-21", "Council A, Council B"], ["2022-23", "Council D"]
    ]);
  });
});

describe("league table", () => {
  const league = leagueRows(cy, tests);

  it("takes each council's latest full year and orders full years first, latest year first, then by share", () => {
    expect(league.map((r) => [r.council_code, r.financial_year])).toEqual([["D", "2022-23"], ["B", "2020-21"], ["C", "2020-21"], ["A", "2020-21"]]);
    const a = league.find((r) => r.council_code === "A")!;
    expect(a.test).toBe("Yes: cut harder");
    expect(a.vcse_change).toBeCloseTo(60 / 80 - 1, 12);
    expect(a.total_change).toBeCloseTo(900 / 1000 - 1, 12);
    expect(league.find((r) => r.council_code === "C")).toMatchObject({test: "No full year before", vcse_change: null});
  });

  it("marks a council with no full year as part year", () => {
    const part = leagueRows(councilYearTotals(councilYear("E", "2020-21", 1, 10, {months: 5})), []);
    expect(part).toMatchObject([{council_code: "E", months: 5, test: "Part year"}]);
  });

  it("colours changes and verdicts", () => {
    expect([-0.1, 0, 0.2].map(changeClass)).toEqual(["fall", "", "rise"]);
    expect(["Yes: cut harder", "No: not cut", "No: cut less than total", "No verdict: totals not comparable", "Part year"].map(testClass))
      .toEqual(["test-yes", "test-no", "test-no", "test-na", "test-na"]);
    expect(testText("No verdict: totals not comparable", {test_note: "why"})).toBe("No verdict: totals not comparable: why");
    expect(testText("No: not cut", {test_note: null})).toBe("No: not cut");
  });
});
