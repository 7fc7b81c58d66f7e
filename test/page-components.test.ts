/** The small pure parts of the Councils, Recipients and Data pages' components, and the ?bench timing marks. */
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import type {CouncilSummary} from "../pipeline/compact/council-types.ts";
import type {CouncilSourceEntry} from "../pipeline/compact/sources.ts";
import {benchRequested, benchTime, markTimeOnce, markValue} from "../src/components/bench-marks.js";
import {councilListNote, councilListRow} from "../src/components/council-list.js";
import {formatDay, formatFY, previousYear} from "../src/components/format.js";
import {councilPayments, recipientEvidence, recipientFilename, recipientSummary, searchStatus, tableNote, yearCellText, yearCellTitle, type PaymentYear} from "../src/components/recipient-view.js";
import {abolished, dataStatus, monthsSince, stalenessRows, statusClass} from "../src/components/staleness.js";
import {trendModuleSnippet} from "../src/components/trend-snippets.js";
import {PEER_COLUMNS, peerGroupQuery, peerOptions, peerTable} from "../src/components/peer-group.js";

const element = () => ({dataset: {} as Record<string, string>}) as unknown as HTMLElement;

describe("timing marks", () => {
  it("are written only when the address asks with ?bench", () => {
    expect(["?bench", "?q=x&bench", "?bench=1", "", "?q=bench", "?benchmark"].map(benchRequested)).toEqual([true, true, true, false, false, false]);
    expect(benchTime("")).toBeNull();
    expect(benchTime("?bench")).toBeGreaterThanOrEqual(0);
    const off = element();
    markValue(off, "readyMs", 5, "");
    markTimeOnce(off, "firstChartMs", 5, "");
    expect(off.dataset).toEqual({});
  });

  it("keep the first time once written, and each value as last set", () => {
    const el = element();
    markTimeOnce(el, "firstChartMs", 120, "?bench");
    markTimeOnce(el, "firstChartMs", 480, "?bench");
    markValue(el, "query", "age", "?bench");
    markValue(el, "query", "age uk", "?bench");
    expect(el.dataset).toEqual({firstChartMs: "120", query: "age uk"});
  });
});

describe("financial years and days", () => {
  it("labels a year and the one before it", () => {
    expect([2019, 1999, 2009].map(formatFY)).toEqual(["2019-20", "1999-00", "2009-10"]);
    expect(["2000-01", "2019-20", "2010-11"].map(previousYear)).toEqual(["1999-00", "2018-19", "2009-10"]);
  });

  it("writes an ISO day as the day it names", () => {
    expect(formatDay("2023-04-01")).toBe("1 April 2023");
    expect(formatDay("2026-12-31T23:59:00Z")).toBe("31 December 2026");
  });
});

function summary(code: string, years: [string, number, number | null][], rank: Partial<CouncilSummary["rank"]> = {}): CouncilSummary {
  const ys = years.map(([fy, months, vcse]) => ({
    financial_year: fy, months, full: months === 12, first_month: null, last_month: null, vcse: vcse ?? 0, total: 100, share: vcse === null ? null : vcse / 100,
    vcse_real: null, population: null, vcse_payments: 1, vcse_recipients: 1
  }));
  const full = ys.filter((y) => y.full).at(-1)?.financial_year ?? null;
  return {
    code, name: `${code} Council`, short_name: code, type: "MD", type_name: "Metropolitan district", type_plural: null, region: null, end_date: null,
    years: ys, latest_full: full, latest: ys.at(-1)?.financial_year ?? null, headline_year: full,
    rank: {by_vcse: null, by_share: null, peers: 0, year: null, ...rank}
  };
}

