import {spawnSync} from "node:child_process";
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {manifestFor} from "../pipeline/compact/council.ts";
import {AUTHORITY_CODE} from "../pipeline/sources/authority-code.ts";
import {councils} from "../pipeline/sources/councils.ts";
import {readManifests} from "../pipeline/sources/manifest.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();

describe("authority codes", () => {
  it("accepts every kind of English authority bound by the Code, the Greater London Authority among them", () => {
    for (const code of ["E06000014", "E07000120", "E08000003", "E09000022", "E10000014", "E47000001", "E61000001"]) expect(AUTHORITY_CODE.test(code), code).toBe(true);
    for (const code of ["E05000001", "E11000001", "E12000007", "W06000015", "S12000036", "E0600001", "E060000140", "e06000014"]) expect(AUTHORITY_CODE.test(code), code).toBe(false);
  });

  it("is the pattern the manifest schema checks council codes with", () => {
    const schema = JSON.parse(readFileSync("data/source.schema.json", "utf8")) as {properties: {council: {properties: {code: {pattern: string}}}}};
    expect(schema.properties.council.properties.code.pattern).toBe(AUTHORITY_CODE.source);
  });

  it("gives the Greater London Authority its own authority type in the council list", () => {
    expect(councils().get("E61000001")).toEqual({code: "E61000001", name: "Greater London Authority", type: "GLA", region: "London"});
    expect(councils().get("E08000003")).toMatchObject({name: "Manchester", type: "MD"});
  });

  it("lets a manifest, the site's data and the command line take a county's or the GLA's code", () => {
    const data = temp("vcse-authority-");
    mkdirSync(join(data, "sources"));
    mkdirSync(join(data, "reference/local-authorities"), {recursive: true});
    copyFileSync("data/source.schema.json", join(data, "source.schema.json"));
    for (const list of ["uk_local_authorities.csv", "other_authorities.csv"]) copyFileSync(join("data/reference/local-authorities", list), join(data, "reference/local-authorities", list));
    writeFileSync(join(data, "spend-2021-04.csv"), "Payment Date,Vendor Name,Amount\n01/04/2021,Peabody Trust,1500.00\n");
    const manifest = (code: string, name: string) => ({council: {code, name}, publisher: name, licence: "OGL v3.0", layouts: [{from: "2021-04", columns: {amount: ["Amount"], supplier_name: ["Vendor Name"], payment_date: ["Payment Date"]}}], files: [{period: "2021-04", path: "spend-2021-04.csv"}]});
    writeFileSync(join(data, "sources/gla.json"), JSON.stringify(manifest("E61000001", "Greater London Authority")));
    writeFileSync(join(data, "sources/county.json"), JSON.stringify(manifest("E10000014", "Hampshire County Council")));
    expect(readManifests(data).map((m) => m.council.code)).toEqual(["E10000014", "E61000001"]);
    expect(manifestFor("E61000001", data).council.name).toBe("Greater London Authority");
    expect(manifestFor("E10000014", data).council.name).toBe("Hampshire County Council");
    expect(() => manifestFor("E12000007", data)).toThrow(/unknown council code "E12000007"/);
    const run = spawnSync("node", ["bin/vcse-spend.js", "ingest", "--council", "E61000001", "--files", join(data, "spend-2021-04.csv"), "--out", temp("vcse-authority-store-"), "--json"], {encoding: "utf8"});
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).councils[0]).toMatchObject({council: "E61000001", council_name: "Greater London Authority", kept: 1, amount_kept: "1500.00"});
  });
});
