import {readFileSync} from "node:fs";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {decodeText} from "../pipeline/read/decode-text.ts";
import {detectDelimiter, parseCsv} from "../pipeline/read/parse-csv.ts";

const SPENDING = new URL("../data/sample/spending/", import.meta.url);
const cells = (text: string, delimiter?: string) => parseCsv(text, delimiter).map((r) => r.cells);
const lines = (text: string) => parseCsv(text, ",").map((r) => r.line);
const real = (path: string) => {
  const {text} = decodeText(readFileSync(new URL(path, SPENDING)));
  return parseCsv(text, detectDelimiter(text));
};

describe("parseCsv", () => {
  it("splits records and cells, with line numbers and raw text", () => {
    expect(parseCsv("a,b\nc,d\n", ",")).toEqual([
      {cells: ["a", "b"], line: 1, raw: "a,b"},
      {cells: ["c", "d"], line: 2, raw: "c,d"}
    ]);
  });

  it("reads the last record without a final line end, and makes none for a final empty line", () => {
    expect(cells("a,b\nc,d", ",")).toEqual([["a", "b"], ["c", "d"]]);
    expect(cells("a\n", ",")).toEqual([["a"]]);
    expect(cells("", ",")).toEqual([]);
  });

  it("keeps blank lines as records with one empty cell", () => {
    expect(parseCsv("a\n\n\nb\n", ",")).toEqual([
      {cells: ["a"], line: 1, raw: "a"},
      {cells: [""], line: 2, raw: ""},
      {cells: [""], line: 3, raw: ""},
      {cells: ["b"], line: 4, raw: "b"}
    ]);
    expect(cells("\n", ",")).toEqual([[""]]);
  });

  it("handles CR, LF, CRLF and a mix of them", () => {
    expect(cells("a\rb\rc", ",")).toEqual([["a"], ["b"], ["c"]]);
    expect(cells("a\r\nb\r\n", ",")).toEqual([["a"], ["b"]]);
    expect(parseCsv("a\rb\r\nc\nd\r\r\ne", ",").map((r) => [r.raw, r.line])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
      ["d", 4],
      ["", 5],
      ["e", 6]
    ]);
  });

  it("does not trim cells and keeps empty cells, including a trailing one", () => {
    expect(cells(" a , b ,\n,,", ",")).toEqual([[" a ", " b ", ""], ["", "", ""]]);
  });

  it("unquotes fields holding delimiters, doubled quotes and line breaks", () => {
    expect(cells('"a,b","say ""hi""",""\n', ",")).toEqual([["a,b", 'say "hi"', ""]]);
    const records = parseCsv('x,"one\r\ntwo",y\r\nnext,"a\rb\nc",z\n', ",");
    expect(records).toEqual([
      {cells: ["x", "one\r\ntwo", "y"], line: 1, raw: 'x,"one\r\ntwo",y'},
      {cells: ["next", "a\rb\nc", "z"], line: 3, raw: 'next,"a\rb\nc",z'}
    ]);
    expect(lines('"a\n\n\nb"\nc\n')).toEqual([1, 5]);
  });

  it("takes a quote inside an unquoted field literally", () => {
    expect(cells('a,5" pipe,b\nc,it"s "fine",d', ",")).toEqual([
      ["a", '5" pipe', "b"],
      ["c", 'it"s "fine"', "d"]
    ]);
  });

  it("appends text that follows a closing quote on the same line", () => {
    expect(cells('"ab"c,d\n"x" ,y', ",")).toEqual([
      ["abc", "d"],
      ["x ", "y"]
    ]);
  });

  it("ends a record at its first line break when its quote never closes", () => {
    expect(parseCsv('a,"b,c\nd,e\nf,g\n', ",")).toEqual([
      {cells: ["a", '"b', "c"], line: 1, raw: 'a,"b,c'},
      {cells: ["d", "e"], line: 2, raw: "d,e"},
      {cells: ["f", "g"], line: 3, raw: "f,g"}
    ]);
    expect(cells('a,"', ",")).toEqual([["a", '"']]);
  });

  it("does not let a stray opening quote pair with the next line's quote", () => {
    expect(parseCsv('a,"b\nc,"d",e\n', ",")).toEqual([
      {cells: ["a", '"b'], line: 1, raw: 'a,"b'},
      {cells: ["c", "d", "e"], line: 2, raw: 'c,"d",e'}
    ]);
  });

  it("gives up on a quoted field longer than 10,000 lines, losing no rows", () => {
    const body = "y\n".repeat(10_001);
    const records = parseCsv(`x,"start\n${body}z"\nlast\n`, ",");
    expect(records.length).toBe(1 + 10_001 + 2);
    expect(records[0]).toEqual({cells: ["x", '"start'], line: 1, raw: 'x,"start'});
    expect(records[1]).toEqual({cells: ["y"], line: 2, raw: "y"});
    expect(records.at(-2)).toEqual({cells: ['z"'], line: 10_003, raw: 'z"'});
    expect(records.at(-1)).toEqual({cells: ["last"], line: 10_004, raw: "last"});
  });

  it("keeps a quoted field of just under 10,000 lines whole", () => {
    const records = parseCsv(`x,"start\n${"y\n".repeat(9_998)}z"\nlast\n`, ",");
    expect(records.map((r) => r.line)).toEqual([1, 10_001]);
    expect(records[0]!.cells[1]).toBe(`start\n${"y\n".repeat(9_998)}z`);
  });

  it("uses the delimiter it is given, or detects one", () => {
    expect(cells("a;b,c\n1;2,3", ";")).toEqual([["a", "b,c"], ["1", "2,3"]]);
    expect(cells("a\tb\n1\t2")).toEqual([["a", "b"], ["1", "2"]]);
    expect(() => parseCsv("a", '"')).toThrow(RangeError);
  });

  it("parses a large file whole", () => {
    const row = 'Trafford Council,2025-03-31,"VLC (Stairlifts) Limited",3536,3082.50,"Lifts, repairs"\r\n';
    const text = row.repeat(200_000);
    const records = parseCsv(text, ",");
    expect(records.length).toBe(200_000);
    expect(records[199_999]!.cells).toEqual([
      "Trafford Council",
      "2025-03-31",
      "VLC (Stairlifts) Limited",
      "3536",
      "3082.50",
      "Lifts, repairs"
    ]);
  });

  it("round-trips any table written with RFC 4180 quoting and any line ends", () => {
    const field = fc.string({unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\r", "\n", "£", "é"), maxLength: 8});
    const row = fc.array(field, {minLength: 1, maxLength: 5});
    const ending = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(fc.array(fc.tuple(row, ending), {minLength: 1, maxLength: 20}), fc.boolean(), (rows, finalEnd) => {
        const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
        const raws = rows.map(([cells]) => cells.map(quote).join(","));
        // An unterminated empty last line is no line at all.
        if (raws.at(-1) === "") finalEnd = true;
        let text = "";
        const starts: number[] = [];
        rows.forEach(([, end], i) => {
          // CR then an empty line ended by LF would be one CRLF.
          if (end === "\r" && raws[i + 1] === "") end = "\r\n";
          starts.push(text.length);
          text += raws[i]! + (i < rows.length - 1 || finalEnd ? end : "");
        });
        const breaksBefore = (at: number) => (text.slice(0, at).match(/\r\n|\r|\n/g) ?? []).length;
        expect(parseCsv(text, ",")).toEqual(
          rows.map(([cells], i) => ({cells, line: 1 + breaksBefore(starts[i]!), raw: raws[i]}))
        );
      }),
      {numRuns: 2000}
    );
  });

  it("never loses or invents text, whatever the input", () => {
    const messy = fc.string({unit: fc.constantFrom("a", ",", '"', "\r", "\n", " "), maxLength: 60});
    fc.assert(
      fc.property(messy, (text) => {
        const records = parseCsv(text, ",");
        let at = 0;
        for (const record of records) {
          expect(text.startsWith(record.raw, at)).toBe(true);
          at += record.raw.length;
          at += text.startsWith("\r\n", at) ? 2 : at < text.length ? 1 : 0;
        }
        expect(at).toBe(text.length);
      }),
      {numRuns: 5000}
    );
  });

  describe("on real files", () => {
    it("keeps Hyndburn's quoted line breaks inside their cells (Aug 2025, checked with Python's csv)", () => {
      const records = real("hyndburn/Aug-25.csv");
      expect(records.length).toBe(552);
      expect(records.filter((r) => r.cells.length !== 12)).toEqual([]);
      expect(records.filter((r) => r.cells.some((c) => /[\r\n]/.test(c))).length).toBe(123);
      expect(records.at(-1)!.line).toBe(679);
      expect(records.find((r) => r.line === 41)!.cells.some((c) => c.includes("\r\n"))).toBe(true);
    });

    it("reads a Hyndburn file with no header and quoted line breaks (Mar 2025)", () => {
      const records = real("hyndburn/March-25-CSV.csv");
      expect(records.length).toBe(889);
      expect(new Set(records.map((r) => r.cells.length))).toEqual(new Set([17]));
      expect(records.at(-1)!.line).toBe(983);
      expect(records[0]!.cells[16]).toBe("2,730.00");
    });

    it("reads a CR-only Hyndburn file (May 2017)", () => {
      const records = real("hyndburn/1705.csv");
      expect(records.length).toBe(179);
      expect(records.at(-1)!.line).toBe(179);
      expect(records[0]!.cells[6]).toBe("Net Amount(£)");
      expect(records.at(-1)!.cells).toEqual([
        "BANK CHARGES",
        "BANK CHARGES",
        "STREAMLINE",
        "28984",
        "NATWEST BANK",
        "19-May-17",
        "1047.91"
      ]);
    });

    it("counts Lambeth's report lines above the header (Jun 2012)", () => {
      const records = real("lambeth/2012-06-payments.csv");
      expect(records.length).toBe(3171);
      expect(records[9]).toMatchObject({line: 10, cells: ["Body", "Department", "Supplier Name", "Invoice Creation Date", "Invoice Nett Amount", "Subj Description"]});
      expect(records[1]).toEqual({cells: ["", "", "", "", "", ""], line: 2, raw: ",,,,,"});
    });
  });
});

