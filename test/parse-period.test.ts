import {describe, expect, it} from "vitest";
import {inPeriod, parsePeriod} from "../pipeline/conform/parse-period.ts";

describe("parsePeriod", () => {
  it("reads a month, a range and a fiscal period number", () => {
    expect(parsePeriod("2019-04")).toEqual({start: "2019-04-01", months: 1, precision: "month"});
    expect(parsePeriod("2014-04..2014-06")).toEqual({start: "2014-04-01", months: 3, precision: "quarter"});
    expect(parsePeriod("2024-04..2025-03")).toEqual({start: "2024-04-01", months: 12, precision: "year"});
    expect(parsePeriod("201901", "fiscal_period")).toEqual({start: "2019-04-01", months: 1, precision: "month"});
    expect(parsePeriod("201912", "fiscal_period")).toEqual({start: "2020-03-01", months: 1, precision: "month"});
  });

  it("refuses what is not a period", () => {
    for (const text of ["2019-13", "2019-06..2019-04", "April", "201913"]) {
      expect(parsePeriod(text, text === "201913" ? "fiscal_period" : "month"), text).toBeNull();
    }
  });

  it("tests membership with slack", () => {
    const q = parsePeriod("2017-04..2017-06")!;
    expect(inPeriod("2017-06-30", q)).toBe(true);
    expect(inPeriod("2017-07-01", q)).toBe(false);
    expect(inPeriod("2017-07-01", q, 1)).toBe(true);
    expect(inPeriod("2017-03-31", q, 1)).toBe(true);
  });
});
