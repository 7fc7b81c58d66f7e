import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilsData, latestYears, manifestFor, PAGE_RECIPIENTS, rankCouncils, recipientChanges, type CouncilYear, type CouncilsData, type Recipient} from "../pipeline/compact/council.ts";
import {flaggedSql} from "../pipeline/compact/query.ts";
import {BASES} from "../pipeline/types.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {councilHeadline, dataAge, monthsText, ordinal} from "../src/components/council-headline.js";
import {namedStreams} from "../pipeline/compact/council-streams.ts";

const year = (financial_year: string, vcse: number, months = 12, share: number | null = 0.1): CouncilYear => ({
  financial_year, months, full: months === 12, first_month: null, last_month: null, vcse, total: vcse / (share ?? 1),
  share, vcse_real: null, population: null, vcse_payments: 1, vcse_recipients: 1
});

const recipient = (key: string, amounts: (number | null)[]): Recipient => ({key, name: key.toUpperCase(), kind: "charity", basis: "registry_name", matched_id: null, amounts});

describe("recipientChanges", () => {
  const years = ["2017-18", "2018-19", "2019-20"];
  const recipients = [
    recipient("kept", [100, 200, 300]),
    recipient("new", [null, 50, 60]),
    recipient("gone", [70, null, null]),
    recipient("refunded", [40, -5, null]),
    recipient("late", [null, null, 10])
  ];

  it("compares consecutive full years only", () => {
    const changes = recipientChanges(recipients, years, new Set(["2017-18", "2018-19"]));
    expect(changes).toHaveLength(1);
    const [c] = changes;
    expect(c!.from).toBe("2017-18");
    expect(c!.to).toBe("2018-19");
    expect(c!.gained).toEqual({count: 1, amount: 50, top: [{key: "new", name: "NEW", amount: 50}]});
    // A net credit note is not a payment: "refunded" was lost.
    expect(c!.lost.count).toBe(2);
    expect(c!.lost.amount).toBe(110);
    expect(c!.lost.top.map((r) => r.key)).toEqual(["gone", "refunded"]);
    expect(c!.continuing).toEqual({count: 1, amount_from: 100, amount_to: 200});
  });

  it("skips a pair when either year is not full or the years are not consecutive", () => {
    expect(recipientChanges(recipients, years, new Set(["2017-18"]))).toEqual([]);
    expect(recipientChanges(recipients, ["2017-18", "2019-20"], new Set(["2017-18", "2019-20"]))).toEqual([]);
    expect(recipientChanges(recipients, years, new Set(years)).map((c) => c.to)).toEqual(["2018-19", "2019-20"]);
  });
});

describe("latestYears", () => {
  it("picks the latest full year, else the year with the most months (the latest of equals)", () => {
    expect(latestYears([year("2010-11", 1, 3), year("2011-12", 1, 11), year("2012-13", 1, 3)])).toEqual({latest_full: null, latest: "2012-13", headline_year: "2011-12"});
    expect(latestYears([year("2017-18", 1), year("2018-19", 1), year("2019-20", 1, 2)])).toEqual({latest_full: "2018-19", latest: "2019-20", headline_year: "2018-19"});
    expect(latestYears([year("2018-19", 1, 1), year("2019-20", 1, 1)]).headline_year).toBe("2019-20");
    expect(latestYears([year("2016-17", 1, 0)])).toEqual({latest_full: null, latest: "2016-17", headline_year: null});
    expect(latestYears([])).toEqual({latest_full: null, latest: null, headline_year: null});
  });
});

describe("rankCouncils", () => {
  const council = (code: string, type: string, years: CouncilYear[]) => ({
    code, name: code, short_name: code, type, type_name: type, type_plural: type, region: null, end_date: null, years,
    ...latestYears(years)
  });

  it("ranks each council's latest full year among councils of its type with a full year that same year, ties sharing a rank", () => {
    const ranks = rankCouncils([
      council("A", "MD", [year("2018-19", 100, 12, 0.1), year("2019-20", 999, 3)]),
      council("B", "MD", [year("2019-20", 300, 12, 0.05)]),
      council("C", "MD", [year("2019-20", 100, 12, 0.2)]),
      council("D", "MD", [year("2019-20", 5000, 1)]),
      council("E", "NMD", [year("2019-20", 1, 12)])
    ]);
    // A's latest full year is 2018-19, when no other MD council has a full year: it is ranked against itself only.
    expect(ranks.get("A")).toEqual({by_vcse: 1, by_share: 1, peers: 1, year: "2018-19"});
    expect(ranks.get("B")).toEqual({by_vcse: 1, by_share: 2, peers: 2, year: "2019-20"});
    expect(ranks.get("C")).toEqual({by_vcse: 2, by_share: 1, peers: 2, year: "2019-20"});
    expect(ranks.get("D")).toEqual({by_vcse: null, by_share: null, peers: 0, year: null});
    expect(ranks.get("E")).toEqual({by_vcse: 1, by_share: 1, peers: 1, year: "2019-20"});
  });
});

