import {describe, expect, it} from "vitest";
import {SOURCE_LINE, csvCell, namesSource, toCsv} from "../src/components/exports.js";

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

  it("writes a sum of pence-exact amounts as its exact decimal, not its binary rounding", () => {
    expect(csvCell(13887916.809999999)).toBe("13887916.81");
    // Many pence amounts added as doubles, against the same sum in integer pence.
    const pence = Array.from({length: 4999}, (_, i) => ((i * 7919) % 99991) + 7);
    const pounds = pence.reduce((s, p) => s + p / 100, 0);
    const exact = pence.reduce((s, p) => s + p, 0);
    expect(csvCell(pounds)).toBe(`${Math.floor(exact / 100)}.${String(exact % 100).padStart(2, "0")}`.replace(/\.?0+$/, ""));
    expect([0.1 + 0.2, -0.07 - 0.01, 1234567890123.45, 0.000123, 2 ** 40].map(csvCell)).toEqual(["0.3", "-0.08", "1234567890123.45", "0.000123", "1099511627776"]);
  });

  it("uses the first row's keys when no columns are given", () => {
    expect(toCsv([{a: 1, b: "x"}])).toBe("a,b\r\n1,x\r\n");
  });
});

describe("namesSource", () => {
  it("sees a caption that states its source, so that an exported chart carries the source line once", () => {
    expect(namesSource("Source: councils’ spending transparency files (OGL v3.0).")).toBe(true);
    expect(namesSource("Sources: the councils' files; ONS series YBGB.")).toBe(true);
    expect(namesSource(SOURCE_LINE)).toBe(true);
    expect(namesSource("Open source software, grey bars are part years")).toBe(false);
    expect(namesSource("")).toBe(false);
    expect(namesSource(undefined)).toBe(false);
  });
});
