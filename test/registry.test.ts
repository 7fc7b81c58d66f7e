import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {loadRegistry, type Registry} from "../pipeline/classify/registry.ts";
import {charityOrgId, normaliseCharityNumber, normaliseCompanyNumber, normaliseOrgId} from "../pipeline/classify/identifiers.ts";

const REFERENCE = "data/reference";

/** The Commission's publicextract.charity table: tab-separated, header row, columns as in ccew-fields.csv. */
const CCEW_FIXTURE = [
  [
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    "charity_company_registration_number",
    "charity_is_cio"
  ],
  ["5000001", "1209999", "0", "Northern Lights Befriending", "Charitable company", "Registered", "2022-06-01", "", "12345678", "False"],
  ["5000002", "1209999", "1", "Northern Lights Youth Branch", "", "Registered", "2022-06-01", "", "", "False"],
  ["5000003", "1210001", "0", "Old Mill Trust", "Trust", "Removed", "1995-01-01", "2020-01-01", "", "False"],
  ["5000004", "1210002", "0", "Shared Name Trust", "Trust", "Registered", "2022-07-01", "", "", "False"],
  ["5000005", "1210003", "0", "Shared Name Trust", "Trust", "Removed", "1990-01-01", "2019-01-01", "", "False"],
  ["5000006", "1210004", "0", "Twin Name Society", "Other", "Registered", "2022-07-01", "", "", "False"],
  ["5000007", "1210005", "0", "Twin Name Society", "Other", "Registered", "2022-07-02", "", "", "False"],
  ["5000008", "1210006", "0", "St Bede's School", "Charitable company", "Registered", "2022-08-01", "", "", "False"],
  ["5000009", "1210007", "0", "Example Valley NHS Foundation Trust", "Trust", "Registered", "2022-08-01", "", "", "False"],
  ["5000010", "1210008", "0", "Sunnyside Housing Association", "CIO", "Registered", "2022-08-01", "", "", "True"],
  ["5000011", "1210009", "0", "Brookfield Farm Trust", "Trust", "Registered", "2022-09-01", "", "", "False"],
  ["5000012", "1210010", "0", "Harbour Lights Outreach", "CIO", "Registered", "2022-09-01", "", "", "True"]
]
  .map((row) => row.join("\t"))
  .join("\r\n");

const GRANTS_FIXTURE = [
  "Identifier,Title,Amount Awarded,Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity Number,Recipient Org:Company Number",
  "360G-t-1,Grant,1000,GB-COH-99999991,Plain Company Recipient,,99999991",
  "360G-t-2,Grant,500,360G-t-gorgeous,Gorgeous Gorse Hill,,",
  "360G-t-3,Grant,500,GB-LAE-TRF,Trafford Metropolitan Borough Council,,",
  "360G-t-4,Grant,500,360G-t-alias,Alias Test Group,216250,",
  '360G-t-5,Grant,500,GB-COH-99999993,"Footlights, Sale",,',
  '360G-t-6,Grant,500,GB-COH-99999994,"Footlights, Sale",,'
].join("\n");

function writeFixtures(): {ccew: string; grants: string} {
  const dir = mkdtempSync(join(tmpdir(), "vcse-registry-"));
  const ccew = join(dir, "publicextract.charity.txt");
  const grants = join(dir, "grants.csv");
  writeFileSync(ccew, `\uFEFF${CCEW_FIXTURE}\r\n`);
  writeFileSync(grants, GRANTS_FIXTURE);
  return {ccew, grants};
}