describe("manifestFor", () => {
  it("names the known codes when a code is unknown", () => {
    expect(manifestFor("E08000009").council.name).toMatch(/Trafford/);
    expect(() => manifestFor("E08999999")).toThrow(/unknown council code "E08999999": data\/sources has .*E08000009/);
  });
});

describe("council page headline (src/components/council-headline.js)", () => {
  const detail = (years: CouncilYear[], headline_year: string | null) => ({years, headline_year});

  it("reports the latest full year and its change on the year before when that is full too", () => {
    const h = councilHeadline(detail([year("2017-18", 100), year("2018-19", 125), year("2019-20", 10, 2)], "2018-19"));
    expect(h.year?.financial_year).toBe("2018-19");
    expect(h.previous?.financial_year).toBe("2017-18");
    expect(h.change).toBeCloseTo(0.25, 12);
    expect(h.real_change).toBeNull();
  });

  it("gives no change when the year before is partial, and falls back to the latest year when none is full", () => {
    expect(councilHeadline(detail([year("2017-18", 100, 11), year("2018-19", 125)], "2018-19")).change).toBeNull();
    const partial = councilHeadline(detail([year("2019-20", 10, 1)], "2019-20"));
    expect(partial.year?.financial_year).toBe("2019-20");
    expect(partial.previous).toBeNull();
    expect(councilHeadline(detail([], null)).year).toBeNull();
  });

  it("words", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    const fmt = (m: string) => m;
    expect(monthsText({months: 1, first_month: "2019-04", last_month: "2019-04"}, fmt)).toBe("1 month of data (2019-04)");
    expect(monthsText({months: 11, first_month: "2011-04", last_month: "2012-03"}, fmt)).toBe("11 months of data (2011-04 to 2012-03)");
    const lambeth = ["2011-04", "2011-05", "2011-06", "2011-07", "2011-08", "2011-10", "2011-11", "2011-12", "2012-01", "2012-02", "2012-03"];
    expect(monthsText({months: 11, first_month: "2011-04", last_month: "2012-03"}, fmt, lambeth)).toBe("11 months of data (2011-04 to 2012-03, no data for 2011-09)");
    expect(monthsText({months: 2, first_month: "2019-04", last_month: "2020-03"}, fmt, ["2019-04", "2020-03"])).toBe("2 months of data (2019-04 to 2020-03, no data for 10 of those months)");
  });

  it("says a council's data is old when its latest full year ended more than two years before today", () => {
    const today = new Date("2026-12-03T00:00:00Z");
    expect(dataAge({latest_full: "2019-20", latest: "2019-20"}, today)).toEqual({old: true, year: "2019-20", ended: "2020-03-31", years: 6});
    expect(dataAge({latest_full: "2024-25", latest: "2025-26"}, today)).toMatchObject({old: false, year: "2024-25"});
    expect(dataAge({latest_full: "2024-25", latest: null}, new Date("2027-04-01T00:00:00Z"))).toMatchObject({old: true, years: 2});
    expect(dataAge({latest_full: "2024-25", latest: null}, new Date("2027-03-30T00:00:00Z"))).toMatchObject({old: false});
    expect(dataAge({latest_full: null, latest: "2018-19"}, today)).toMatchObject({old: true, year: "2018-19"});
    expect(dataAge({latest_full: null, latest: null}, today).old).toBe(false);
  });
});