describe("the Councils list", () => {
  it("gives each council's years, latest full year and rank", () => {
    const row = councilListRow(summary("A", [["2018-19", 0, null], ["2019-20", 12, 10], ["2020-21", 12, 20], ["2021-22", 4, 3]], {by_vcse: 2, peers: 5, year: "2020-21"}));
    expect(row).toMatchObject({years: "2019-20 to 2021-22", full_years: 2, latest_full: "2020-21", vcse: 20, share: 0.2, rank: "2nd of 5 in 2020-21", type: "Metropolitan district", region: "–"});
    expect(councilListRow(summary("B", [["2019-20", 6, 1]], {by_vcse: 1, peers: 1, year: "2019-20"}))).toMatchObject({years: "2019-20", latest_full: "none", vcse: null, rank: null});
    expect(councilListRow(summary("C", [])).years).toBe("–");
  });

  it("counts councils and those with a full year", () => {
    const rows = [summary("A", [["2019-20", 12, 1]]), summary("B", [["2019-20", 3, 1]]), summary("C", [["2020-21", 12, 5]])].map(councilListRow);
    const note = councilListNote(rows, "2026-11-25");
    expect(note).toMatch(/^3 councils; 2 have at least one full financial year/);
    expect(note).toMatch(/ Data compiled 25 November 2026\.$/);
    expect(councilListNote(rows, null)).toMatch(/Select a column heading to sort\.$/);
  });
});

describe("the Recipients page", () => {
  const payment = (council: string, fy: string, amount: number, months = 12): PaymentYear =>
    ({council_code: `E-${council}`, council_name: council, financial_year: fy, amount, payments: 2, months});
  const rows = [payment("Leeds", "2019-20", 100), payment("Leeds", "2021-22", 50, 6), payment("York", "2020-21", 25)];
  const org = {key: "GB-CHC-1", name: "Age UK", sector: "vcse", kind: "registered_charity", basis: "registry_id", matched_id: "GB-CHC-1"};

  it("makes one row per council with its years and total", () => {
    const table = councilPayments(rows);
    expect(table.map((c) => [c.council, c.council_code, [...c.byYear.keys()], c.total])).toEqual([
      ["Leeds", "E-Leeds", ["2019-20", "2021-22"], 150],
      ["York", "E-York", ["2020-21"], 25]
    ]);
    expect(yearCellText(table[0]!.byYear.get("2021-22"))).toBe("£50*");
    expect(yearCellText(table[0]!.byYear.get("2020-21"))).toBe("–");
    expect(yearCellTitle(table[0]!.byYear.get("2019-20"))).toBe("2 payments; 12 of 12 months of Leeds’s data");
    expect(yearCellTitle(undefined)).toBeNull();
    expect(tableNote(rows)).toContain("* fewer than 12 months");
    expect(tableNote(rows.slice(0, 1))).toBe("– no payment that year in the council’s published files.");
  });

  it("sums an organisation up and says what its classification rests on", () => {
    expect(recipientSummary(org, rows, ["2019-20", "2020-21", "2021-22"])).toBe("VCSE (registered charity). Paid £175 (cash) by 2 councils between 2019-20 and 2021-22, in the councils’ published files.");
    expect(recipientSummary({...org, sector: "public", kind: null}, rows.slice(2), ["2020-21"])).toBe("Public body. Paid £25 (cash) by York between 2020-21 and 2020-21, in the councils’ published files.");
    expect(recipientEvidence(org)).toBe("Classified by: Register number GB-CHC-1.");
    expect(recipientEvidence({...org, key: "age uk @E08000035"})).toContain("shown for this council alone");
  });

  it("says what a search found", () => {
    expect(searchStatus("zzz", 0, 3)).toBe("No organisation’s name contains “zzz”.");
    expect(searchStatus("", 50, 3)).toBe("The 50 organisations paid most in this data. Type to search.");
    expect(searchStatus("age", 50, 3.4)).toBe("The first 50 organisations matching “age” (answered in 3 ms).");
    expect(searchStatus("age uk", 1, 12)).toBe("1 organisation matching “age uk” (answered in 12 ms).");
    expect(recipientFilename("AGE UK @E08000035")).toBe("recipient-age-uk-e08000035");
  });
});

