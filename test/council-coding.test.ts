/**
 * A council's coding as evidence for suppliers nothing else reads: the patterns, and the SQL that applies
 * them to the whole store checked against the JavaScript rule computed apart on the same payments.
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {beforeAll, describe, expect, it} from "vitest";
import {codedSector, codingClassification, CODING_COLUMNS} from "../pipeline/classify/council-coding.ts";
import {flaggedPaymentsFile} from "../pipeline/compact/query.ts";
import {storedTableSql} from "../pipeline/store/store.ts";
import {embeddedStore} from "./embedded-store.ts";

describe("codedSector", () => {
  it.each([
    ["Third party payments relating to Voluntary Organisations", "vcse"],
    ["Grants to Vol Orgs", "vcse"],
    ["CONT VOL BODIES - Age UK Falls prevention", "vcse"],
    ["RESIDENTIAL CARE VOLUNTARY SPOT", "vcse"],
    ["Payments to the Third Sector", "vcse"],
    ["VCS Strategic Annual Grant", "vcse"],
    ["Grants to charities", "vcse"],
    ["Third party payments to other Local Authorities", "public"],
    ["Payts to Other LA's", "public"],
    ["Payment to Government Departments", "public"],
    ["Third party payments to Health Authority", "public"],
    ["Levies", "public"],
    ["Parish Cnl Precepts", "public"]
  ])("%s: %s", (text, sector) => {
    expect(codedSector([text])).toBe(sector);
  });

  it.each(["Voluntary Aided Schools", "Voluntary Redundancy", "Additional Voluntary Contributions", "Volunteer Expenses", "Licences & Levies", "Services Contracts (Private Contractors)", "Charity shop goods"])(
    "%s says nothing of the payee",
    (text) => {
      expect(codedSector([text])).toBeNull();
    }
  );

  it("reads every coding column, voluntary lines first", () => {
    expect(codedSector([null, "Levies", "Grants to voluntary organisations"])).toBe("vcse");
    expect(codedSector([undefined, null, ""])).toBeNull();
  });
});

describe("codingClassification", () => {
  it("needs half the supplier's pounds, by size, under one sector's lines", () => {
    const vol = "Grants to Vol Orgs";
    expect(codingClassification([{texts: [vol], pounds: 500}, {texts: ["Rent"], pounds: 500}])).toMatchObject({sector: "vcse", basis: "council_coding", matched_id: vol});
    expect(codingClassification([{texts: [vol], pounds: 499}, {texts: ["Rent"], pounds: -501}])).toBeNull();
    expect(codingClassification([{texts: ["Rent"], pounds: 100}])).toBeNull();
  });
});

describe("the store's counted payments take the coding evidence", () => {
  type Row = {council_code: string; supplier_key: string; sector: string; basis: string; amount_pence: bigint; texts: (string | null)[]};
  let stored: Row[];
  let flagged: Row[];

  beforeAll(async () => {
    const {dir} = await embeddedStore();
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const columns = `council_code, supplier_key, sector, basis, amount_pence, ${CODING_COLUMNS.join(", ")}`;
    const read = async (relation: string) =>
      (await connection.runAndReadAll(`SELECT ${columns} FROM ${relation}`)).getRowObjects().map((r) => ({
        council_code: r.council_code as string,
        supplier_key: r.supplier_key as string,
        sector: r.sector as string,
        basis: r.basis as string,
        amount_pence: r.amount_pence as bigint,
        texts: CODING_COLUMNS.map((c) => r[c] as string | null)
      }));
    stored = await read(storedTableSql(dir, "payments"));
    flagged = await read(`read_parquet('${(await flaggedPaymentsFile(connection, dir)).replaceAll("'", "''")}')`);
    connection.closeSync();
    instance.closeSync();
  }, 600_000);

  it("changes only unknown suppliers, as the rule computed apart says, and keeps every row and penny", () => {
    expect(flagged.length).toBe(stored.length);
    const sum = (rows: Row[]) => rows.reduce((s, r) => s + r.amount_pence, 0n);
    expect(sum(flagged)).toBe(sum(stored));

    const unknown = new Map<string, {texts: (string | null)[]; pounds: number}[]>();
    for (const r of stored) {
      if (r.sector !== "unknown" || r.supplier_key === "") continue;
      const key = `${r.council_code}|${r.supplier_key}`;
      if (!unknown.has(key)) unknown.set(key, []);
      unknown.get(key)!.push({texts: r.texts, pounds: Number(r.amount_pence) / 100});
    }
    const expected = new Map<string, string>();
    for (const [key, payments] of unknown) {
      const c = codingClassification(payments);
      if (c) expected.set(key, c.sector);
    }
    const got = new Map<string, string>();
    for (const r of flagged) if (r.basis === "council_coding") got.set(`${r.council_code}|${r.supplier_key}`, r.sector);
    // The embedded data has councils coding payments to voluntary organisations and to other public bodies.
    expect(new Set(expected.values())).toEqual(new Set(["vcse", "public"]));
    expect(got).toEqual(expected);

    const counts = (rows: Row[]) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r.sector, (m.get(r.sector) ?? 0) + 1);
      return m;
    };
    const [before, after] = [counts(stored), counts(flagged)];
    const moved = flagged.filter((r) => r.basis === "council_coding").length;
    expect(before.get("unknown")! - after.get("unknown")!).toBe(moved);
    for (const sector of ["private", "housing_association", "individual"]) expect(after.get(sector)).toBe(before.get(sector));
  });

  it("agrees, by pounds, with the sector other evidence gives the suppliers it could judge", () => {
    const suppliers = new Map<string, {sectors: Set<string>; payments: {texts: (string | null)[]; pounds: number}[]}>();
    for (const r of stored) {
      if (r.sector === "unknown" || r.supplier_key === "") continue;
      const key = `${r.council_code}|${r.supplier_key}`;
      if (!suppliers.has(key)) suppliers.set(key, {sectors: new Set(), payments: []});
      const s = suppliers.get(key)!;
      s.sectors.add(r.sector);
      s.payments.push({texts: r.texts, pounds: Number(r.amount_pence) / 100});
    }
    const agreed = {vcse: {same: 0, all: 0}, public: {same: 0, all: 0}};
    for (const s of suppliers.values()) {
      const coded = s.sectors.size === 1 ? codingClassification(s.payments) : null;
      if (!coded) continue;
      const pounds = s.payments.reduce((sum, p) => sum + Math.abs(p.pounds), 0);
      const tally = agreed[coded.sector as "vcse" | "public"];
      tally.all += pounds;
      if (s.sectors.has(coded.sector)) tally.same += pounds;
    }
    for (const [sector, {same, all}] of Object.entries(agreed)) {
      expect(all, sector).toBeGreaterThan(0);
      expect(same / all, sector).toBeGreaterThanOrEqual(0.85);
    }
  });
});
