import * as XLSX from "@e965/xlsx";
import {strToU8, zipSync} from "fflate";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {ReadError} from "../pipeline/read/read-error.ts";
import {readBytes, readPath} from "../pipeline/read/read-file.ts";

const SPENDING = fileURLToPath(new URL("../data/sample/spending/", import.meta.url));

function xlsx(rows: (string | number)[][], bookType: XLSX.BookType = "xlsx"): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "Sheet1");
  return new Uint8Array(XLSX.write(book, {type: "array", bookType}) as ArrayBuffer);
}

function refusal(run: () => unknown): ReadError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReadError) return error;
    throw error;
  }
  throw new Error("expected a ReadError");
}

describe("readBytes", () => {
  it("reads CSV text into one table", () => {
    expect(readBytes(strToU8("Supplier,Amount\r\nAcme,5\r\n"), "p.csv")).toEqual([
      {
        entry: "p.csv",
        encoding: "utf-8",
        delimiter: ",",
        records: [
          {cells: ["Supplier", "Amount"], line: 1, raw: "Supplier,Amount"},
          {cells: ["Acme", "5"], line: 2, raw: "Acme,5"}
        ]
      }
    ]);
  });

  it("decodes and detects the delimiter", () => {
    const [table] = readBytes(new Uint8Array([...strToU8("Name;Amount\nA;"), 0xa3, ...strToU8("5\n")]), "s.csv");
    expect(table).toMatchObject({encoding: "windows-1252", delimiter: ";"});
    expect(table!.records[1]!.cells).toEqual(["A", "£5"]);
  });

  it("refuses an empty file", () => {
    expect(refusal(() => readBytes(new Uint8Array(0), "e.csv")).message).toBe("e.csv: empty file (0 bytes)");
  });

  it("refuses an HTML page saved under a data file's name", () => {
    for (const page of ["<!DOCTYPE html>\n<html><body>Not found</body></html>", "\r\n  <html lang=en><head>"]) {
      expect(refusal(() => readBytes(strToU8(page), "404.csv")).message).toBe(
        "404.csv: looks like an HTML page, not a data file"
      );
    }
    // A CSV that merely mentions a tag is still a CSV.
    expect(readBytes(strToU8("note\n<html> in a cell\n"), "ok.csv")[0]!.records.length).toBe(2);
  });

  it("refuses binary garbage, a PDF and a gzip file", () => {
    expect(refusal(() => readBytes(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), "c.csv.gz")).reason).toBe(
      "gzip-compressed file: unpack it first"
    );
    const garbage = new Uint8Array(2048).map((_, i) => (i * 7919) % 256);
    expect(refusal(() => readBytes(garbage, "g.csv")).reason).toBe(
      "binary content, not text or a known spreadsheet format"
    );
    expect(refusal(() => readBytes(new Uint8Array([0, 1, 2, 3, 0, 0, 5]), "n.csv")).reason).toMatch(/^binary content/);
    expect(refusal(() => readBytes(strToU8("%PDF-1.7\n..."), "r.csv")).reason).toBe(
      "looks like a PDF document, not a data file"
    );
  });

  it("reads a workbook by its content, whatever its name says", () => {
    const tables = readBytes(xlsx([["Supplier", "Amount"], ["Acme", 5]]), "misnamed.csv");
    expect(tables).toEqual([
      {
        entry: "misnamed.csv#Sheet1",
        encoding: "xlsx",
        delimiter: "",
        records: [
          {cells: ["Supplier", "Amount"], line: 1, raw: "Supplier,Amount"},
          {cells: ["Acme", "5"], line: 2, raw: "Acme,5"}
        ]
      }
    ]);
    expect(readBytes(xlsx([["a"]], "xls"), "old.xls")).toMatchObject([{entry: "old.xls#Sheet1", encoding: "xls"}]);
    expect(readBytes(xlsx([["a"]], "ods"), "libre.ods")).toMatchObject([
      {entry: "libre.ods#Sheet1", encoding: "ods", records: [{cells: ["a"], line: 1, raw: "a"}]}
    ]);
  });

  it("reads the CSV and spreadsheet entries of a ZIP, ignoring other files", () => {
    const zip = zipSync({
      "README.pdf": strToU8("%PDF-1.4"),
      "data": {"a.csv": strToU8("x,y\n1,2\n"), "b.TSV": strToU8("p\tq\n")},
      "c.xlsx": xlsx([["s"]]),
      "inner.zip": zipSync({"d.txt": strToU8("only")})
    });
    const tables = readBytes(zip, "z.zip");
    expect(tables.map((t) => [t.entry, t.delimiter, t.records.map((r) => r.raw)])).toEqual([
      ["z.zip!data/a.csv", ",", ["x,y", "1,2"]],
      ["z.zip!data/b.TSV", "\t", ["p\tq"]],
      ["z.zip!c.xlsx#Sheet1", "", ["s"]],
      ["z.zip!inner.zip!d.txt", ",", ["only"]]
    ]);
  });

  it("refuses a ZIP with no data files, an empty entry, or a bomb", () => {
    expect(refusal(() => readBytes(zipSync({"a.pdf": strToU8("x")}), "z.zip")).message).toBe(
      "z.zip: ZIP archive holds no CSV or spreadsheet files (found: a.pdf)"
    );
    expect(refusal(() => readBytes(zipSync({}), "e.zip")).reason).toBe(
      "ZIP archive holds no CSV or spreadsheet files (it is empty)"
    );
    expect(refusal(() => readBytes(zipSync({"a.csv": new Uint8Array(0)}), "z.zip")).message).toBe(
      "z.zip!a.csv: empty file (0 bytes)"
    );
    const bomb = zipSync({"a.csv": new Uint8Array(1000)});
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let at = bomb.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 2_000_000_000, true);
    }
    expect(refusal(() => readBytes(bomb, "b.zip")).reason).toMatch(/ZIP bomb/);
  });
});

describe("readPath", () => {
  it("reads Trafford's 2026-27 ZIP as one CSV table (count checked with Python's zipfile + csv)", async () => {
    const path = `${SPENDING}trafford/trafford-supplier-spend-2026-27.zip`;
    const tables = await readPath(path, "trafford-2026-27.zip");
    expect(tables.map((t) => [t.entry, t.encoding, t.delimiter, t.records.length])).toEqual([
      ["trafford-2026-27.zip!trafford-supplier-spend-2026-27.csv", "utf-8", ",", 38_056]
    ]);
    const records = tables[0]!.records;
    expect(records.filter((r) => r.cells.length !== 16)).toEqual([]);
    expect(records[0]!.cells.slice(0, 3)).toEqual(["OrganisationLabel", "OrganisationURI", "EffectiveDate"]);
    expect(records.at(-1)!.line).toBe(38_056);
  });

  it("names the table after the path when no name is given", async () => {
    const path = `${SPENDING}hyndburn/1703.csv`;
    const [table] = await readPath(path);
    expect(table!.entry).toBe(path);
    expect(table!.encoding).toBe("cp850");
    expect(table!.records[0]!.cells[6]).toBe("Net Amount(£)");
    expect(table!.records.length).toBe(257);
  });

  it("passes file system errors through unchanged", async () => {
    await expect(readPath(`${SPENDING}no-such-file.csv`)).rejects.toThrow(/ENOENT/);
  });
});
