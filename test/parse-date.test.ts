import {describe, expect, it} from "vitest";
import {detectDateOrder, parseDate} from "../pipeline/conform/parse-date.ts";
import {financialYear} from "../pipeline/conform/financial-year.ts";

describe("parseDate", () => {
  const cases: [string, string][] = [
    ["04/01/2017", "2017-01-04"],
    ["4/1/17", "2017-01-04"],
    ["04-01-2017", "2017-01-04"],
    ["04.01.2017", "2017-01-04"],
    ["23-Apr-2012", "2012-04-23"],
    ["1-Jun-12", "2012-06-01"],
    ["01-JUN-2012", "2012-06-01"],
    ["1 June 2012", "2012-06-01"],
    ["30 Sept 2019", "2019-09-30"],
    ["2019-04-01", "2019-04-01"],
    ["2019-04-01T00:00:00", "2019-04-01"],
    ["2019-04-01 13:45:10", "2019-04-01"],
    ["2019-04-01T00:00:00.000Z", "2019-04-01"],
    ["25/06/2012 00:00:00", "2012-06-25"],
    ["20190401", "2019-04-01"],
    ["43556", "2019-04-01"],
    ["29/02/2020", "2020-02-29"],
    // Long formats, and a spreadsheet's text wrappers.
    ["Monday, 1 April 2019", "2019-04-01"],
    ["Thursday 4 April 2019", "2019-04-04"],
    ["Sat, 6 Apr 2019", "2019-04-06"],
    ["April 1, 2019", "2019-04-01"],
    ["Apr 1st 2019", "2019-04-01"],
    ["01-Apr-2019 00:00:00", "2019-04-01"],
    ['="01/04/2019"', "2019-04-01"],
    ["'01/04/2019", "2019-04-01"]
  ];
  for (const [text, date] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => expect(parseDate(text)).toEqual({ok: true, date, precision: "day"}));
  }

  it("reads month-first when told", () => {
    expect(parseDate("12/31/2019", "mdy")).toEqual({ok: true, date: "2019-12-31", precision: "day"});
  });

  it("reports a time with no date as missing", () => {
    for (const text of ["00:00:00", "", "  ", "0000-00-00"]) expect(parseDate(text)).toMatchObject({ok: false, reason: "missing_date"});
  });

  it("refuses impossible and unreadable dates", () => {
    for (const text of ["31/02/2019", "29/02/2019", "13/13/2019", "25/06/2012900", "2019-13-01", "sometime", "12345", "99999", "1/2"]) {
      expect(parseDate(text), text).toMatchObject({ok: false, reason: "bad_date"});
    }
  });

  it("detects a month-first column only from a value that cannot be day-first", () => {
    expect(detectDateOrder(["01/02/2019", "12/31/2019"])).toBe("mdy");
    expect(detectDateOrder(["01/02/2019", "31/12/2019"])).toBe("dmy");
  });
});

describe("financialYear", () => {
  it("runs April to March", () => {
    expect(financialYear("2019-04-01")).toBe("2019-20");
    expect(financialYear("2020-03-31")).toBe("2019-20");
    expect(financialYear("2000-01-15")).toBe("1999-00");
    expect(financialYear("2009-12-01")).toBe("2009-10");
  });
});

describe("parseDate on the date forms of unseen finance systems", () => {
  it("reads dd.mm.yyyy, yyyymmdd, dd-MMM-yyyy, two-digit years and Excel serials written as text", () => {
    const cases: [string, string][] = [
      ["05.04.2021", "2021-04-05"], ["20210405", "2021-04-05"], ["05-APR-2021", "2021-04-05"], ["5-Apr-21", "2021-04-05"],
      ["05/04/21", "2021-04-05"], ["44291", "2021-04-05"], ["44291.0", "2021-04-05"], ["31.03.99", "1999-03-31"]
    ];
    for (const [text, iso] of cases) expect(parseDate(text), text).toMatchObject({ok: true, date: iso});
    expect(parseDate("20211332")).toMatchObject({ok: false, reason: "bad_date"});
  });
});
