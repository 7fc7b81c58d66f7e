import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {beforeAll, describe, expect, it} from "vitest";
import {loadRegisters, type Registers} from "../pipeline/classify/registers.ts";
import {loadClassifier, type Classifier} from "../pipeline/classify/classify.ts";
import {supplierKey} from "../pipeline/classify/supplier-key.ts";
import {tempDirs} from "./temp-dirs.ts";

const REFERENCE = "data/reference";
const tempDir = tempDirs();

describe("loadRegisters", () => {
  let cacheDir: string;
  let first: Registers;
  beforeAll(async () => {
    cacheDir = tempDir("registers-cache-");
    first = await loadRegisters(REFERENCE, cacheDir);
  }, 60_000);

  it("holds every distinct key of the charity and CIC name files, and answers the same from its cache", async () => {
    const keys = new Set<string>();
    for (const f of ["charity-names-2016.csv.gz", "cic-names-2016.csv.gz"]) {
      for (const line of gunzipSync(readFileSync(join(REFERENCE, "registers", f))).toString("utf8").split(/\r?\n/)) {
        const key = supplierKey(line.replace(/^"|"$/g, ""));
        if (key.length >= 4) keys.add(key);
      }
    }
    for (const key of keys) expect(first.names.has(key)).toBe(true);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith("registers-"))).toHaveLength(1);
    const again = await loadRegisters(REFERENCE, cacheDir);
    expect(again.names.size).toBe(first.names.size);
    expect([...again.ownSector]).toEqual([...first.ownSector]);
  });

  it("gives each registered housing provider's company number the housing sector", () => {
    const lines = readFileSync(join(REFERENCE, "registers", "rsp-charity-number.csv"), "utf8").split(/\r?\n/).slice(1).filter(Boolean);
    const companies = lines.map((l) => l.split(",")[3]).filter((id): id is string => !!id && /^GB-COH-\d{8}$/.test(id));
    expect(companies.length).toBeGreaterThan(100);
    for (const id of companies) expect(first.ownSector.get(id)).toBe("housing_association");
  });
});

describe("the classifier with the registers", () => {
  let c: Classifier;
  beforeAll(async () => {
    c = await loadClassifier({referenceDir: REFERENCE});
  }, 60_000);

  it("gives a name in upper and in title case the same sector", () => {
    const text = gunzipSync(readFileSync(join(REFERENCE, "registers", "charity-names-2016.csv.gz"))).toString("utf8");
    const sample = text.split(/\r?\n/).filter((_, i) => i % 997 === 0).filter(Boolean);
    expect(sample.length).toBeGreaterThan(150);
    const title = (s: string) => s.toLowerCase().replace(/\b[a-z]/g, (m) => m.toUpperCase());
    for (const name of sample) expect(c.classify({name: title(name)}).sector).toBe(c.classify({name: name.toUpperCase()}).sector);
  });

  it("completes a name cut at a fixed width from the register, with its own basis, but not a whole name that starts a longer one", () => {
    const text = gunzipSync(readFileSync(join(REFERENCE, "registers", "charity-names-2016.csv.gz"))).toString("utf8");
    const long = text.split(/\r?\n/).filter((n) => /^[A-Z ]{40,60}$/.test(n) && !/ (?:LTD|LIMITED)$/.test(n)).filter((_, i) => i % 50 === 0);
    expect(long.length).toBeGreaterThan(20);
    let completed = 0;
    for (const name of long) {
      const cut = c.classify({name: name.slice(0, 35)});
      if (cut.basis === "registry_name_prefix") {
        completed++;
        expect(cut).toMatchObject({sector: "vcse", kind: "charity"});
        expect(cut.confidence).toBeLessThan(c.classify({name}).confidence);
      }
    }
    // Most cut names are specific enough to complete; some share their first 35 characters with other charities.
    expect(completed / long.length).toBeGreaterThan(0.5);
    expect(c.classify({name: "Wakefield Cathedral"}).basis).not.toBe("registry_name_prefix");
  });

  it("reads a register name with a company form as the charitable company, and a bare one only for a voluntary form", () => {
    expect(c.classify({name: "Roundabout Limited"})).toMatchObject({sector: "vcse", basis: "registry_name"});
    expect(c.classify({name: "Seashell Trust Ltd"})).toMatchObject({sector: "vcse", basis: "registry_name"});
    expect(c.classify({name: "Voyage Ltd"}).sector).toBe("private");
  });

  it("reads a register name of two words or more written with a company form as the charity, less surely than the name alone", () => {
    const text = gunzipSync(readFileSync(join(REFERENCE, "registers", "charity-names-2016.csv.gz"))).toString("utf8");
    const names = text.split(/\r?\n/).filter((n) => /^[A-Z]+ [A-Z]+ [A-Z]+$/.test(n) && !/(?:TRUST|FOUNDATION|FELLOWSHIP|MISSION|CHARITY|CHARITABLE)$/.test(n))
      .filter((_, i) => i % 400 === 0);
    expect(names.length).toBeGreaterThan(20);
    let asCharity = 0;
    let lowered = 0;
    for (const name of names) {
      const bare = c.classify({name});
      const limited = c.classify({name: `${name} Ltd`});
      if (bare.basis !== "registry_name" || bare.sector !== "vcse" || limited.sector !== "vcse") continue;
      // A name the register lists with its number is the charitable company as surely as without the form.
      expect(limited.confidence, name).toBeLessThanOrEqual(bare.confidence);
      asCharity++;
      if (limited.confidence < bare.confidence) lowered++;
    }
    // Names that give their kind of body ("... Club", "... Centre") stay as they were.
    expect(asCharity / names.length).toBeGreaterThan(0.3);
    expect(lowered / asCharity).toBeGreaterThan(0.3);
    expect(c.classify({name: "Walk The Plank Ltd"})).toMatchObject({sector: "vcse", kind: "charity", basis: "registry_name", confidence: 0.7});
    // A name that gives its kind of body is shared by many bodies of that kind.
    expect(c.classify({name: "Little Acorns Nursery"}).sector).toBe("vcse");
    expect(c.classify({name: "Little Acorns Nursery Limited"}).sector).toBe("private");
  });

  it("knows registered societies as mutuals, and those that are registered housing providers as housing", () => {
    expect(c.classify({name: "Pegswood and District Social Club and Institute Limited"})).toMatchObject({sector: "vcse", kind: "mutual"});
    expect(c.classify({name: "Housing 21"}).sector).toBe("housing_association");
    expect(c.classify({name: "HOME GROUP LTD"}).sector).toBe("housing_association");
  });

  it("finds charities whose names do not say so, and keeps registered schools and housing providers out of VCSE", () => {
    expect(c.classify({name: "The Together Trust"})).toMatchObject({sector: "vcse", basis: "registry_name"});
    expect(c.classify({name: "THE TOGETHER TRUST"}).sector).toBe("vcse");
    expect(c.classify({name: "Seashell Trust"}).sector).toBe("vcse");
    expect(c.classify({name: "Moorlands School"}).sector).not.toBe("vcse");
  });
});
