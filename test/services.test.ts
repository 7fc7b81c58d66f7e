/**
 * Payment types and service groups on embedded councils: Trafford (service areas, ProclassLabel procurement
 * categories, purposes), Wakefield (a "VCSE Grant" column), Calderdale, Oxford and the GLA (service areas and
 * expense types only), ingested into a temporary store. The outputs are checked against the stored rows,
 * classified again here in JavaScript from the same rule list and rule file.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {paymentType} from "../pipeline/classify/payment-type.ts";
import {parseServiceGroups, readServiceGroups, serviceGroup} from "../pipeline/classify/service-groups.ts";
import {paymentTypesSql, servicesSql, unmappedServicesSql} from "../pipeline/compact/services.ts";
import {countedSql, queryRows} from "../pipeline/compact/query.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";

const TRAFFORD = "E08000009";
const WAKEFIELD = "E08000036";
const CALDERDALE = "E08000033";
const OXFORD = "E07000178";
// The Greater London Authority's code is in the reference lists twice.
const GLA = "E61000001";
const COUNCILS = [TRAFFORD, WAKEFIELD, CALDERDALE, OXFORD, GLA];

type Row = Record<string, unknown>;
let store: string;
let services: Row[];
let types: Row[];
let unmapped: Row[];

beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), "vcse-services-test-"));
  await ingest({outDir: store, councils: COUNCILS, log: () => {}});
  services = await queryRows((c) => servicesSql(c), store);
  types = await queryRows((c) => paymentTypesSql(c), store);
  unmapped = await queryRows((c) => unmappedServicesSql(c), store);
}, 600_000);

afterAll(async () => {
  if (store) await rm(store, {recursive: true, force: true});
});

/** Pence per key, from rows with a pence column, summed exactly. */
function sumBy(rows: Row[], key: (r: Row) => string, pence: (r: Row) => bigint): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0n) + pence(r));
  return m;
}
const poundsToPence = (r: Row) => BigInt(Math.round((r.amount as number) * 100));
const storedPence = (r: Row) => BigInt(r.pence as string);
const stored = (select: string) => queryRows(() => `SELECT ${select}, sum(amount_pence)::VARCHAR AS pence FROM (${countedSql(store)}) GROUP BY ALL`, store);

describe("payment type", () => {
  it("reads grants and payments for services from the words councils use", () => {
    expect(paymentType({expense_type: "Grants and subscriptions awarded"})).toEqual({payment_type: "grant", basis: "expense_wording"});
    expect(paymentType({expense_type: "Voluntary Associations"})).toEqual({payment_type: "grant", basis: "expense_wording"});
    expect(paymentType({expense_type: "Contributions to voluntary organisations"})).toEqual({payment_type: "grant", basis: "expense_wording"});
    expect(paymentType({expense_type: "SOCIAL CARE SERVICES : Adult"})).toEqual({payment_type: "services", basis: "expense_wording"});
    expect(paymentType({expense_type: "Other Prof Fees"})).toEqual({payment_type: "services", basis: "expense_wording"});
    expect(paymentType({council_flag: "VCSE Grant", expense_type: "Contracted services"})).toEqual({payment_type: "grant", basis: "council_flag"});
    expect(paymentType({council_flag: "Yes", expense_type: "NA", purpose: "Community grant"})).toEqual({payment_type: "grant", basis: "expense_wording"});
    expect(paymentType({council_flag: "Not yet available", expense_type: "E1234"})).toEqual({payment_type: "unknown", basis: "unknown"});
  });

  it("splits each council's VCSE pounds by type and basis to the penny, as the rules give them row by row", async () => {
    const rows = await stored("council_code, financial_year, council_flag, expense_type, purpose, sector");
    const vcse = rows.filter((r) => r.sector === "vcse");
    const key = (r: Row, t: {payment_type: string; basis: string}) => `${r.council_code} ${r.financial_year} ${t.payment_type} ${t.basis}`;
    const expected = sumBy(vcse, (r) => key(r, paymentType(r as never)), storedPence);
    const got = sumBy(types, (r) => key(r, r as never), poundsToPence);
    expect(got).toEqual(expected);
    expect(types.some((r) => r.council_code === TRAFFORD && r.payment_type === "grant")).toBe(true);
    expect(types.some((r) => r.council_code === TRAFFORD && r.payment_type === "services")).toBe(true);
    for (const year of new Set(types.map((r) => `${r.council_code} ${r.financial_year}`))) {
      const share = types.filter((r) => `${r.council_code} ${r.financial_year}` === year).reduce((s, r) => s + (r.share as number), 0);
      expect(share).toBeCloseTo(1, 9);
    }
  });
});

