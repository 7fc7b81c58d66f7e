import {describe, expect, it} from "vitest";
import {financialYearDeflators, parseOnsSeries, readDeflators, realTerms} from "../pipeline/reference/deflators.ts";

describe("readDeflators on the real ONS YBGB file", () => {
  const series = readDeflators();

  it("reads the series metadata", () => {
    expect(series.cdid).toBe("YBGB");
    expect(series.release_date).toBe("30-06-2025");
    expect(series.latest_quarter).toBe("2025 Q1");
  });

  it("takes the latest financial year with four quarters as the base year", () => {
    // 2024 Q2..2025 Q1 = 110.1, 112.1, 113.2, 114.1
    expect(series.base_year).toBe("2024-25");
    const base = series.years.find((y) => y.financial_year === "2024-25")!;
    expect(base.ybgb_mean).toBeCloseTo(112.375, 10);
    expect(base.index).toBe(100);
    expect(series.years.at(-1)!.financial_year).toBe("2024-25");
  });

  it("averages Q2..Q1 and rebases", () => {
    const byYear = new Map(series.years.map((y) => [y.financial_year, y]));
    // 2023 Q2..2024 Q1 = 106.8, 107.8, 108.0, 109.3
    expect(byYear.get("2023-24")!.ybgb_mean).toBeCloseTo(107.975, 10);
    expect(byYear.get("2023-24")!.index).toBeCloseTo((107.975 / 112.375) * 100, 10);
    // 2022 Q2..2023 Q1 = 99.1, 100.7, 103.2, 105.0
    expect(byYear.get("2022-23")!.ybgb_mean).toBeCloseTo(102.0, 10);
    expect(byYear.get("2022-23")!.index).toBeCloseTo(90.7675194660734, 8);
  });

  it("starts with the first financial year whose four quarters are all published (1955 Q2..1956 Q1)", () => {
    expect(series.years[0]!.financial_year).toBe("1955-56");
    expect(series.years.length).toBe(2024 - 1955 + 1);
  });

  it("converts cash to base-year prices, and gives null for years without a deflator", () => {
    expect(realTerms(102, "2022-23", series)).toBeCloseTo((102 * 100) / 90.7675194660734, 6);
    expect(realTerms(100, "2024-25", series)).toBe(100);
    expect(realTerms(100, "2025-26", series)).toBeNull();
  });
});

describe("financialYearDeflators", () => {
  const file = (rows: string[]) => ['"Title","GDP deflator"', '"CDID","YBGB"', '"Release date","01-01-2000"', ...rows].join("\n");

  it("skips a financial year with a missing quarter and uses the last complete one as base", () => {
    const s = financialYearDeflators(
      file(['"2000","9"', '"2000 Q2","10"', '"2000 Q3","10"', '"2000 Q4","12"', '"2001 Q1","12"', '"2001 Q2","20"', '"2001 Q3","20"'])
    );
    expect(s.years).toEqual([{financial_year: "2000-01", ybgb_mean: 11, index: 100}]);
    expect(s.latest_quarter).toBe("2001 Q3");
  });

  it("rejects a quarter without a number rather than reading it as zero", () => {
    expect(() => parseOnsSeries(file(['"2000 Q1",""']))).toThrow(/2000 Q1/);
  });

  it("throws when no year is complete", () => {
    expect(() => financialYearDeflators(file(['"2000 Q2","10"']))).toThrow(/four quarters/);
  });
});
