import {describe, expect, it} from "vitest";
import {periodFromName} from "../pipeline/sources/period-from-name.ts";

describe("periodFromName", () => {
  const cases: [string, string, number][] = [
    ["2019-04.csv", "2019-04-01", 1],
    ["2011-01-payments.csv", "2011-01-01", 1],
    ["2011-12-payments.csv", "2011-12-01", 1],
    ["expenditure-over-500-apr-jun-2014.csv", "2014-04-01", 3],
    ["expenditure-over-500-jan-mar-2018.csv", "2018-01-01", 3],
    ["March-25-CSV.csv", "2025-03-01", 1],
    ["Sept-25-CVS.csv", "2025-09-01", 1],
    ["SpendOver250Feb24.csv", "2024-02-01", 1],
    ["Spend-over-250.00-July-25.csv", "2025-07-01", 1],
    ["CALL51683-May-21-250.csv", "2021-05-01", 1],
    ["1615386198wpdm_Oct2020-csv.csv", "2020-10-01", 1],
    ["1701.csv", "2017-01-01", 1],
    ["2017-Q1.csv", "2017-04-01", 3],
    ["2018-Q4.csv", "2019-01-01", 3],
    ["1575631095wpdm_1910.csv", "2019-10-01", 1],
    ["trafford-supplier-spend-2024-25.zip", "2024-04-01", 12]
  ];
  for (const [name, start, months] of cases) {
    it(name, () => expect(periodFromName(name)).toMatchObject({start, months}));
  }
  it("gives nothing for a name without a period", () => {
    expect(periodFromName("payments.csv")).toBeNull();
    expect(periodFromName("1913.csv")).toBeNull();
  });
});
