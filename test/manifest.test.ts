import {mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync, existsSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Ajv} from "ajv";
import {describe, expect, it} from "vitest";
import {layoutFor, readManifest, readManifests} from "../loaders/manifest.ts";
import {councils} from "../loaders/councils.ts";

const schema = JSON.parse(readFileSync("data/source.schema.json", "utf8"));
const files = readdirSync("data/sources").filter((f) => f.endsWith(".json"));

describe("data/sources manifests", () => {
  const validate = new Ajv({allErrors: true, strict: false, validateFormats: false}).compile(schema);

  for (const file of files) {
    it(`${file} is valid against data/source.schema.json`, () => {
      const manifest = JSON.parse(readFileSync(join("data/sources", file), "utf8"));
      expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  it("covers at least ten councils, each an English council in the reference list, named as there", () => {
    const manifests = readManifests("data");
    expect(manifests.length).toBeGreaterThanOrEqual(10);
    const reference = councils("data");
    for (const m of manifests) expect(reference.has(m.council.code), m.council.name).toBe(true);
  });

  it("points at files that exist, each once", () => {
    const paths = readManifests("data").flatMap((m) => m.files.map((f) => f.path));
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(existsSync(join("data", path)), path).toBe(true);
  });

  it("picks the layout in force by start date, or the one a file names", () => {
    const hyndburn = readManifest("data/sources/hyndburn.json");
    expect(layoutFor(hyndburn, {period: "2024-02", path: "x"}).from).toBe("2017-01");
    expect(layoutFor(hyndburn, {period: "2024-03", path: "x"}).from).toBe("2024-03");
    const calderdale = readManifest("data/sources/calderdale.json");
    const card = calderdale.files.find((f) => f.path.includes("card"))!;
    expect(layoutFor(calderdale, card).id).toBe("purchase-card");
  });
});

describe("readManifest errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "vcse-manifest-"));
  mkdirSync(join(dir, "sources"));
  copyFileSync("data/source.schema.json", join(dir, "source.schema.json"));
  const good = JSON.parse(readFileSync("data/sources/leeds.json", "utf8"));
  const write = (name: string, value: unknown) => {
    const path = join(dir, "sources", name);
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
    return path;
  };

  it("names the file and the field", () => {
    const path = write("a.json", {...good, council: {code: "X1", name: "Leeds"}});
    expect(() => readManifest(path, dir)).toThrow(`${path}: field /council/code must match pattern`);
    const noAmount = structuredClone(good);
    delete noAmount.layouts[0].columns.amount;
    expect(() => readManifest(write("b.json", noAmount), dir)).toThrow(/field \/layouts\/0\/columns must have required property 'amount'/);
  });

  it("refuses a path outside the data folder", () => {
    const path = write("c.json", {...good, files: [{period: "2012-04", path: "../../etc/passwd"}]});
    expect(() => readManifest(path, dir)).toThrow(/field \/files\/0\/path/);
  });

  it("refuses a file that is not JSON", () => {
    const path = write("d.json", "{ not json");
    expect(() => readManifest(path, dir)).toThrow(new RegExp(`${path}: not valid JSON`));
  });
});
