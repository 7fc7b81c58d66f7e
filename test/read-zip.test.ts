import {readFileSync} from "node:fs";
import {strToU8, zipSync} from "fflate";
import {describe, expect, it} from "vitest";
import {ReadError} from "../pipeline/read/read-error.ts";
import {listZip, readZip} from "../pipeline/read/read-zip.ts";

const TRAFFORD = new URL("../data/sample/spending/trafford/", import.meta.url);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Overwrites a field of the (first) central directory header, as a hostile or broken archiver might. */
function patchCentral(zip: Uint8Array, field: number, value: number, size: 2 | 4): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let at = copy.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x02014b50) {
      if (size === 2) view.setUint16(at + field, value, true);
      else view.setUint32(at + field, value, true);
      return copy;
    }
  }
  throw new Error("no central directory header");
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

describe("readZip", () => {
  it("unpacks stored and deflated entries, skipping folders and __MACOSX", () => {
    const zip = zipSync({
      "a.csv": [strToU8("x,y\n1,2\n"), {level: 0}],
      "sub": {"b.txt": strToU8("hello ".repeat(100))},
      "empty-folder": {},
      "__MACOSX": {"._a.csv": strToU8("resource fork")},
      "café.csv": strToU8("c")
    });
    const entries = readZip(zip, "z.zip").map((e) => [e.name, text(e.bytes)]);
    expect(entries).toEqual([
      ["a.csv", "x,y\n1,2\n"],
      ["sub/b.txt", "hello ".repeat(100)],
      ["café.csv", "c"]
    ]);
  });

  it("returns nothing for an empty archive", () => {
    expect(readZip(zipSync({}), "empty.zip")).toEqual([]);
  });

  it("refuses something that is not a ZIP, or a truncated one", () => {
    const zip = zipSync({"a.csv": strToU8("a,b\n".repeat(1000))});
    expect(refusal(() => readZip(strToU8("not a zip at all, just text"), "x.zip")).message).toBe(
      "x.zip: not a complete ZIP archive (no end-of-archive record: truncated or damaged)"
    );
    expect(refusal(() => readZip(zip.subarray(0, zip.length - 30), "t.zip")).reason).toMatch(/truncated/);
    expect(refusal(() => readZip(zip.subarray(20), "t.zip")).reason).toMatch(/damaged|truncated/);
  });

  it("refuses damaged compressed data or a wrong checksum", () => {
    const zip = zipSync({"a.csv": strToU8("supplier,amount\n".repeat(5000))});
    const damaged = zip.slice();
    damaged[60] = damaged[60]! ^ 0xff;
    expect(refusal(() => readZip(damaged, "d.zip")).reason).toMatch(/^ZIP entry a\.csv: (damaged|checksum|unpack)/);
    expect(refusal(() => readZip(patchCentral(zip, 16, 12345, 4), "c.zip")).reason).toBe(
      "ZIP entry a.csv: checksum mismatch (damaged archive)"
    );
  });

  it("refuses entry names that are absolute or climb out with ..", () => {
    expect(refusal(() => readZip(zipSync({"../evil.csv": strToU8("x")}), "e.zip")).reason).toBe(
      'ZIP entry climbs out of the archive with "..": ../evil.csv'
    );
    expect(refusal(() => readZip(zipSync({"a\\..\\..\\evil.csv": strToU8("x")}), "e.zip")).reason).toMatch(/"\.\."/);
    expect(refusal(() => readZip(zipSync({"/etc/passwd": strToU8("x")}), "e.zip")).reason).toBe(
      "ZIP entry has an absolute path: /etc/passwd"
    );
    expect(refusal(() => readZip(zipSync({"C:/x.csv": strToU8("x")}), "e.zip")).reason).toMatch(/absolute path/);
  });

  it("refuses an entry declared bigger than the per-entry limit", () => {
    const bomb = zipSync({"zeros.csv": new Uint8Array(5_000_000)});
    expect(bomb.length).toBeLessThan(10_000);
    const error = refusal(() => readZip(bomb, "b.zip", {maxEntryBytes: 1_000_000}));
    expect(error.message).toBe(
      "b.zip: ZIP entry zeros.csv would unpack to 5000000 bytes, over the limit of 1000000 (ZIP bomb?)"
    );
    expect(readZip(bomb, "b.zip")[0]!.bytes.length).toBe(5_000_000);
  });

  it("refuses archives over the total size or entry count limits", () => {
    const two = zipSync({"a.csv": new Uint8Array(600_000), "b.csv": new Uint8Array(600_000)});
    expect(refusal(() => readZip(two, "t.zip", {maxTotalBytes: 1_000_000})).reason).toBe(
      "ZIP archive would unpack to more than 1000000 bytes in all (ZIP bomb?)"
    );
    const three = zipSync({"a": strToU8("1"), "b": strToU8("2"), "c": strToU8("3")});
    expect(refusal(() => readZip(three, "n.zip", {maxEntries: 2})).reason).toBe(
      "ZIP archive has 3 entries, more than the limit of 2"
    );
  });

  it("stops an entry that inflates to more than it declared", () => {
    const zip = zipSync({"liar.csv": new Uint8Array(3_000_000).fill(0x61)});
    expect(refusal(() => readZip(patchCentral(zip, 24, 1000, 4), "l.zip")).reason).toBe(
      "ZIP entry liar.csv: unpacks to more than its declared 1000 bytes (ZIP bomb or damaged archive)"
    );
    expect(refusal(() => readZip(patchCentral(zip, 24, 3_000_001, 4), "l.zip")).reason).toBe(
      "ZIP entry liar.csv: unpacked 3000000 bytes, but 3000001 were declared"
    );
  });

  it("refuses encrypted entries and unknown compression methods", () => {
    const zip = zipSync({"a.csv": strToU8("a,b,c\n".repeat(100))});
    expect(refusal(() => readZip(patchCentral(zip, 8, 0x1, 2), "p.zip")).reason).toBe("ZIP entry a.csv is encrypted");
    expect(refusal(() => readZip(patchCentral(zip, 10, 12, 2), "m.zip")).reason).toBe(
      "ZIP entry a.csv uses unsupported compression method 12"
    );
  });

  it("lists entries with declared sizes without unpacking", () => {
    const zip = zipSync({"a.csv": new Uint8Array(1234), "dir": {}});
    expect(listZip(zip, "z.zip").map((e) => [e.name, e.size, e.method])).toEqual([["a.csv", 1234, 8]]);
  });

  it("unpacks Trafford's real 2026-27 archive", () => {
    const entries = readZip(readFileSync(new URL("trafford-supplier-spend-2026-27.zip", TRAFFORD)), "trafford.zip");
    expect(entries.map((e) => [e.name, e.bytes.length])).toEqual([["trafford-supplier-spend-2026-27.csv", 9_655_249]]);
    expect(text(entries[0]!.bytes.subarray(0, 36))).toBe("OrganisationLabel,OrganisationURI,Ef");
  });
});
