/**
 * Trafford's 360Giving grants register against its payments, ingested into a temporary store: the awards made while
 * the payments run, matched to the recipients the council paid in the year from each award, counted and summed
 * here independently (d3-dsv for the register, SQL on the stored rows, a name normaliser of the test's own) and
 * compared with pipeline/compact/grants.ts. The register readers' errors name the file and row.
 */
import {readFileSync} from "node:fs";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {csvParse} from "d3";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {compareGrants, grantRegisters, readAwards, type GrantsComparison} from "../pipeline/compact/grants.ts";
import {queryRows} from "../pipeline/compact/query.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";

const TRAFFORD = "E08000009";
const REGISTER = "data/grants/trafford/trafford_council_voluntary_sector_grants.csv";

let store: string;
let result: GrantsComparison;

beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), "vcse-grants-test-"));
  await ingest({outDir: store, councils: [TRAFFORD], log: () => {}});
  result = await compareGrants(TRAFFORD, await readAwards(REGISTER), REGISTER, store);
}, 600_000);

afterAll(async () => {
  if (store) await rm(store, {recursive: true, force: true});
});

/** The test's own name key: capitals and digits, without a part in brackets, legal forms or a leading "The". */
const nameKey = (name: string) =>
  name.toUpperCase().replace(/\([^)]*\)/g, " ").replace(/[’']/g, "").replace(/[^A-Z0-9]+/g, " ").trim()
    .replace(/\s+(LIMITED|LTD|CIO|CIC|PLC)$/, "").replace(/^THE\s+/, "").replace(/\s+/g, " ");
const chc = (n: string) => (/^\d{6,7}$/.test(n.trim()) ? `GB-CHC-${Number(n)}` : null);
const coh = (n: string) => (/^[A-Z0-9]{1,8}$/i.test(n.trim()) && n.trim() !== "" ? `GB-COH-${n.trim().toUpperCase().padStart(8, "0")}` : null);

describe("Trafford's grants register beside its payments", () => {
  it("finds the register of the council whose manifest shares its folder's name", () => {
    expect(grantRegisters("data")).toEqual([{council_code: TRAFFORD, files: [join("data", REGISTER.slice(5))]}]);
  });

  it("counts and sums every award and the awards by year as the register has them", () => {
    const rows = csvParse(readFileSync(REGISTER, "utf8").replace(/^\ufeff/, ""));
    expect(result.awards).toBe(rows.length);
    const pence = rows.reduce((s, r) => s + Math.round(Number(r["Amount Awarded"]) * 100), 0);
    expect(Math.round(result.amount * 100)).toBe(pence);
    expect(result.by_year.reduce((s, y) => s + y.awards, 0)).toBe(rows.length);
  });

  it("matches the awards made while the payments run by identifier, then by name, with the pounds counted independently", async () => {
    const [span] = await queryRows((c) => `SELECT min(payment_date)::VARCHAR AS a, max(payment_date)::VARCHAR AS b FROM ${c} WHERE council_code = '${TRAFFORD}'`, store);
    const from = String(span!.a).slice(0, 10);
    const to = String(span!.b).slice(0, 10);
    const suppliers = await queryRows((c) => `SELECT DISTINCT supplier_name, matched_id, charity_number, company_number FROM ${c} WHERE council_code = '${TRAFFORD}'`, store);
    const ids = (s: Record<string, unknown>) => [
      typeof s.matched_id === "string" && /^GB-(CHC|COH)-/.test(s.matched_id) ? s.matched_id : null,
      s.charity_number ? chc(String(s.charity_number)) : null,
      s.company_number ? coh(String(s.company_number)) : null
    ].filter(Boolean);
    const rows = csvParse(readFileSync(REGISTER, "utf8").replace(/^\ufeff/, "")).filter((r) => r["Award Date"]! >= from && r["Award Date"]! <= to);
    expect(rows.length).toBeGreaterThan(0);
    let matched = 0, byId = 0, byName = 0, matchedPence = 0, unmatchedPence = 0, paidPence = 0;
    for (const r of rows) {
      const own = [r["Recipient Org:Identifier"]!.startsWith("GB-") ? r["Recipient Org:Identifier"]!.replace(/^GB-COH-(.+)$/, (_, n) => coh(n)!).replace(/^GB-CHC-(\d+)$/, (_, n) => chc(n)!) : null, chc(r["Recipient Org:Charity Number"]!), coh(r["Recipient Org:Company Number"]!)].filter(Boolean);
      let names = suppliers.filter((s) => ids(s).some((id) => own.includes(id))).map((s) => String(s.supplier_name));
      const how = names.length ? "identifier" : "name";
      if (!names.length) names = suppliers.filter((s) => nameKey(String(s.supplier_name)) === nameKey(r["Recipient Org:Name"]!)).map((s) => String(s.supplier_name));
      const end = `${Number(r["Award Date"]!.slice(0, 4)) + 1}${r["Award Date"]!.slice(4)}`;
      const [paid] = names.length
        ? await queryRows((c) => `SELECT coalesce(sum(amount_pence), 0)::BIGINT AS p FROM ${c} WHERE council_code = '${TRAFFORD}'
            AND supplier_name IN (${names.map((n) => `'${n.replaceAll("'", "''")}'`).join(", ")}) AND payment_date >= '${r["Award Date"]}' AND payment_date < '${end}'`, store)
        : [{p: 0}];
      const award = Math.round(Number(r["Amount Awarded"]) * 100);
      const shown = result.list.find((m) => m.id === r.Identifier)!;
      if (Number(paid!.p) !== 0) {
        matched++;
        matchedPence += award;
        paidPence += Number(paid!.p);
        if (how === "identifier") byId++;
        else byName++;
        expect(shown.matched_by, r["Recipient Org:Name"]).toBe(how);
        expect(Math.round(shown.paid * 100)).toBe(Number(paid!.p));
      } else {
        unmatchedPence += award;
        expect(shown.matched_by, r["Recipient Org:Name"]).toBeNull();
      }
    }
    expect(result.compared.awards).toBe(rows.length);
    expect(result.matched.awards).toBe(matched);
    expect(result.matched.by_identifier).toBe(byId);
    expect(result.matched.by_name).toBe(byName);
    expect(Math.round(result.matched.amount * 100)).toBe(matchedPence);
    expect(Math.round(result.matched.paid * 100)).toBe(paidPence);
    expect(result.unmatched.awards).toBe(rows.length - matched);
    expect(Math.round(result.unmatched.amount * 100)).toBe(unmatchedPence);
    // The awards of 2024-25 (five of £16,666) are all in the payments; both ways of matching are used.
    expect([result.compared.awards, result.matched.awards, byId > 0, byName > 0]).toEqual([5, 5, true, true]);
  });
});

describe("reading a register", () => {
  it("reads the 360Giving JSON form and names the file and row of an award it cannot read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vcse-grants-read-"));
    try {
      const json = join(dir, "grants.json");
      await writeFile(json, JSON.stringify({grants: [{id: "360G-x-1", amountAwarded: 1500.5, awardDate: "2024-05-01", recipientOrganization: [{id: "GB-CHC-1109047", name: "Age UK Trafford"}], grantProgramme: [{title: "Small grants"}]}]}));
      expect(await readAwards(json)).toEqual([{id: "360G-x-1", date: "2024-05-01", amount: 1500.5, recipient: "Age UK Trafford", programme: "Small grants", ids: ["GB-CHC-1109047"], keys: ["AGE UK TRAFFORD"]}]);
      const csv = join(dir, "grants.csv");
      await writeFile(csv, "Identifier,Amount Awarded,Award Date,Recipient Org:Name\n360G-x-1,100,2024-05-01,A\n360G-x-2,lots,2024-05-02,B\n");
      await expect(readAwards(csv)).rejects.toThrow(`${csv}, row 3: Amount Awarded "lots" is not a number`);
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});
