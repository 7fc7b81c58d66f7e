import {describe, expect, it} from "vitest";
import {csvCell, toCsv} from "../src/components/exports.js";

describe("toCsv", () => {
  it("writes a header from labels and quotes what needs quoting", () => {
    const csv = toCsv([{name: 'Age UK "Trafford", Ltd', amount: 1234.5}], [{key: "name", label: "Recipient"}, {key: "amount", label: "Amount (GBP)"}]);
    expect(csv).toBe('Recipient,Amount (GBP)\r\n"Age UK ""Trafford"", Ltd",1234.5\r\n');
  });

  it("prefixes text cells that a spreadsheet would run as a formula with a single quote", () => {
    expect(["=SUM(A1)", "+44 161", "-2", "@cmd", "\tx", "\rx"].map(csvCell)).toEqual(["'=SUM(A1)", "'+44 161", "'-2", "'@cmd", "'\tx", "\"'\rx\""]);
  });

  it("writes numbers as numbers, even negative ones, and blanks for missing values", () => {
    expect([-12.5, 0, null, undefined, Number.NaN, true].map(csvCell)).toEqual(["-12.5", "0", "", "", "", "true"]);
  });

  it("uses the first row's keys when no columns are given", () => {
    expect(toCsv([{a: 1, b: "x"}])).toBe("a,b\r\n1,x\r\n");
  });
});
