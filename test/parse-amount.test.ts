import {describe, expect, it} from "vitest";
import {formatPence, parseAmount} from "../pipeline/conform/parse-amount.ts";

describe("parseAmount", () => {
  const cases: [string, number][] = [
    ["1234.50", 123450],
    ["£1,234.50", 123450],
    ["  500 ", 50000],
    ["(1,234.50)", -123450],
    ["-1234.5", -123450],
    ["1234.50CR", -123450],
    ["1234.50 cr", -123450],
    ["1234.50-", -123450],
    ["-£12.00", -1200],
    ["£-12.00", -1200],
    ["0.07", 7],
    [".5", 50],
    ["12.", 1200],
    ["1,000,000", 100000000],
    ["325.00", 32500],
    ["1332.2000", 133220],
    ["-0.00", 0],
    ["\u00a01\u00a0234.56", 123456],
    // A spreadsheet's text wrappers: a formula returning the text, a leading apostrophe.
    ['="1,234.50"', 123450],
    ["'1234.50", 123450],
    ["'-12.00", -1200]
  ];
  for (const [text, pence] of cases) {
    it(`reads ${JSON.stringify(text)} as ${pence} pence`, () => expect(parseAmount(text)).toEqual({ok: true, pence}));
  }

  it("reports blanks as missing", () => {
    for (const text of ["", "   ", "-", "£"]) expect(parseAmount(text)).toMatchObject({ok: false, reason: "missing_amount"});
  });

  it("refuses what it does not understand instead of coercing it", () => {
    for (const text of ["1.1.1", "1,23", "12,34.50", "abc", "PRIVATE RESIDENTIAL CARE", "1.234", "12.345", "1e5", "--5", "(5", "5 5x"]) {
      expect(parseAmount(text), text).toMatchObject({ok: false, reason: "bad_amount"});
    }
  });

  it("rounds binary floats printed in full to pence, naming the repair", () => {
    expect(parseAmount("1230.3600000000001")).toEqual({ok: true, pence: 123036, repair: "float_rounded"});
    expect(parseAmount("4999.999999999")).toEqual({ok: true, pence: 500000, repair: "float_rounded"});
    expect(parseAmount("-0.1000000000000001")).toEqual({ok: true, pence: -10, repair: "float_rounded"});
    expect(parseAmount("12.3450")).toMatchObject({ok: false, reason: "bad_amount"});
    expect(parseAmount("12.50")).toEqual({ok: true, pence: 1250});
  });

  it("reads currency signs in any position or encoding, and trailing CR/DR", () => {
    expect(parseAmount("£9,854.98")).toEqual({ok: true, pence: 985498});
    expect(parseAmount("Â£9,854.98")).toEqual({ok: true, pence: 985498});
    expect(parseAmount("€120.00")).toEqual({ok: true, pence: 12000});
    expect(parseAmount("GBP 1,000")).toEqual({ok: true, pence: 100000});
    expect(parseAmount("-£5.00")).toEqual({ok: true, pence: -500});
    expect(parseAmount("250.00 DR")).toEqual({ok: true, pence: 25000});
    expect(parseAmount("250.00CR")).toEqual({ok: true, pence: -25000});
    expect(parseAmount("£")).toMatchObject({ok: false, reason: "missing_amount"});
  });

  it("sums without floating-point drift", () => {
    let pence = 0;
    for (let i = 0; i < 1000; i++) pence += (parseAmount("0.10") as {pence: number}).pence;
    expect(formatPence(pence)).toBe("100.00");
  });
});

describe("formatPence", () => {
  it("writes exact pounds", () => {
    expect(formatPence(123456)).toBe("1234.56");
    expect(formatPence(-5)).toBe("-0.05");
    expect(formatPence(0)).toBe("0.00");
    expect(formatPence(12345678901234567890n)).toBe("123456789012345678.90");
  });
});
