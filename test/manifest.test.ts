import {mkdtempSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, copyFileSync, existsSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Ajv} from "ajv";
import {describe, expect, it} from "vitest";
import {layoutFor, readManifest, readManifests} from "../pipeline/sources/manifest.ts";
import {councils} from "../pipeline/sources/councils.ts";

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

  it("checks each data folder's manifests against that folder's own schema", () => {
    const bad = write("e.json", {...good, council: {code: "X1", name: "Leeds"}});
    expect(() => readManifest(bad, dir)).toThrow(/field \/council\/code must match pattern/);
    const strict = mkdtempSync(join(tmpdir(), "vcse-manifest-strict-"));
    mkdirSync(join(strict, "sources"));
    writeFileSync(join(strict, "source.schema.json"), JSON.stringify({...schema, required: [...schema.required, "reviewed_by"]}));
    const path = join(strict, "sources", "leeds.json");
    writeFileSync(path, JSON.stringify(good));
    expect(() => readManifest(path, strict)).toThrow(`${path}: field (root) must have required property 'reviewed_by'`);
    expect(() => readManifest(bad, dir)).toThrow(/field \/council\/code must match pattern/);
  });

  it("refuses a path outside the data folder", () => {
    const path = write("c.json", {...good, files: [{period: "2012-04", path: "../../etc/passwd"}]});
    expect(() => readManifest(path, dir)).toThrow(/field \/files\/0\/path/);
  });

  describe("symbolic links", () => {
    // A folder outside the data folder, holding a file the links point at.
    const elsewhere = mkdtempSync(join(tmpdir(), "vcse-elsewhere-"));
    writeFileSync(join(elsewhere, "secret.csv"), "Supplier Name,Payment Date,Amount\nA,01/04/2019,1\n");
    writeFileSync(join(elsewhere, "manifest.json"), JSON.stringify(good));
    mkdirSync(join(dir, "spend", "real"), {recursive: true});
    writeFileSync(join(dir, "spend", "real", "2012-04.csv"), "x\n");
    symlinkSync(join(elsewhere, "secret.csv"), join(dir, "spend", "linked-out.csv"));
    symlinkSync(elsewhere, join(dir, "spend", "linked-dir"));
    symlinkSync(join(dir, "spend", "real", "2012-04.csv"), join(dir, "spend", "linked-in.csv"));
    symlinkSync("/nowhere/at/all.csv", join(dir, "spend", "dangling.csv"));
    const real = realpathSync(join(elsewhere, "secret.csv"));
    const withPath = (name: string, path: string) => write(name, {...good, files: [{period: "2012-04", path: "spend/real/2012-04.csv"}, {period: "2012-05", path}]});

    it("refuses a listed file that is a link to a file outside the data folder, naming the manifest, the field and both paths", () => {
      const path = withPath("e.json", "spend/linked-out.csv");
      expect(() => readManifest(path, dir)).toThrow(`${path}: field /files/1/path leads through a symbolic link outside the data folder: spend/linked-out.csv -> ${real}`);
    });

    it("refuses a listed file under a linked folder that leads outside", () => {
      const path = withPath("f.json", "spend/linked-dir/secret.csv");
      expect(() => readManifest(path, dir)).toThrow(`${path}: field /files/1/path leads through a symbolic link outside the data folder: spend/linked-dir/secret.csv -> ${real}`);
    });

    it("accepts a link that stays inside the data folder, and a dangling link (nothing can be read through it; ingest reports it missing)", () => {
      expect(readManifest(withPath("g.json", "spend/linked-in.csv"), dir).files).toHaveLength(2);
      expect(readManifest(withPath("h.json", "spend/dangling.csv"), dir).files).toHaveLength(2);
    });

    it("refuses a manifest in the sources folder that is itself a link to a file outside, through readManifests too", () => {
      const sources = mkdtempSync(join(tmpdir(), "vcse-linked-sources-"));
      mkdirSync(join(sources, "sources"));
      copyFileSync("data/source.schema.json", join(sources, "source.schema.json"));
      const link = join(sources, "sources", "leeds.json");
      symlinkSync(join(elsewhere, "manifest.json"), link);
      const message = `${link}: is a symbolic link to ${realpathSync(join(elsewhere, "manifest.json"))}, outside the data folder ${realpathSync(sources)}`;
      expect(() => readManifest(link, sources)).toThrow(message);
      expect(() => readManifests(sources)).toThrow(message);
    });
  });

  it("refuses a file that is not JSON", () => {
    const path = write("d.json", "{ not json");
    expect(() => readManifest(path, dir)).toThrow(new RegExp(`${path}: not valid JSON`));
  });
});
