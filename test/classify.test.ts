import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {loadClassifier, type Classifier} from "../pipeline/classify/classify.ts";

const REFERENCE = "data/reference";

function fixtures(): {dir: string; overrides: string; ccew: string} {
  const dir = mkdtempSync(join(tmpdir(), "vcse-classify-"));
  const overrides = join(dir, "overrides.csv");
  writeFileSync(
    overrides,
    [
      "supplier,sector,kind,note",
      "Choice Support,vcse,charity,two registered charities share the name; both are charities",
      "ACME WIDGETS,private,,test row: overrides beat everything, including a council flag"
    ].join("\n")
  );
  const ccew = join(dir, "publicextract.charity.txt");
  writeFileSync(
    ccew,
    [
      "registered_charity_number\tlinked_charity_number\tcharity_name\tcharity_registration_status\tcharity_company_registration_number",
      "1210006\t0\tSt Bede's School\tRegistered\t",
      "1210007\t0\tExample Valley NHS Foundation Trust\tRegistered\t",
      "1210008\t0\tSunnyside Housing Association\tRegistered\t",
      "1210009\t0\tRedacted Personal Data\tRegistered\t",
      "1210010\t0\tBlue Sky Befriending Trust\tRegistered\t",
      "1210011\t0\tKestrelcare\tRegistered\t"
    ].join("\n")
  );
  return {dir, overrides, ccew};
}