describe("councilsData on a real council's file (Gateshead, April 2019)", () => {
  const CODE = "E08000037";
  let store: string;
  let data: CouncilsData;

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), "vcse-compact-council-"));
    await ingest({outDir: store, councils: [CODE]});
    data = await councilsData(store);
  }, 300_000);

  afterAll(async () => {
    await rm(store, {recursive: true, force: true});
  });

  it("has a page for every manifest, empty for councils with nothing in the store", () => {
    expect(Object.keys(data.details).sort()).toEqual(data.summary.councils.map((c) => c.code).sort());
    expect(data.details.E08000009!.years).toEqual([]);
    expect(data.details.E08000009!.latest).toBeNull();
  });

  it("agrees with the store: VCSE spending, spending outside the public sector and months, with duplicates left out", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`
        SELECT financial_year, sum(amount_pence) FILTER (WHERE sector = 'vcse')::VARCHAR AS vcse, sum(amount_pence) FILTER (WHERE sector <> 'public')::VARCHAR AS total,
          count(DISTINCT supplier_key) FILTER (WHERE sector = 'vcse')::INTEGER AS recipients
        FROM (${flaggedSql(store)}) WHERE NOT duplicate GROUP BY ALL ORDER BY ALL`);
      const expected = reader.getRowObjectsJS();
      const d = data.details[CODE]!;
      expect(d.years.map((y) => y.financial_year)).toEqual(expected.map((e) => e.financial_year));
      d.years.forEach((y, i) => {
        expect(Math.round(y.vcse * 100)).toBe(Number(expected[i]!.vcse ?? 0));
        expect(Math.round(y.total * 100)).toBe(Number(expected[i]!.total));
        expect(y.vcse_recipients).toBe(expected[i]!.recipients);
      });
      expect(d.years.find((y) => y.financial_year === "2019-20")).toMatchObject({months: 1, full: false, first_month: "2019-04", last_month: "2019-04"});
      expect(d.latest_full).toBeNull();
      expect(d.latest).toBe("2019-20");
      expect(d.headline_year).toBe("2019-20");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("lists VCSE recipients whose amounts add up to the year's VCSE spending, and names no individual", () => {
    const d = data.details[CODE]!;
    const all = data.recipients[CODE]!;
    const y = d.years.findIndex((r) => r.financial_year === "2019-20");
    const sum = all.reduce((s, r) => s + (r.amounts[y] ?? 0), 0);
    expect(sum).toBeCloseTo(d.years[y]!.vcse, 2);
    expect(all.length).toBe(d.years[y]!.vcse_recipients);
    expect(d.recipients_count).toBe(all.length);
    for (const r of all) expect(r.name).not.toMatch(/redacted|personal data|^(mr|mrs|ms|miss|dr)\b/i);
    expect(all.map((r) => r.amounts[y] ?? -Infinity)).toEqual([...all.map((r) => r.amounts[y] ?? -Infinity)].sort((a, b) => b - a));
    // The page carries the largest only, with what each rests on.
    expect(all.length).toBeGreaterThan(PAGE_RECIPIENTS);
    expect(d.recipients).toEqual(all.slice(0, PAGE_RECIPIENTS));
    for (const r of all) expect(BASES.filter((b) => b !== "none")).toContain(r.basis);
  });

  it("carries the manifest's sources and notes, and the summary's years and rank", () => {
    const d = data.details[CODE]!;
    const manifest = manifestFor(CODE);
    expect(d.files.map((f) => f.path)).toEqual(manifest.files.map((f) => f.path));
    expect(d.files.map((f) => f.url)).toEqual(manifest.files.map((f) => f.url ?? null));
    expect(d.source.licence).toBe(manifest.licence);
    expect(d.source.notes).toEqual(manifest.notes ?? []);
    const s = data.summary.councils.find((c) => c.code === CODE)!;
    expect(s.years).toEqual(d.years);
    expect(d.rank).toEqual(s.rank);
    expect(JSON.stringify(d).length).toBeLessThan(1_000_000);
  });
});

describe("namedStreams", () => {
  it("names the streams behind more than a quarter of a change between two full years, per scope", () => {
    const y = (fy: string, vcse: number, total: number, months = 12): CouncilYear => ({...year(fy, vcse, months), total});
    const years = [y("2018-19", 100, 1000), y("2019-20", 200, 1000), y("2020-21", 300, 2000, 11)];
    const found = [
      {to_year: "2019-20", kind: "payee" as const, scope: "vcse" as const, name: "A", delta: 80},
      {to_year: "2019-20", kind: "payee" as const, scope: "vcse" as const, name: "B", delta: 20},
      {to_year: "2019-20", kind: "service" as const, scope: "vcse" as const, name: "S", delta: -30},
      {to_year: "2020-21", kind: "payee" as const, scope: "vcse" as const, name: "C", delta: 100}
    ];
    // 2019-20 on 2018-19: VCSE +100, A is 80% of it; B (20%) and S (against the change) are not named; total did
    // not change, so nothing is named for it; 2020-21 is a part year.
    expect(namedStreams(years, found)).toEqual([
      {from: "2018-19", to: "2019-20", scope: "vcse", change: 100, streams: [{kind: "payee", name: "A", delta: 80, share: 0.8}]}
    ]);
  });
});
