import * as XLSX from "@e965/xlsx";
import {strToU8, zipSync} from "fflate";
import {describe, expect, it} from "vitest";
import {ReadError} from "../pipeline/read/read-error.ts";
import {readWorkbook} from "../pipeline/read/read-xlsx.ts";

type Cell = string | number | boolean | null | {v: number; z: string};

/** Builds a workbook in memory; `{v, z}` cells carry a number format, like a publisher's formatted cell. */
function workbook(sheets: Record<string, Cell[][]>, bookType: XLSX.BookType = "xlsx", merges?: XLSX.Range[]): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = XLSX.utils.aoa_to_sheet(rows.map((row) => row.map((cell) => (cell && typeof cell === "object" ? cell.v : cell))));
    rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (cell && typeof cell === "object") sheet[XLSX.utils.encode_cell({r, c})].z = cell.z;
      })
    );
    if (merges) sheet["!merges"] = merges;
    XLSX.utils.book_append_sheet(book, sheet, name);
  }
  return new Uint8Array(XLSX.write(book, {type: "array", bookType}) as ArrayBuffer);
}

describe("readWorkbook", () => {
  it("reads each non-empty sheet with 1-based row numbers and comma-joined raw text", () => {
    const bytes = workbook({Payments: [["Supplier", "Amount"], ["Acme Ltd", 12.5]], Blank: [], Notes: [["n/a"]]});
    expect(readWorkbook(bytes, "w.xlsx")).toEqual([
      {
        sheet: "Payments",
        records: [
          {cells: ["Supplier", "Amount"], line: 1, raw: "Supplier,Amount"},
          {cells: ["Acme Ltd", "12.5"], line: 2, raw: "Acme Ltd,12.5"}
        ]
      },
      {sheet: "Notes", records: [{cells: ["n/a"], line: 1, raw: "n/a"}]}
    ]);
  });

  it("gives dates as yyyy-mm-dd, whatever their display format or time of day", () => {
    const bytes = workbook({
      S: [
        [{v: 45382, z: "dd/mm/yyyy"}, {v: 45383.75, z: "dd/mm/yyyy hh:mm"}, {v: 45385, z: "d-mmm-yy"}, {v: 1, z: "m/d/yy"}],
        [{v: 61, z: "yyyy-mm-dd"}, {v: 59, z: "yyyy-mm-dd"}, {v: 45382.9999999, z: "dd/mm/yyyy"}, "31/03/2024"]
      ]
    });
    expect(readWorkbook(bytes, "d.xlsx")[0]!.records.map((r) => r.cells)).toEqual([
      ["2024-03-31", "2024-04-01", "2024-04-03", "1900-01-01"],
      ["1900-03-01", "1900-02-28", "2024-04-01", "31/03/2024"]
    ]);
  });

  it("gives a date written from a JavaScript Date as the same calendar day", () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([[new Date(2024, 2, 31)]], {cellDates: true}), "S");
    const bytes = new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx"}) as ArrayBuffer);
    expect(readWorkbook(bytes, "d.xlsx")[0]!.records[0]!.cells).toEqual(["2024-03-31"]);
  });

  it("gives numbers as plain decimals without thousands separators", () => {
    const bytes = workbook({
      S: [
        [{v: 1234.5, z: "#,##0.00"}, {v: 1234567, z: "#,##0"}, {v: -42.1, z: "0.00"}, 0.1 + 0.2],
        [{v: 1234.567, z: "#,##0"}, {v: 0.125, z: "0.0%"}, {v: 123, z: "00000"}, {v: 1500, z: '"£"#,##0.00'}],
        [{v: -1234.5, z: "#,##0.00;(#,##0.00)"}, 1e21, 1e-7, "1,234.50"]
      ]
    });
    expect(readWorkbook(bytes, "n.xlsx")[0]!.records.map((r) => r.cells)).toEqual([
      ["1234.50", "1234567", "-42.10", "0.3"],
      ["1234.567", "0.125", "00123", "1500"],
      ["-1234.5", "1000000000000000000000", "0.0000001", "1,234.50"]
    ]);
  });

  it("keeps a merged header's value in its top-left cell only", () => {
    const bytes = workbook(
      {S: [["Payment", "hidden", "Amount"], ["Date", "Ref", ""], ["2024", "R1", 5]]},
      "xlsx",
      [{s: {r: 0, c: 0}, e: {r: 0, c: 1}}]
    );
    expect(readWorkbook(bytes, "m.xlsx")[0]!.records.map((r) => r.cells)).toEqual([
      ["Payment", "", "Amount"],
      ["Date", "Ref", ""],
      ["2024", "R1", "5"]
    ]);
  });

  it("pads rows to the sheet's width and keeps blank rows between data, numbered by sheet row", () => {
    const bytes = workbook({S: [[], [], ["Title"], [], ["a", "b", "c"], [null, "x"]]});
    expect(readWorkbook(bytes, "p.xlsx")[0]!.records).toEqual([
      {cells: ["Title", "", ""], line: 3, raw: "Title,,"},
      {cells: ["", "", ""], line: 4, raw: ",,"},
      {cells: ["a", "b", "c"], line: 5, raw: "a,b,c"},
      {cells: ["", "x", ""], line: 6, raw: ",x,"}
    ]);
  });

  it("shows booleans and errors as Excel does", () => {
    const book = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet([[true, false]]);
    sheet["C1"] = {t: "e", v: 0x2a, w: "#N/A"};
    sheet["!ref"] = "A1:C1";
    XLSX.utils.book_append_sheet(book, sheet, "S");
    const bytes = new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx"}) as ArrayBuffer);
    expect(readWorkbook(bytes, "b.xlsx")[0]!.records[0]!.cells).toEqual(["TRUE", "FALSE", "#N/A"]);
  });

  it("reads the old binary .xls format the same way", () => {
    const bytes = workbook({S: [["Supplier", "Date", "Amount"], ["Acme", {v: 45382, z: "dd/mm/yyyy"}, {v: 1234.5, z: "#,##0.00"}]]}, "xls");
    expect([...bytes.subarray(0, 4)]).toEqual([0xd0, 0xcf, 0x11, 0xe0]);
    expect(readWorkbook(bytes, "o.xls")).toEqual([
      {
        sheet: "S",
        records: [
          {cells: ["Supplier", "Date", "Amount"], line: 1, raw: "Supplier,Date,Amount"},
          {cells: ["Acme", "2024-03-31", "1234.50"], line: 2, raw: "Acme,2024-03-31,1234.50"}
        ]
      }
    ]);
  });

  it("refuses bytes that are not a spreadsheet, naming the file", () => {
    const error = (() => {
      try {
        readWorkbook(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3]), "bad.xls");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ReadError);
    expect((error as ReadError).file).toBe("bad.xls");
    expect((error as ReadError).reason).toMatch(/^not a readable spreadsheet/);
  });

  it("refuses a workbook that is a ZIP bomb before SheetJS unpacks it", () => {
    const bomb = zipSync({"xl/workbook.xml": strToU8("<workbook/>")});
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let at = bomb.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x02014b50) {
        view.setUint32(at + 24, 3_000_000_000, true);
        break;
      }
    }
    expect(() => readWorkbook(bomb, "bomb.xlsx")).toThrow(
      "bomb.xlsx: ZIP entry xl/workbook.xml would unpack to 3000000000 bytes, over the limit of 1073741824 (ZIP bomb?)"
    );
  });
});