describe("normaliseCharityNumber", () => {
  const cases: [string | null, string | null][] = [
    ["1234567", "1234567"],
    ["1234567-1", "1234567"],
    ["312832-6", "312832"],
    ["GB-CHC-1234567", "1234567"],
    ["Charity No. 1234567", "1234567"],
    ["Registered Charity Number: 216250", "216250"],
    [" 216250 ", "216250"],
    ["SC012345", "SC012345"],
    ["GB-SC-SC012345", "SC012345"],
    ["NIC100005", "NIC100005"],
    // Wakefield's 2017 files had their zeros replaced by "N/A".
    ["11N/A7623", "1107623"],
    ["N/A", null],
    ["n/a", null],
    ["Not yet available", null],
    ["Redacted", null],
    ["EXEMPT", null],
    ["", null],
    [null, null],
    ["31192R", null],
    ["SC01996", null],
    ["12345", null],
    ["0", null]
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} -> ${expected}`, () => expect(normaliseCharityNumber(input)).toBe(expected));

  it("makes 360Giving org ids", () => {
    expect(charityOrgId("216250")).toBe("GB-CHC-216250");
    expect(charityOrgId("SC012345")).toBe("GB-SC-SC012345");
    expect(charityOrgId("NIC100005")).toBe("GB-NIC-100005");
  });
});

describe("normaliseCompanyNumber and normaliseOrgId", () => {
  it("pads company numbers to eight characters and refuses placeholders", () => {
    expect(normaliseCompanyNumber("2206442")).toBe("02206442");
    expect(normaliseCompanyNumber("IP16791R")).toBe("IP16791R");
    expect(normaliseCompanyNumber("GB-COH-IP00189C")).toBe("IP00189C");
    expect(normaliseCompanyNumber("SP1935RS")).toBe("SP1935RS");
    expect(normaliseCompanyNumber("IP")).toBeNull();
    expect(normaliseCompanyNumber("02206442")).toBe("02206442");
    expect(normaliseCompanyNumber("sc 123456")).toBe("SC123456");
    expect(normaliseCompanyNumber("CE8706")).toBe("CE008706");
    expect(normaliseCompanyNumber("GB-COH-RS007220")).toBe("RS007220");
    for (const nothing of ["N/A", "", "00000000", "Not yet available", "123456789"]) expect(normaliseCompanyNumber(nothing)).toBeNull();
  });

  it("upper-cases schemes and normalises the number", () => {
    expect(normaliseOrgId("gb-chc-216250")).toBe("GB-CHC-216250");
    expect(normaliseOrgId("GB-COH-2206442")).toBe("GB-COH-02206442");
    expect(normaliseOrgId("GB-LAE-trf")).toBe("GB-LAE-TRF");
    expect(normaliseOrgId("360G-trafford-be_active")).toBe("360G-trafford-be_active");
    expect(normaliseOrgId("S279475")).toBeNull();
    expect(normaliseOrgId("GB-CHC-N/A")).toBeNull();
  });
});

describe("loadRegistry on the real reference data", () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await loadRegistry({referenceDir: REFERENCE});
  });

  it("knows the registered charity numbers in charity_scale.csv", () => {
    expect(registry.charityNumbers.size).toBeGreaterThan(250_000);
    expect(registry.charityNumberStatus(216250)).toBe("registered");
    expect(registry.charityNumberStatus(999999)).toBe("unknown");
    // The lookup is a snapshot: a later, well-formed number is accepted with less confidence.
    expect(registry.charityNumberStatus(1250000)).toBe("newer");
  });

  it("recognises a registered charity number and refuses an invalid one", () => {
    expect(registry.identify({charity_number: "216250"})?.classification).toEqual({
      sector: "vcse",
      kind: "charity",
      basis: "registry_id",
      confidence: 0.95,
      matched_id: "GB-CHC-216250"
    });
    expect(registry.identify({charity_number: "Charity No. 216250-1"})?.classification.matched_id).toBe("GB-CHC-216250");
    expect(registry.identify({charity_number: "999999"})).toBeNull();
    expect(registry.identify({charity_number: "N/A"})).toBeNull();
    expect(registry.identify({charity_number: "1250000"})?.classification.confidence).toBe(0.85);
  });

  it("classifies org ids by scheme", () => {
    const id = (supplier_id: string) => registry.identify({supplier_id});
    expect(id("GB-CHC-216250")?.classification.sector).toBe("vcse");
    expect(id("GB-SC-SC012345")?.classification).toMatchObject({sector: "vcse", kind: "charity"});
    expect(id("GB-NIC-100005")?.classification).toMatchObject({sector: "vcse", kind: "charity"});
    expect(id("GB-LAE-TRF")?.classification).toMatchObject({sector: "public", matched_id: "GB-LAE-TRF"});
    expect(id("GB-LAS-EDI")?.classification.sector).toBe("public");
    expect(id("GB-PLA-E04000001")?.classification.sector).toBe("public");
    expect(id("GB-EDU-123456")?.classification.sector).toBe("public");
    expect(id("GB-UKPRN-10007795")?.classification.sector).toBe("public");
    expect(id("GB-NHS-RXF")?.classification.sector).toBe("public");
    expect(id("GB-MPR-12345R")?.classification).toMatchObject({sector: "vcse", kind: "mutual"});
    expect(id("S279475")).toBeNull();
  });

  it("counts a company as a charity only when the lookups say so", () => {
    // charity-company-numbers.csv: GB-CHC-1000611 = GB-COH-08591698.
    expect(registry.identify({company_number: "8591698"})).toEqual({
      classification: {sector: "vcse", kind: "charity", basis: "registry_id", confidence: 0.95, matched_id: "GB-CHC-1000611"},
      decisive: true
    });
    // cio_company_numbers.csv: CE008706 = 1169028.
    expect(registry.identify({supplier_id: "GB-COH-CE008706"})?.classification.matched_id).toBe("GB-CHC-1169028");
    expect(registry.identify({company_number: "CE999999"})?.classification).toMatchObject({sector: "vcse", kind: "charity"});
    expect(registry.identify({company_number: "RS007220"})?.classification).toMatchObject({sector: "vcse", kind: "mutual"});
    expect(registry.identify({company_number: "OC123456"})?.classification.sector).toBe("private");
    const plain = registry.identify({company_number: "02206442"});
    expect(plain?.decisive).toBe(false);
    expect(plain?.classification).toMatchObject({sector: "private", matched_id: "GB-COH-02206442"});
  });

  it("matches register names exactly on the key, and refuses generic ones", () => {
    // A charity that is also a registered housing provider (rsp-charity-number.csv) is a housing association here.
    expect(registry.lookupName("RICHMOND FELLOWSHIP")).toEqual({
      sector: "housing_association",
      kind: null,
      basis: "registry_name",
      confidence: 0.85,
      matched_id: "GB-CHC-200453"
    });
    // A re-registration (charity-reregistrations.csv) is one organisation, not two.
    expect(registry.lookupName("TOWNSWOMENS GUILDS")?.matched_id).toBe("GB-CHC-1115974");
    // Two live charities share this name (298149 and 1156486): which one is unknown, that it is a charity is not.
    expect(registry.lookupName("CHOICE SUPPORT")).toEqual({
      sector: "vcse",
      kind: "charity",
      basis: "registry_name",
      confidence: 0.75,
      matched_id: "GB-CHC-1156486|GB-CHC-298149"
    });
    expect(registry.lookupName("RICHMOND FELLOWSHIP LEEDS")).toBeNull();
    expect(registry.lookupName("COSTA")).toBeNull();
    expect(registry.nameStats.ambiguous).toBeGreaterThan(0);
  });

  it("also lists a register name without an acronym that spells out the rest, as a weaker alias", () => {
    // charity-company-numbers.csv: GB-CHC-1136594 = FAMILIES AND BABIES (FAB) LTD.
    expect(registry.lookupName("FAMILIES AND BABIES FAB")?.matched_id).toBe("GB-CHC-1136594");
    expect(registry.lookupName("FAMILIES AND BABIES")).toBeNull();
    expect(registry.lookupAlias("FAMILIES AND BABIES")).toEqual({
      sector: "vcse",
      kind: "charity",
      basis: "registry_name",
      confidence: 0.8,
      matched_id: "GB-CHC-1136594"
    });
    // Traps: bracketed words that are not an acronym ("Christian Blind Mission (United Kingdom) Limited")
    // are neither dropped nor kept on their own.
    expect(registry.lookupName("CHRISTIAN BLIND MISSION UNITED KINGDOM")).not.toBeNull();
    expect(registry.lookupAlias("CHRISTIAN BLIND MISSION")).toBeNull();
    expect(registry.lookupAlias("UNITED KINGDOM")).toBeNull();
    expect(registry.lookupAlias("FAB")).toBeNull();
    expect(registry.nameStats.aliases).toBeGreaterThan(0);
  });
});

describe("loadRegistry with a Charity Commission extract and a grants register", () => {
  let registry: Registry;
  beforeAll(async () => {
    const {ccew, grants} = writeFixtures();
    registry = await loadRegistry({referenceDir: REFERENCE, ccewExtract: ccew, grantRegisters: [grants]});
  });

  it("adds the extract's registered numbers, names and company numbers", () => {
    expect(registry.charityNumberStatus(1209999)).toBe("registered");
    expect(registry.lookupName("NORTHERN LIGHTS BEFRIENDING")?.matched_id).toBe("GB-CHC-1209999");
    expect(registry.lookupName("NORTHERN LIGHTS YOUTH BRANCH")?.matched_id).toBe("GB-CHC-1209999");
    expect(registry.identify({company_number: "12345678"})?.classification.matched_id).toBe("GB-CHC-1209999");
  });

  it("uses a removed charity's name only where no registered charity has it", () => {
    expect(registry.lookupName("OLD MILL TRUST")?.matched_id).toBe("GB-CHC-1210001");
    expect(registry.lookupName("SHARED NAME TRUST")?.matched_id).toBe("GB-CHC-1210002");
    expect(registry.lookupName("TWIN NAME SOCIETY")).toMatchObject({sector: "vcse", kind: "charity", confidence: 0.75});
    expect(registry.lookupName("TWIN NAME SOCIETY")?.matched_id).toMatch(/^GB-CHC-\d+\|GB-CHC-\d+$/);
  });

  it("finds a register name spelled with other spaces, and one a longer name starts with", () => {
    expect(registry.lookupSpacing("BROOK FIELD FARM TRUST")).toMatchObject({sector: "vcse", kind: "charity", matched_id: "GB-CHC-1210009", confidence: 0.8});
    expect(registry.lookupSpacing("BROOKFIELD FARM TRUST")).toBeNull();
    expect(registry.lookupContaining("HARBOUR LIGHTS OUTREACH BRADWELL")).toMatchObject({sector: "vcse", matched_id: "GB-CHC-1210010", confidence: 0.65});
    expect(registry.lookupContaining("HARBOUR LIGHTS OUTREACH NORTH EAST")).toMatchObject({matched_id: "GB-CHC-1210010"});
    // Another body ("... Centre"), too many words after the name, or the name itself: no match.
    expect(registry.lookupContaining("HARBOUR LIGHTS OUTREACH CENTRE")).toBeNull();
    expect(registry.lookupContaining("HARBOUR LIGHTS OUTREACH NORTH EAST WEST")).toBeNull();
    expect(registry.lookupContaining("HARBOUR LIGHTS OUTREACH")).toBeNull();
  });

  it("counts grant recipients as VCSE unless their identifier says otherwise", () => {
    expect(registry.lookupName("PLAIN COMPANY RECIPIENT")).toEqual({
      sector: "vcse",
      kind: "other_non_profit",
      basis: "registry_name",
      confidence: 0.8,
      matched_id: "GB-COH-99999991"
    });
    expect(registry.lookupName("GORGEOUS GORSE HILL")).toMatchObject({sector: "vcse", kind: "community_group"});
    expect(registry.lookupName("TRAFFORD METROPOLITAN BOROUGH COUNCIL")).toMatchObject({sector: "public", basis: "registry_name"});
    expect(registry.lookupName("ALIAS TEST GROUP")).toMatchObject({sector: "vcse", kind: "charity", matched_id: "GB-CHC-216250"});
    expect(registry.lookupName("FOOTLIGHTS SALE")).toBeNull();
  });
});
