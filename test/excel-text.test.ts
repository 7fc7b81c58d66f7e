import {describe, expect, it} from "vitest";
import {unwrapExcelText} from "../pipeline/conform/excel-text.ts";
import {publishedSupplier} from "../pipeline/conform/supplier-name.ts";

describe("unwrapExcelText", () => {
  it.each([
    ['="00123"', "00123"],
    ['="Acme ""Best"" Ltd"', 'Acme "Best" Ltd'],
    ["'1234.50", "1234.50"],
    ["'£12", "£12"],
    ["'(5.00)", "(5.00)"]
  ])("%s is %s", (cell, text) => expect(unwrapExcelText(cell)).toBe(text));

  it.each(["'t Hooft Gallery", "O'Neill Ltd", "=SUM(A1:A3)", "plain"])("%s is left as it is", (cell) => expect(unwrapExcelText(cell)).toBe(cell));

  it("gives a supplier name without the wrapper", () => {
    expect(publishedSupplier('="Acme Ltd"')).toEqual({name: "Acme Ltd", redacted: false});
  });
});
