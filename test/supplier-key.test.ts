import {describe, expect, it} from "vitest";
import {keyVariants, tradingCompanyHeads, nameWords, supplierKey, tradingNameParts, withoutAcronym} from "../pipeline/classify/supplier-key.ts";

describe("supplierKey", () => {
  // Each group is one supplier spelled several ways: they must share one key.
  const same: [string, string[]][] = [
    ["ACME SERVICES", ["Acme Services Ltd", "ACME SERVICES LIMITED", "Acme Services Ltd.", "acme  services   ltd", " Acme Services, Ltd "]],
    ["SMITH AND SONS", ["Smith & Sons", "SMITH AND SONS PLC", "Smith & Sons LLP", "Smith+Sons"]],
    ["RICHMOND FELLOWSHIP", ["The Richmond Fellowship", "Richmond Fellowship, The", "RICHMOND FELLOWSHIP (THE)"]],
    ["ART WITH HEART", ["Art with Heart CIC", "Art With Heart C.I.C.", "Art with Heart Community Interest Company"]],
    ["HIDDEN TREASURE TRUST", ["Hidden Treasure Trust CIO", "Hidden Treasure Trust Charitable Incorporated Organisation"]],
    ["BARNARDOS", ["Barnardo's", "BARNARDOS", "Barnardo’s", "BARNARDO\\xB4S", "Barnardo´s"]],
    ["AMEY HIGHWAYS LIGHTING WAKEFIELD", ["AMEY HIGHWAYS LIGHTING (WAKEFIELD) LTD", "AMEY HIGHWAYS LIGHTING WAKEFIELD LTD"]],
    ["CAFE ROUGE", ["Café Rouge", "CAFE ROUGE LTD"]],
    ["J SMITH", ["J. Smith", "J Smith"]],
    ["WAKEFIELD AND DISTRICT HOUSING", ["WAKEFIELD & DISTRICT HOUSING RENT A/C", "Wakefield and District Housing Invoice Payments", "Wakefield & District Housing Ltd"]],
    ["BUPA CARE SERVICES", ["BUPA CARE SERVICES ****5215", "Bupa Care Services *1614*", "BUPA CARE SERVS", "Bupa Care Svs Ltd"]],
    ["SALFORD COMMUNITY AND VOLUNTARY SERVICES", ["Salford Comm & Vol Servs", "SALFORD COMMUNITY AND VOLUNTARY SERVICES"]],
    ["TOGETHER TRUST", ["The Together Trst", "TOGETHER TRUST LTD"]],
    ["RIBBLE VALLEY BOROUGH COUNCIL", ["(DD ONLY) Ribble Valley Borough Council", "Ribble Valley Borough Council (Direct Debit Payments)", "[BACS] Ribble Valley Borough Council"]],
    ["OAKWOOD COMMUNITY CENTRE", ["Oakwood Comm Ctr", "OAKWOOD COMMUNITY CENTER", "Oakwood Community Centre #OAK"]]
  ];
  for (const [key, names] of same) {
    it(`joins ${names.length} spellings of ${key}`, () => {
      for (const name of names) expect(supplierKey(name), name).toBe(key);
    });
  }

  it("drops a trailing reference only when it holds a digit", () => {
    expect(supplierKey("Acme Ltd (inv 123)")).toBe("ACME");
    expect(supplierKey("Acme Ltd [PO 4411]")).toBe("ACME");
    expect(supplierKey("Acme Ltd - 2019/20")).toBe("ACME");
    expect(supplierKey("Touchstone - Leeds")).toBe("TOUCHSTONE LEEDS");
    expect(supplierKey("Sport Works (Manchester & Cheshire) Ltd")).toBe("SPORT WORKS MANCHESTER AND CHESHIRE");
  });

  it("keeps legal-form words that are not at the end, and the word The inside a name", () => {
    expect(supplierKey("Ltd Solutions Group")).toBe("LTD SOLUTIONS GROUP");
    expect(supplierKey("Friends of the Earth")).toBe("FRIENDS OF THE EARTH");
  });

  it("keeps a name that is only an account word, and a word that merely starts like an abbreviation", () => {
    expect(supplierKey("Direct Payments")).toBe("DIRECT PAYMENTS");
    expect(supplierKey("Account")).toBe("ACCOUNT");
    expect(supplierKey("Volunteer Centre")).toBe("VOLUNTEER CENTRE");
    expect(supplierKey("Commercial Services")).toBe("COMMERCIAL SERVICES");
  });

  it("keeps separate suppliers apart", () => {
    expect(supplierKey("Mind")).not.toBe(supplierKey("Mindful Ltd"));
    expect(supplierKey("Age UK Leeds")).not.toBe(supplierKey("Age UK Wakefield"));
  });

  it("gives an empty key for names that are only legal forms or punctuation", () => {
    expect(supplierKey("")).toBe("");
    expect(supplierKey("  -- ")).toBe("");
    expect(supplierKey("The Ltd")).toBe("");
  });

  it("is idempotent", () => {
    for (const [, names] of same) for (const name of names) expect(supplierKey(supplierKey(name))).toBe(supplierKey(name));
  });

});