describe("loadClassifier", () => {
  let c: Classifier;
  beforeAll(async () => {
    const f = fixtures();
    c = await loadClassifier({referenceDir: REFERENCE, overridesPath: f.overrides, ccewExtract: f.ccew});
  });

  it("lets an override win over everything", () => {
    expect(c.classify({name: "Acme Widgets Ltd", council_flag: "Charity", charity_number: "216250"})).toEqual({
      sector: "private",
      kind: null,
      basis: "override",
      confidence: 1,
      matched_id: "ACME WIDGETS"
    });
    expect(c.classify({name: "CHOICE SUPPORT"})).toMatchObject({sector: "vcse", kind: "charity", basis: "override"});
  });

  it("puts a council flag before identifiers and names", () => {
    expect(c.classify({name: "Leeds City Council", council_flag: "Voluntary Sector", charity_number: "216250"})).toMatchObject({
      sector: "vcse",
      basis: "council_flag"
    });
    // A flag that says nothing falls through.
    expect(c.classify({name: "Leeds City Council", council_flag: "Not yet available"})).toMatchObject({sector: "public", basis: "name_rule"});
  });

  it("reads a charity's trading company as the charity, and only a charity's", () => {
    for (const name of ["Kestrelcare Services Ltd", "KESTRELCARE TRADING LIMITED", "Kestrelcare Services Ltd (North)"]) {
      expect(c.classify({name}), name).toMatchObject({sector: "vcse", kind: "charity", basis: "registry_name", matched_id: "GB-CHC-1210011", confidence: 0.8});
    }
    // The head is a housing provider's name, not a charity's: the company form decides.
    expect(c.classify({name: "Sunnyside Housing Association Services Ltd"})).not.toMatchObject({sector: "vcse"});
    expect(c.classify({name: "Kestrelcare Holdings Ltd"})).toMatchObject({sector: "private"});
  });

  it("puts identifiers before names", () => {
    expect(c.classify({name: "Acme Holdings Ltd", charity_number: "216250"})).toMatchObject({
      sector: "vcse",
      kind: "charity",
      basis: "registry_id",
      matched_id: "GB-CHC-216250"
    });
    expect(c.classify({name: "Some Supplier", supplier_id: "GB-LAE-TRF"})).toMatchObject({sector: "public", basis: "registry_id"});
    // A redacted name with a charity number is a charity whose name was withheld.
    expect(c.classify({name: "DETAILS REDACTED", charity_number: "1055488"})).toMatchObject({sector: "vcse", basis: "registry_id"});
    // An invalid number proves nothing: the name decides.
    expect(c.classify({name: "Acme Holdings Ltd", charity_number: "999999"})).toMatchObject({sector: "private", basis: "name_rule"});
  });

  it("lets a name that is never VCSE (statutory, housing, school, professional body) beat a charity number given with it", () => {
    // Wakefield records the NHS trust's charitable fund number against payments to the trust itself.
    expect(c.classify({name: "Bradford District Care NHS Foundation Trust", charity_number: "1130011"})).toMatchObject({
      sector: "public",
      basis: "name_rule",
      matched_id: "nhs"
    });
    expect(c.classify({name: "Sunnyside Housing Association", charity_number: "1210008"})).toMatchObject({sector: "housing_association"});
    // Independent schools and professional bodies are registered charities, but not the sector this counts.
    expect(c.classify({name: "Ackworth School", charity_number: "529280"})).toMatchObject({sector: "public", matched_id: "education"});
    expect(c.classify({name: "Royal Town Planning Institute Yorkshire", charity_number: "262865"})).toMatchObject({sector: "private", matched_id: "professional_body"});
    // A pre-school is not a school in that sense.
    expect(c.classify({name: "Outwood Pre-School", charity_number: "1035211"})).toMatchObject({sector: "vcse"});
  });

  it("puts statutory, housing and individual and education exclusions before register names", () => {
    expect(c.classify({name: "Example Valley NHS Foundation Trust"})).toMatchObject({sector: "public", matched_id: "nhs"});
    expect(c.classify({name: "Sunnyside Housing Association"})).toMatchObject({sector: "housing_association"});
    expect(c.classify({name: "Redacted Personal Data"})).toMatchObject({sector: "individual"});
    // A school is never VCSE, even when it is a registered charity under its own name.
    expect(c.classify({name: "St Bede's School"})).toMatchObject({sector: "public", basis: "name_rule", matched_id: "education"});
    expect(c.classify({name: "St Aidan's School"})).toMatchObject({sector: "public", basis: "name_rule", matched_id: "education"});
  });

  it("puts register names before the other name rules", () => {
    expect(c.classify({name: "Blue Sky Befriending Trust"})).toMatchObject({basis: "registry_name", matched_id: "GB-CHC-1210010"});
    expect(c.classify({name: "THE RICHMOND FELLOWSHIP"})).toMatchObject({sector: "housing_association", basis: "registry_name", matched_id: "GB-CHC-200453"});
    // From the default grants register (Trafford's): a recipient with only a company number.
    expect(c.classify({name: "Cyril Flint Befrienders"})).toMatchObject({sector: "vcse", basis: "registry_name"});
  });

  it("looks a register name up without an acronym, and under either side of a trading name, with less confidence", () => {
    // dual-registered-uk-charities.csv: 1079327 "Change, Grow, Live".
    expect(c.classify({name: "CGL (Change, Grow, Live)"})).toEqual({
      sector: "vcse",
      kind: "charity",
      basis: "registry_name",
      confidence: 0.8,
      matched_id: "GB-CHC-1079327"
    });
    // charity-company-numbers.csv: "FAMILIES AND BABIES (FAB) LTD".
    expect(c.classify({name: "Families and Babies"})).toMatchObject({sector: "vcse", basis: "registry_name", matched_id: "GB-CHC-1136594"});
    // A company trading under a registered charity's name: the register beats the bare company form.
    expect(c.classify({name: "Blue Sky Services Ltd T/A Blue Sky Befriending Trust"})).toMatchObject({
      sector: "vcse",
      basis: "registry_name",
      confidence: 0.8,
      matched_id: "GB-CHC-1210010"
    });
    // Traps: an excluded operator keeps its exclusion; a short trading name is a brand, not a register entry;
    // a university's register alias does not beat the name that says university.
    expect(c.classify({name: "Accord Multi Academy Trust T/A Blue Sky Befriending Trust"})).toMatchObject({sector: "public", matched_id: "education"});
    expect(c.classify({name: "Leeds City Council T/A Blue Sky Befriending Trust"})).toMatchObject({sector: "public", matched_id: "local_authority"});
    expect(c.classify({name: "Acme Coffee Ltd T/A Costa"})).toMatchObject({sector: "private", matched_id: "company_form"});
    // charity-names.csv lists GB-NIC-101788 as "Queen's University Belfast (QUB)".
    expect(c.classify({name: "Queens University Belfast"})).toMatchObject({sector: "public", matched_id: "education"});
  });

  it("knows a council however a finance system writes it, from the list of authorities, and not a place name alone", () => {
    for (const name of ["LB Camden", "L B SOUTHWARK", "London Borough Haringey", "R B Kingston upon Thames", "Royal Bor of Kingston upon Thames", "Wakefield MDC", "City of Wakefield"]) {
      expect(c.classify({name}), name).toMatchObject({sector: "public", matched_id: "local_authority"});
    }
    expect(c.classify({name: "Camden"}).sector).not.toBe("public");
    expect(c.classify({name: "RB Joinery"}).sector).not.toBe("public");
    expect(c.classify({name: "County Durham Community Foundation"}).sector).toBe("vcse");
  });

  it("falls back to name rules, then to a bare company number, then to unknown", () => {
    expect(c.classify({name: "Castleford Cricket Club"})).toMatchObject({sector: "vcse", kind: "sports_club", basis: "name_rule"});
    expect(c.classify({name: "Acme Plumbing", company_number: "02206442"})).toMatchObject({
      sector: "private",
      basis: "registry_id",
      confidence: 0.7,
      matched_id: "GB-COH-02206442"
    });
    // A VCSE name rule is stronger evidence than a bare company number (CICs are companies too).
    expect(c.classify({name: "Art with Heart CIC", company_number: "09281882"})).toMatchObject({sector: "vcse", kind: "cic"});
    expect(c.classify({name: "Acme Zephyr"})).toEqual({sector: "unknown", kind: null, basis: "none", confidence: 0, matched_id: null});
    expect(c.classify({name: ""})).toMatchObject({sector: "unknown", basis: "none"});
  });

  it("answers each spelling the same way whatever the order it meets them in", () => {
    const first = c.classify({name: "Wakefield Widgets CIC"});
    const second = c.classify({name: "Wakefield Widgets Ltd"});
    expect(first.sector).toBe("vcse");
    expect(second.sector).toBe("private");
    expect(c.classify({name: "WAKEFIELD WIDGETS CIC"})).toEqual(first);
  });

  it("returns a copy, so a caller cannot change the cache", () => {
    const a = c.classify({name: "Wakefield Hospice"});
    a.sector = "private";
    expect(c.classify({name: "Wakefield Hospice"}).sector).toBe("vcse");
  });
});

