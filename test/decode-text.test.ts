import {readFileSync, readdirSync} from "node:fs";
import fc from "fast-check";
import iconv from "iconv-lite";
import {describe, expect, it} from "vitest";
import {decodeText} from "../pipeline/read/decode-text.ts";

const HYNDBURN = new URL("../data/sample/spending/hyndburn/", import.meta.url);
const SPENDING = new URL("../data/sample/spending/", import.meta.url);
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)));

describe("decodeText", () => {
  it("strips a UTF-8 byte order mark", () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], "a,", [0xc2, 0xa3], "5"))).toEqual({text: "a,£5", encoding: "utf-8-bom"});
  });

  it("reads UTF-16 with a byte order mark, either way round", () => {
    expect(decodeText(bytes([0xff, 0xfe, 0x61, 0x00, 0xa3, 0x00]))).toEqual({text: "a£", encoding: "utf-16le"});
    expect(decodeText(bytes([0xfe, 0xff, 0x00, 0x61, 0x00, 0xa3]))).toEqual({text: "a£", encoding: "utf-16be"});
  });

  it("recognises UTF-16 without a byte order mark", () => {
    const text = "Supplier,Amount\r\nAcme,12.50\r\n";
    expect(decodeText(new Uint8Array(Buffer.from(text, "utf16le")))).toEqual({text, encoding: "utf-16le"});
  });

  it("keeps valid UTF-8 as UTF-8", () => {
    expect(decodeText(bytes("Caf", [0xc3, 0xa9], ",", [0xc2, 0xa3], "5\n"))).toEqual({text: "Café,£5\n", encoding: "utf-8"});
    expect(decodeText(bytes("plain ascii"))).toEqual({text: "plain ascii", encoding: "utf-8"});
    expect(decodeText(new Uint8Array(0))).toEqual({text: "", encoding: "utf-8"});
  });

  it("reads 0xA3 as £ in Windows-1252", () => {
    expect(decodeText(bytes("Net Amount(", [0xa3], ")\r\n", [0xa3], "5"))).toEqual({
      text: "Net Amount(£)\r\n£5",
      encoding: "windows-1252"
    });
  });

  it("reads 0x9C as £ (code page 850) when it sits where a pound sign would", () => {
    expect(decodeText(bytes("Net Amount(", [0x9c], ")\r\n"))).toEqual({text: "Net Amount(£)\r\n", encoding: "cp850"});
    expect(decodeText(bytes("paid ", [0x9c], "12.50"))).toEqual({text: "paid £12.50", encoding: "cp850"});
    expect(decodeText(bytes("Caf", [0x82], " ", [0x9c], "3"))).toEqual({text: "Café £3", encoding: "cp850"});
  });

  it("keeps 0x9C as œ (Windows-1252) inside a word or when 0xA3 is present", () => {
    expect(decodeText(bytes("c", [0x9c], "ur"))).toEqual({text: "cœur", encoding: "windows-1252"});
    expect(decodeText(bytes([0x9c], "1,", [0xa3], "2"))).toEqual({text: "œ1,£2", encoding: "windows-1252"});
  });

  it("decodes a file of mixed encodings line by line, keeping the line ends", () => {
    expect(decodeText(bytes("Caf", [0xc3, 0xa9], "\r", [0xa3], "5\r\nok\n", [0xe2, 0x82, 0xac], "1"))).toEqual({
      text: "Café\r£5\r\nok\n€1",
      encoding: "mixed:utf-8+windows-1252"
    });
    expect(decodeText(bytes([0xe2, 0x82, 0xac], "1\r\n", [0x9c], "2\r\n"))).toEqual({
      text: "€1\r\n£2\r\n",
      encoding: "mixed:utf-8+cp850"
    });
  });

  it("treats a UTF-8 BOM file with 8-bit lines as mixed, without the BOM", () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], "a\n", [0xa3], "1\n", [0xc2, 0xa3], "2"))).toEqual({
      text: "a\n£1\n£2",
      encoding: "mixed:utf-8+windows-1252"
    });
  });

  it("recovers every line of a file stitched from UTF-8 and Windows-1252 lines", () => {
    // £ (0xA3) and ü (0xFC) can never start valid UTF-8, so each 8-bit line is unambiguous.
    const line = fc.string({unit: fc.constantFrom("a", "1", ",", " ", "£", "ü"), maxLength: 12});
    const ending = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(fc.array(fc.tuple(line, ending, fc.boolean()), {maxLength: 12}), (lines) => {
        const text = lines.map(([content, end]) => content + end).join("");
        const bytes = Buffer.concat(
          lines.map(([content, end, utf8]) => Buffer.concat([iconv.encode(content, utf8 ? "utf-8" : "windows-1252"), Buffer.from(end)]))
        );
        const decoded = decodeText(new Uint8Array(bytes));
        expect(decoded.text).toBe(text);
        expect(["utf-8", "windows-1252", "mixed:utf-8+windows-1252"]).toContain(decoded.encoding);
      }),
      {numRuns: 3000}
    );
  });

  it("decodes a large mixed file quickly (no per-line blow-up)", () => {
    const line = bytes("Acme Ltd,", [0xa3], "12.50,Caf", [0xc3, 0xa9], "\r\n");
    const utf8Line = bytes("Acme Ltd,", [0xc2, 0xa3], "12.50\r\n");
    const big = new Uint8Array(400_000 * (line.length + utf8Line.length));
    for (let at = 0; at < big.length; at += line.length + utf8Line.length) {
      big.set(line, at);
      big.set(utf8Line, at + line.length);
    }
    const {text, encoding} = decodeText(big);
    expect(encoding).toBe("mixed:utf-8+windows-1252");
    expect(text.slice(0, 48)).toBe("Acme Ltd,£12.50,CafÃ©\r\nAcme Ltd,£12.50\r\nAcme Ltd");
  });

  describe("on real Hyndburn files", () => {
    const files = readdirSync(HYNDBURN).filter((f) => f.endsWith(".csv"));
    const decoded = new Map(files.map((f) => [f, decodeText(readFileSync(new URL(f, HYNDBURN)))]));

    it("reads the DOS code page file's header with a £ (0x9C)", () => {
      const {text, encoding} = decoded.get("1703.csv")!;
      expect(encoding).toBe("cp850");
      expect(text.split("\r\n")[0]).toBe(
        "Service Cost Centre,Account Detail,Description,HBC ref no,Name,Payment date,Net Amount(£)"
      );
    });

    it("finds code page 850 in exactly the five files that have byte 0x9C", () => {
      const cp850 = files.filter((f) => decoded.get(f)!.encoding === "cp850").sort();
      expect(cp850).toEqual(["1703.csv", "1704.csv", "1710.csv", "December-2020.csv", "November-2020.csv"]);
    });

    it("reads a CR-only Windows-1252 file's header with a £ (0xA3)", () => {
      const {text, encoding} = decoded.get("1705.csv")!;
      expect(encoding).toBe("windows-1252");
      expect(text.slice(0, text.indexOf("\r"))).toBe(
        "Service Cost Centre,Account Detail,Description,HBC ref no,Name,Payment date,Net Amount(£)"
      );
    });

    it("strips the BOM of UTF-8 files", () => {
      const {text, encoding} = decoded.get("June-23-csv.csv")!;
      expect(encoding).toBe("utf-8-bom");
      // This file also has a row of bare commas above its header.
      expect(text.slice(0, 28)).toBe(",,,,,,\r\nService Cost Centre,");
    });

    it("produces no replacement characters and no œ anywhere", () => {
      const suspicious = files.filter((f) => /[\ufffdœ]/.test(decoded.get(f)!.text));
      expect(suspicious).toEqual([]);
    });
  });

  describe("bytes an ASCII-only export wrote as \\xNN", () => {
    it("reads them in the code page the escapes themselves point to, and an acute accent as an apostrophe", () => {
      expect(decodeText(bytes("Children\\xB4s,Assets over \\xA35k"))).toEqual({text: "Children's,Assets over £5k", encoding: "utf-8+escaped-bytes"});
      expect(decodeText(bytes("ST CUTHBERT\\xEFS,Assets over \\x9C5k"))).toEqual({text: "ST CUTHBERT'S,Assets over £5k", encoding: "utf-8+escaped-bytes"});
      expect(decodeText(bytes("Caf\\xE9 \\x41"))).toEqual({text: "Café \\x41", encoding: "utf-8+escaped-bytes"});
      expect(decodeText(bytes("C:\\x-files\\xyz"))).toEqual({text: "C:\\x-files\\xyz", encoding: "utf-8"});
    });

    it("leaves none in the embedded councils' files, and each escaped apostrophe becomes the spelling the other files use", () => {
      const files = readdirSync(SPENDING, {recursive: true, encoding: "utf8"}).filter((f) => /\.csv$/i.test(f));
      let escaped = 0;
      let checked = 0;
      for (const file of files) {
        const raw = readFileSync(new URL(file, SPENDING)).toString("latin1");
        const escapedApostrophes = raw.match(/Children\\x(B4|EF)s/gi)?.length ?? 0;
        const plain = raw.match(/Children's/gi)?.length ?? 0;
        const {text} = decodeText(readFileSync(new URL(file, SPENDING)));
        expect(text, file).not.toMatch(/\\x[89a-f][0-9a-f]/i);
        if (!/\\x[89a-f][0-9a-f]/i.test(raw)) continue;
        checked++;
        escaped += escapedApostrophes;
        expect(text.match(/Children's/gi)?.length ?? 0, file).toBe(plain + escapedApostrophes);
        expect(text, file).not.toMatch(/[œ\u00b4]/);
      }
      expect(checked).toBeGreaterThan(20);
      expect(escaped).toBeGreaterThan(15000);
    });
  });
});