describe("the Data page's staleness", () => {
  const today = new Date("2026-12-03T12:00:00Z");
  const source = (code: string, last: string | null, end: string | null = null) =>
    ({council_code: code, short_name: code, first_month: last, last_month: last, months_covered: 1, files: 1, end_date: end}) as unknown as CouncilSourceEntry;

  it("counts months from the end of the latest month", () => {
    expect(monthsSince("2026-11", today)).toBe(0);
    expect(monthsSince("2026-08", today)).toBe(3);
    expect(monthsSince("2025-12", today)).toBe(11);
    expect(monthsSince(null, today)).toBeNull();
  });

  it("takes abolition from the council list's end date, not from the notes", () => {
    expect(abolished("2023-04-01", today)).toBe(true);
    expect(abolished("2027-04-01", today)).toBe(false);
    expect(abolished(null, today)).toBe(false);
    const rows = stalenessRows([source("OLD", "2023-03", "2023-04-01"), source("LATE", "2026-07"), source("NEW", "2026-10"), source("NONE", null), source("SOON", "2025-01", "2027-04-01")], today);
    expect(rows.map((r) => [r.council, r.months_old, r.status])).toEqual([
      ["NEW", 1, "Up to date"], ["LATE", 4, "Overdue"], ["SOON", 22, "Overdue"], ["OLD", 44, "Council abolished"], ["NONE", null, "Up to date"]
    ]);
    expect(dataStatus(source("X", "2026-08"), today)).toBe("Up to date");
    expect(["Overdue", "Up to date", "Council abolished"].map((s) => statusClass(s as never))).toEqual(["test-yes", "test-no", "test-na"]);
  });
});

describe("the overview's module snippet", () => {
  it("imports the trend from the site's own address", () => {
    const snippet = trendModuleSnippet("https://example.org/vcse/");
    expect(snippet).toContain(`import {VcseTrend} from "https://example.org/vcse/embed/vcse-trend.js";`);
    expect(snippet.split("\n")).toHaveLength(5);
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the middle two", async () => {
    const {median} = await import("../src/components/median.js");
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe("the overview's peer group", () => {
  const years = [
    {council_code: "A", financial_year: "2020-21", council_type_name: "District", region: "North West", months: 12, vcse: 10, total: 100, extra: "x"},
    {council_code: "B", financial_year: "2020-21", council_type_name: "District", region: "London", months: 12, vcse: 5, total: 50},
    {council_code: "C", financial_year: "2020-21", council_type_name: "Unitary", region: "North West", months: 12, vcse: null, total: 40},
    {council_code: "A", financial_year: "2021-22", council_type_name: "District", region: "North West", months: 9, vcse: 8, total: 70},
    {council_code: "C", financial_year: "2021-22", council_type_name: "Unitary", region: "North West", months: 12, vcse: 4, total: 40}
  ];

  it("offers every type and region, all first, and keeps only the columns the query reads", () => {
    expect(peerOptions(years)).toEqual({types: ["All types", "District", "Unitary"], regions: ["All regions", "London", "North West"]});
    expect(Object.keys(peerTable(years)[0]!)).toEqual([...PEER_COLUMNS]);
  });

  it("adds up full years of the chosen councils in DuckDB as a plain sum does", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run("CREATE TABLE cy (council_code VARCHAR, financial_year VARCHAR, council_type_name VARCHAR, region VARCHAR, months INTEGER, vcse DOUBLE, total DOUBLE)");
      for (const r of peerTable(years)) {
        await connection.run(`INSERT INTO cy VALUES (${PEER_COLUMNS.map((c) => (r[c] === null ? "NULL" : typeof r[c] === "number" ? r[c] : `'${r[c]}'`)).join(", ")})`);
      }
      for (const [type, region] of [["All types", "All regions"], ["District", "All regions"], ["All types", "North West"], ["Unitary", "London"]]) {
        const {sql, params} = peerGroupQuery(type!, region!);
        const prepared = await connection.prepare(sql);
        params.forEach((p, i) => prepared.bindVarchar(i + 1, p));
        const got = (await prepared.runAndReadAll()).getRowObjectsJS();
        const chosen = years.filter((y) => y.months === 12 && (type === "All types" || y.council_type_name === type) && (region === "All regions" || y.region === region));
        const expected = [...new Set(chosen.map((y) => y.financial_year))].sort().map((fy) => {
          const rows = chosen.filter((y) => y.financial_year === fy);
          const vcse = rows.reduce((s, y) => s + (y.vcse ?? 0), 0);
          const total = rows.reduce((s, y) => s + y.total, 0);
          return {financial_year: fy, councils: rows.length, vcse, total, share: vcse / total};
        });
        expect(got, `${type}, ${region}`).toEqual(expected);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
