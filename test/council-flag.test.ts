import {describe, expect, it} from "vitest";
import {councilFlag} from "../pipeline/classify/council-flag.ts";

describe("councilFlag", () => {
  const says: [string, string, string | null][] = [
    ["Charity", "vcse", "charity"],
    ["Registered Charity", "vcse", "charity"],
    ["VCSE", "vcse", null],
    ["Voluntary Sector", "vcse", null],
    ["Voluntary & Community Sector", "vcse", null],
    ["Third Sector", "vcse", null],
    ["Social Enterprise", "vcse", null],
    ["Not for profit", "vcse", null],
    ["Community Interest Company", "vcse", "cic"],
    ["Community Group", "vcse", "community_group"],
    ["Faith Group", "vcse", "faith_group"],
    ["Co-operative", "vcse", "mutual"],
    ["Yes", "vcse", null],
    ["Y", "vcse", null],
    ["VCSE Grant", "vcse", null],
    ["Private Sector", "private", null],
    ["Private Sector - SME", "private", null],
    ["Sole Trader", "private", null],
    ["Limited Company", "private", null],
    ["Partnership", "private", null],
    ["Individual", "individual", null],
    ["Private Individual", "individual", null],
    ["Public Sector", "public", null],
    ["Local Authority", "public", null],
    ["NHS", "public", null],
    ["Housing Association", "housing_association", null],
    ["Registered Social Landlord", "housing_association", null]
  ];
  for (const [value, sector, kind] of says) {
    it(`${value} -> ${sector}`, () => {
      expect(councilFlag(value)).toEqual({sector, kind, basis: "council_flag", confidence: 0.97, matched_id: value});
    });
  }

  // Wakefield's "VCSE Grant" column holds only "Not yet available" and blanks; Calderdale's charity column is empty.
  const silent = ["", "  ", "N/A", "n/a", "NA", "Not yet available", "Not Applicable", "Unknown", "Other", "No", "N", "Non-VCSE", "Not VCSE", "TBC", "-"];
  for (const value of silent) it(`${JSON.stringify(value)} says nothing`, () => expect(councilFlag(value)).toBeNull());

  it("takes null and undefined", () => {
    expect(councilFlag(null)).toBeNull();
    expect(councilFlag(undefined)).toBeNull();
  });

  it("keeps the value as published in matched_id", () => {
    expect(councilFlag("  Voluntary Sector ")?.matched_id).toBe("Voluntary Sector");
  });
});