describe("detectDelimiter", () => {
  it("picks the delimiter with a steady count per line", () => {
    expect(detectDelimiter("a,b,c\n1,2,3\n")).toBe(",");
    expect(detectDelimiter("a;b;c\n1,5;2,5;3\n4;5;6")).toBe(";");
    expect(detectDelimiter("name\tamount\nSmith, J\t1,234.00\nJones\t5\n")).toBe("\t");
    expect(detectDelimiter("a|b\n1|2\n")).toBe("|");
  });

  it("ignores delimiters inside quotes", () => {
    expect(detectDelimiter('"a;b;c",d\n"e;f;g",h\n"i;j;k",l\n')).toBe(",");
    expect(detectDelimiter('x;"multi\nline, with, commas";y\nz;w;v\n')).toBe(";");
  });

  it("defaults to a comma when nothing looks like a delimiter", () => {
    expect(detectDelimiter("just one column\nof text\n")).toBe(",");
    expect(detectDelimiter("")).toBe(",");
  });

  it("finds the comma in real files with junk lines and padding columns", () => {
    const lambeth = decodeText(readFileSync(new URL("lambeth/2012-06-payments.csv", SPENDING))).text;
    expect(detectDelimiter(lambeth)).toBe(",");
    const hyndburn = decodeText(readFileSync(new URL("hyndburn/April-2023.csv", SPENDING))).text;
    expect(detectDelimiter(hyndburn)).toBe(",");
  });
});