describe("loadClassifier switches", () => {
  it("ignores council flags and identifiers when told to", async () => {
    const c = await loadClassifier({referenceDir: REFERENCE, useCouncilFlags: false, useIdentifiers: false, grantRegisters: []});
    expect(c.classify({name: "Acme Holdings Ltd", council_flag: "Charity", charity_number: "216250"})).toMatchObject({
      sector: "private",
      basis: "name_rule"
    });
    // Without the grants register, a recipient known only from it is no longer recognised.
    expect(c.classify({name: "Cyril Flint Befrienders"}).basis).toBe("name_rule");
  });

  it("refuses an overrides file that is named but missing, or malformed", async () => {
    await expect(loadClassifier({referenceDir: REFERENCE, overridesPath: "/nonexistent/overrides.csv"})).rejects.toThrow();
    const dir = mkdtempSync(join(tmpdir(), "vcse-overrides-"));
    const bad = join(dir, "overrides.csv");
    writeFileSync(bad, "supplier,sector,kind,note\nAcme,charity,,wrong sector\n");
    await expect(loadClassifier({referenceDir: REFERENCE, overridesPath: bad})).rejects.toThrow(/sector must be one of/);
    writeFileSync(bad, "supplier,sector,kind,note\nAcme,private,,\n");
    await expect(loadClassifier({referenceDir: REFERENCE, overridesPath: bad})).rejects.toThrow(/needs a note/);
    writeFileSync(bad, "supplier,sector,kind,note\nAcme,private,charity,kind only for vcse\n");
    await expect(loadClassifier({referenceDir: REFERENCE, overridesPath: bad})).rejects.toThrow(/kind must be empty/);
  });

  it("reads the project's own overrides file", async () => {
    await expect(loadClassifier({referenceDir: REFERENCE, overridesPath: "data/overrides.csv"})).resolves.toBeDefined();
  });
});
