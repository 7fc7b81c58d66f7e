import {describe, expect, it} from "vitest";
import {populationBasis, populationFor, readPopulation} from "../pipeline/reference/population.ts";

describe("readPopulation on the real ONS mid-2022 workbook", () => {
  const embedded = readPopulation("data", null);
  const population = embedded.councils;

  it("is the embedded workbook's MYE4 table: mid-2011 and mid-2022", () => {
    expect(embedded).toMatchObject({source: "embedded", years: [2011, 2022]});
    expect(embedded.titles).toHaveLength(1);
    expect(embedded.titles[0]).toMatch(/MYE4/);
  });

  it("reads every English council and nothing else", () => {
    const byGeography = new Map<string, number>();
    for (const p of population.values()) byGeography.set(p.geography, (byGeography.get(p.geography) ?? 0) + 1);
    // April 2023 boundaries: 317 councils (21 counties, 164 districts, 36 metropolitan, 33 London incl. the City, 63 unitary)
    expect(Object.fromEntries(byGeography)).toEqual({
      "Unitary Authority": 63,
      "Non-metropolitan District": 164,
      "Metropolitan District": 36,
      "London Borough": 33,
      County: 21
    });
    expect([...population.keys()].every((code) => /^E(06|07|08|09|10)\d{6}$/.test(code))).toBe(true);
  });

  it("gives the published mid-2022 and mid-2011 estimates", () => {
    expect(population.get("E08000009")).toEqual({code: "E08000009", name: "Trafford", geography: "Metropolitan District", estimates: {2011: 227091, 2022: 236301}});
    expect(population.get("E09000022")).toMatchObject({estimates: {2011: 304481, 2022: 316812}});
    expect(population.get("E07000120")).toMatchObject({name: "Hyndburn", estimates: {2011: 80549, 2022: 83213}});
  });

  it("has no abolished council: Harrogate (E07000165) became part of North Yorkshire in April 2023", () => {
    expect(population.has("E07000165")).toBe(false);
    expect(population.get("E06000065")).toMatchObject({name: "North Yorkshire", estimates: {2022: 623501}});
  });
});

describe("populationFor", () => {
  const p = {estimates: {2011: 1100, 2022: 2200}};

  it("uses the estimate of the financial year's first calendar year, interpolated between 2011 and 2022", () => {
    expect(populationFor(p, "2011-12")).toBe(1100);
    expect(populationFor(p, "2012-13")).toBe(1200);
    expect(populationFor(p, "2016-17")).toBe(1600);
    expect(populationFor(p, "2021-22")).toBe(2100);
    expect(populationFor(p, "2022-23")).toBe(2200);
  });

  it("holds mid-2022 after 2022 and mid-2011 before 2011", () => {
    expect(populationFor(p, "2025-26")).toBe(2200);
    expect(populationFor(p, "2010-11")).toBe(1100);
  });

  it("explains its basis", () => {
    expect(populationBasis(p, "2019-20")).toBe("mid-2019, interpolated between mid-2011 and mid-2022");
    expect(populationBasis(p, "2022-23")).toBe("mid-2022 estimate");
    expect(populationBasis(p, "2024-25")).toBe("mid-2022 estimate (held)");
    expect(populationBasis(p, "2009-10")).toBe("mid-2011 estimate (held)");
  });

  it("uses a year's own estimate where there is one, and interpolates only between the estimates around a missing year", () => {
    const yearly = {estimates: {2011: 1100, 2012: 1150, 2015: 1450, 2022: 2200}};
    expect(populationFor(yearly, "2012-13")).toBe(1150);
    expect(populationBasis(yearly, "2012-13")).toBe("mid-2012 estimate");
    expect(populationFor(yearly, "2013-14")).toBe(1250);
    expect(populationBasis(yearly, "2013-14")).toBe("mid-2013, interpolated between mid-2012 and mid-2015");
    expect(populationFor(yearly, "2015-16")).toBe(1450);
    expect(populationFor(yearly, "2018-19")).toBeCloseTo(1450 + (750 * 3) / 7, 10);
  });

  it("rejects a label that is not a financial year", () => {
    expect(() => populationFor(p, "FY20")).toThrow();
  });
});