describe("nameWords", () => {
  it("upper-cases, reads & as AND, joins dotted initials and keeps legal forms", () => {
    expect(nameWords("St. Mary's C.I.C. & Co. Ltd")).toBe("ST MARYS CIC AND CO LTD");
    expect(nameWords("ST.MARYS")).toBe("ST MARYS");
  });
});

describe("tradingNameParts", () => {
  it("splits at T/A, T/AS and TRADING AS, in any case", () => {
    expect(tradingNameParts("Witherslack Group Ltd T/A Hall Cliffe School")).toEqual({operator: "Witherslack Group Ltd", trading: "Hall Cliffe School"});
    expect(tradingNameParts("Mr S Nawaz t/as Vision Clothing")).toEqual({operator: "Mr S Nawaz", trading: "Vision Clothing"});
    expect(tradingNameParts("J Bloggs Trading As Bloggs Plumbing")).toEqual({operator: "J Bloggs", trading: "Bloggs Plumbing"});
    expect(tradingNameParts("ADULT PLACEMENT SERVICES LIMITED T / A AVALON")?.trading).toBe("AVALON");
  });

  it("does not split names without the separator or with an empty side", () => {
    expect(tradingNameParts("T A Smith Ltd")).toBeNull();
    expect(tradingNameParts("Tata Steel")).toBeNull();
    expect(tradingNameParts("Trading Standards Institute")).toBeNull();
    expect(tradingNameParts("T/A Bloggs Plumbing")).toBeNull();
  });
});

describe("withoutAcronym and keyVariants", () => {
  it("drops an acronym that spells out the rest of the key, at either end", () => {
    expect(withoutAcronym("CGL CHANGE GROW LIVE")).toBe("CHANGE GROW LIVE");
    expect(withoutAcronym("FAMILIES AND BABIES FAB")).toBe("FAMILIES AND BABIES");
    expect(withoutAcronym("TLC TALK LISTEN CHANGE")).toBe("TALK LISTEN CHANGE");
    expect(withoutAcronym("ROYAL NATIONAL INSTITUTE OF BLIND PEOPLE RNIBP")).toBe("ROYAL NATIONAL INSTITUTE OF BLIND PEOPLE");
    expect(withoutAcronym("TAG THE ACTIVE GROUP")).toBe("ACTIVE GROUP");
    expect(withoutAcronym("BUCKINGHAMSHIRE MILITARY MUSEUM TRUST THE BMMT")).toBe("BUCKINGHAMSHIRE MILITARY MUSEUM TRUST");
  });

  it("keeps words that are not an acronym of their neighbours", () => {
    // Traps: a last word that happens to be short, two-letter initials, a word that is not the initials.
    expect(withoutAcronym("IBM UNITED KINGDOM")).toBeNull();
    expect(withoutAcronym("NATIONAL TRUST NT")).toBeNull();
    expect(withoutAcronym("AGE UK")).toBeNull();
    expect(withoutAcronym("ABC CARE SERVICES")).toBeNull();
    expect(withoutAcronym("CHANGE GROW LIVE")).toBeNull();
  });

  it("offers the trading parts and the spelled-out form, never the key itself", () => {
    expect(keyVariants("CGL (Change, Grow, Live)")).toEqual(["CHANGE GROW LIVE", "CGL"]);
    expect(keyVariants("Adult Placement Services Limited T/A Avalon")).toEqual(["ADULT PLACEMENT SERVICES", "AVALON"]);
    expect(keyVariants("Acme Services Ltd")).toEqual([]);
    expect(keyVariants("")).toEqual([]);
  });

  it("offers a name without the qualifier after it, and the qualifier when it is a name", () => {
    expect(keyVariants("St. Anne's Hall (Riverside Hub)")).toEqual(["ST ANNES HALL", "RIVERSIDE HUB"]);
    expect(keyVariants("Bridging Point (Leeds)")).toEqual(["BRIDGING POINT"]);
    expect(keyVariants("KLC: Kind, Listen, Care")).toEqual(["KIND LISTEN CARE", "KLC"]);
    expect(keyVariants("Harbour Trust - North")).toEqual(["HARBOUR TRUST"]);
    // A qualifier with a digit is a reference, which the key already drops.
    expect(keyVariants("Harbour Trust (inv 2231)")).toEqual([]);
  });

  it("reads a charity's trading company as the charity's name, as written and as a possessive", () => {
    expect(tradingCompanyHeads("Kestrelcare Services Ltd")).toEqual(["KESTRELCARE", "KESTRELCARES"]);
    expect(tradingCompanyHeads("Kestrelcare Trading Limited (North)")).toEqual(["KESTRELCARE", "KESTRELCARES"]);
    expect(tradingCompanyHeads("Thistles Enterprises Ltd")).toEqual(["THISTLES"]);
    expect(tradingCompanyHeads("Acme Services Ltd")).toEqual([]);
    expect(tradingCompanyHeads("Services Ltd")).toEqual([]);
    expect(tradingCompanyHeads("Kestrelcare Ltd")).toEqual([]);
  });
});
