import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilStatus} from "../pipeline/compact/council-status.ts";
import {councilSite, page, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";
import {csv, payments, pounds, total, type Payment} from "./spend-files.ts";

const temp = tempDirs();
const CSV = {"content-type": "text/csv"};
const CODE = "E07000122";

/** The same payments under other column names, as a council writes them after changing its finance system. */
const otherLayout = (rows: Payment[]) => "Payee,Paid On,Value (GBP),Department\r\n" + rows.map((r) => [r.supplier, r.day, pounds(r.pence), "Leisure"].join(",")).join("\r\n") + "\r\n";

interface Report {
  file: string;
  kept: number;
  rows_in: number;
  amount_kept: string;
  layout: Record<string, string>;
  layout_changed?: {previous_file: string; before: Record<string, string>; after: Record<string, string>};
  republished?: {previous_kept: number; previous_amount_kept: string; rows_change: number; amount_change: string};
}

describe("a council changes its columns, then republishes months", () => {
  let site: CouncilSite;
  const april = payments(2024, 4);
  const may = payments(2024, 5);
  const june = payments(2024, 6);
  const spendingPage = (links: [string, string][]) => page("Spending over £500", `<h2>2024/25</h2><ul>${links.map(([href, text]) => `<li><a href="${href}">${text}</a></li>`).join("")}</ul>`);

  beforeAll(async () => {
    site = await councilSite();
    site.routes.set("/spend", spendingPage([["/f/april-2024.csv", "April 2024"], ["/f/may-2024.csv", "May 2024"], ["/f/june-2024.csv", "June 2024"]]));
    site.routes.set("/f/april-2024.csv", {headers: CSV, body: csv(april, pounds)});
    site.routes.set("/f/may-2024.csv", {headers: CSV, body: csv(may, pounds)});
    site.routes.set("/f/june-2024.csv", {headers: CSV, body: otherLayout(june)});
  });
  afterAll(() => site.close());

  it("reports the layout change, reads the new columns, and replaces republished months in every figure, saying what changed", async () => {
    const dir = temp("vcse-republished-");
    const [sources, cache, out] = ["sources", "cache", "store"].map((d) => join(dir, d)) as [string, string, string];
    const cycle = async () => {
      for (const args of [
        ["discover", "--council", CODE, "--page", `${site.base}/spend`, "--sources", sources, "--delay", "0", "--contact", "tests@example.org"],
        ["fetch", "--council", CODE, "--sources", sources, "--cache", cache]
      ]) {
        const run = await runCli(args);
        expect(run.status, `${args[0]}: ${run.stderr}`).toBe(0);
      }
      const run = await runCli(["ingest", "--council", CODE, "--sources", sources, "--cache", cache, "--out", out, "--json"]);
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as {files: Report[]; total: Report};
      const manifest = JSON.parse(readFileSync(join(sources, `${CODE}.json`), "utf8")) as {files: {period: string; path: string}[]};
      const byPeriod = (period: string) => report.files.find((f) => f.file === manifest.files.find((m) => m.period === period)!.path)!;
      return {report, byPeriod};
    };

    const first = await cycle();
    expect(first.report.total.kept).toBe(april.length + may.length + june.length);
    expect(first.report.total.amount_kept).toBe(total([...april, ...may, ...june]));
    expect(first.byPeriod("2024-04").layout_changed).toBeUndefined();
    expect(first.byPeriod("2024-05").layout_changed).toBeUndefined();
    const changed = first.byPeriod("2024-06");
    // Read with its own columns, never May's.
    expect(changed).toMatchObject({kept: june.length, amount_kept: total(june), layout: {Payee: "supplier_name", "Paid On": "payment_date", "Value (GBP)": "amount"}});
    expect(changed.layout_changed).toMatchObject({previous_file: first.byPeriod("2024-05").file, after: changed.layout});
    expect(changed.layout_changed!.before).toMatchObject({"Supplier Name": "supplier_name", "Net Amount": "amount"});

    // May is published again with two more payments and one amount corrected; April under a new name, one payment fewer.
    const may2 = [...may.slice(1), {...may[0]!, pence: may[0]!.pence + 12_345}, ...payments(2024, 5).slice(0, 2)];
    const april2 = april.slice(1);
    site.routes.set("/f/may-2024.csv", {headers: CSV, body: csv(may2, pounds)});
    site.routes.set("/f/april-2024-revised.csv", {headers: CSV, body: csv(april2, pounds)});
    site.routes.set("/spend", spendingPage([["/f/april-2024-revised.csv", "April 2024 (revised)"], ["/f/may-2024.csv", "May 2024"], ["/f/june-2024.csv", "June 2024"]]));

    const second = await cycle();
    expect(second.byPeriod("2024-05").republished).toEqual({
      previous_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      previous_rows_in: may.length,
      previous_kept: may.length,
      previous_amount_kept: total(may),
      rows_change: may2.length - may.length,
      amount_change: pounds(may2.reduce((s, p) => s + p.pence, 0) - may.reduce((s, p) => s + p.pence, 0))
    });
    expect(second.byPeriod("2024-06").republished).toBeUndefined();
    expect(second.byPeriod("2024-06").layout_changed?.previous_file).toBe(second.byPeriod("2024-05").file);
    // In every figure: the store holds the new April and May alone.
    expect(second.report.total.kept).toBe(april2.length + may2.length + june.length);
    expect(second.report.total.amount_kept).toBe(total([...april2, ...may2, ...june]));
    const state = JSON.parse(readFileSync(join(out, "state.json"), "utf8")) as {files: Record<string, {report: Report & {council: string}}>};
    const stored = Object.values(state.files).filter((f) => f.report.council === CODE);
    expect(stored).toHaveLength(3);
    expect(stored.reduce((s, f) => s + f.report.kept, 0)).toBe(april2.length + may2.length + june.length);

    // The Data page's list of changed files reads them from the store.
    const {changes} = await councilStatus(out, "data", sources);
    expect(changes.map((c) => [c.council, c.kind, c.file]).sort()).toEqual(
      [[CODE, "layout_changed", second.byPeriod("2024-06").file], [CODE, "republished", second.byPeriod("2024-05").file]].sort()
    );
    expect(changes.find((c) => c.kind === "republished")!.detail).toContain(`${may2.length - may.length > 0 ? "+" : ""}${may2.length - may.length} rows`);
  }, 120_000);
});