describe("service groups", () => {
  const rules = readServiceGroups();

  it("maps the first rule that matches, service area before expense type, and never a bare code", () => {
    expect(serviceGroup(rules, {service: "Adult Social Care"})).toBe("adult_social_care");
    expect(serviceGroup(rules, {service: "Adult and Community Education"})).toBe("education");
    expect(serviceGroup(rules, {service: "People (Childrens) Service Group"})).toBe("childrens_social_care");
    expect(serviceGroup(rules, {service: "ZX1042", expense_type: "SOCIAL CARE : Residential Care"})).toBe("adult_social_care");
    expect(serviceGroup(rules, {service: "ZX1042", expense_type: "E1234"})).toBeNull();
  });

  it("says which line of the rule file is wrong", () => {
    expect(() => parseServiceGroups("pattern,group,note\n\\bparks\\b,parks,\n", "rules.csv")).toThrow(/rules\.csv:2: group must be one of/);
    expect(() => parseServiceGroups("pattern,group,note\n(parks,environment,\n", "rules.csv")).toThrow(/rules\.csv:2: pattern "\(parks" is not a regular expression/);
    expect(() => parseServiceGroups("pattern,group,note\n(?=parks),environment,\n", "rules.csv")).toThrow(/rules\.csv:2: .*RE2/);
    expect(() => parseServiceGroups("regex,group\nx,education\n", "rules.csv")).toThrow(/rules\.csv: header must have pattern,group,note/);
  });

  it("adds up per council and year to every counted payment and every sector's pounds, to the penny", async () => {
    const rows = await stored("council_code, financial_year, sector, service, expense_type");
    const key = (r: Row, group: string) => `${r.council_code} ${r.financial_year} ${r.sector} ${group}`;
    expect(sumBy(services, (r) => key(r, r.service_group as string), poundsToPence))
      .toEqual(sumBy(rows, (r) => key(r, serviceGroup(rules, r as never) ?? "unmapped"), storedPence));
    const totals = await stored("council_code, financial_year");
    const byYear = (r: Row) => `${r.council_code} ${r.financial_year}`;
    expect(sumBy(services, byYear, poundsToPence)).toEqual(sumBy(totals, byYear, storedPence));
    expect(new Set(services.map((r) => r.council_code))).toEqual(new Set(COUNCILS));
  });

  it("lists every service area that is not wholly mapped, with its unmapped pounds, and no other", async () => {
    const rows = await stored("council_code, service, expense_type");
    const area = (r: Row) => `${r.council_code} ${r.service ?? "(none)"}`;
    const expected = sumBy(rows.filter((r) => serviceGroup(rules, r as never) === null), area, storedPence);
    expect(sumBy(unmapped, area, poundsToPence)).toEqual(expected);
    expect(unmapped.length).toBe(expected.size);
    const unmappedTotal = services.filter((r) => r.service_group === "unmapped").reduce((s, r) => s + poundsToPence(r), 0n);
    expect([...expected.values()].reduce((s, p) => s + p, 0n)).toBe(unmappedTotal);
    // Most of each council's money is mapped: the rule file is not empty words.
    for (const code of COUNCILS) {
      const all = services.filter((r) => r.council_code === code).reduce((s, r) => s + Math.abs(r.amount as number), 0);
      const none = services.filter((r) => r.council_code === code && r.service_group === "unmapped").reduce((s, r) => s + Math.abs(r.amount as number), 0);
      expect(none / all).toBeLessThan(0.5);
    }
  });
});
