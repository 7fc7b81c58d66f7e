import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {councilSite, page, type CouncilSite} from "./council-site.ts";
import {runCli} from "./run-cli.ts";
import {tempDirs} from "./temp-dirs.ts";
import {csv, payments, pounds, withCommas, xlsx, type Payment} from "./spend-files.ts";

const temp = tempDirs();
const cli = runCli;

const CSV = {"content-type": "text/csv"};
/** Payments under column names no embedded council uses, as a finance system the project has never seen writes them. */
const unseen = (rows: Payment[]) =>
  "Date Paid;Payee Name;Amount (GBP);Directorate;Our Ref\r\n" + rows.map((r, i) => [r.day, r.supplier, withCommas(r.pence).replace("£", ""), "Place", `PO-${1000 + i}`].join(";")).join("\r\n") + "\r\n";
const XLSX_TYPE = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};

describe("discover, then fetch, then ingest, on a council's site", () => {
  let site: CouncilSite;
  /** The spending files the site lists, by path: what each holds. */
  const published = new Map<string, Payment[]>();
  const refused = ["/media/contracts-register-2024.csv", "/media/grants-to-voluntary-organisations-2024.xlsx", "/media/payment-policy.pdf", "/media/budget-2024-25.csv", "/media/archive/senior-salaries-2022.csv", "/media/archive/pay-policy-2022.csv"];

  beforeAll(async () => {
    site = await councilSite();
    const serve = (path: string, rows: Payment[], kind: "plain" | "pounds" | "xlsx" | "unseen") => {
      published.set(path, rows);
      const body = kind === "xlsx" ? xlsx(rows) : kind === "unseen" ? unseen(rows) : csv(rows, kind === "pounds" ? withCommas : pounds);
      site.routes.set(path, {headers: kind === "xlsx" ? XLSX_TYPE : CSV, body});
    };
    serve("/media/1001/download", payments(2024, 4), "plain");
    serve("/media/spend_may_2024.csv", payments(2024, 5), "pounds");
    serve("/files/june.csv", payments(2024, 6), "plain");
    serve("/media/older/2024-03.xlsx", payments(2024, 3), "xlsx");
    serve("/media/older/Feb24.csv", payments(2024, 2), "pounds");
    // A quarter of 2022-23 on a second year page, in a layout no embedded council uses.
    serve("/media/archive/q4-2022-23.csv", [...payments(2023, 1), ...payments(2023, 2), ...payments(2023, 3)], "unseen");
    for (const path of refused) site.routes.set(path, {headers: CSV, body: "Contract,Value\r\nRoads,100\r\n"});
    site.routes.set("/robots.txt", {headers: {"content-type": "text/plain"}, body: "User-agent: *\nDisallow: /admin/\n"});
    site.routes.set(
      "/council/spending-over-500",
      page(
        "Spending over £500",
        `<p>Every payment over £500, month by month. See also our <a href="/council/transparency">transparency page</a>.</p>
        <h2>2024/25</h2>
        <h3>April</h3><p><a href="/media/1001/download">CSV</a> (12KB)</p>
        <ul>
          <li><a href="/media/spend_may_2024.csv">Spending over £500 - May 2024</a></li>
          <li><a href="/media/contracts-register-2024.csv">Contracts register 2024</a></li>
          <li><a href="/media/grants-to-voluntary-organisations-2024.xlsx">Grants to voluntary organisations 2024</a></li>
          <li><a href="/media/payment-policy.pdf">How we pay suppliers (PDF)</a></li>
          <li><a href="/media/budget-2024-25.csv">Budget 2024 to 2025</a></li>
        </ul>
        <p><a href="/council/spending-over-500/2023-24">2023 to 2024</a> · <a href="/council/spending-over-500/archive-2022-23">2022 to 2023</a> · <a href="/admin/2021">2021 to 2022</a></p>
        <p><a href="/council/spending-over-500">Spending over £500</a> <a rel="next" href="/council/spending-over-500?page=2">Next</a></p>`
      )
    );
    site.routes.set(
      "/council/spending-over-500?page=2",
      page("Spending over £500 (page 2)", `<table><tr><th>Month</th><th>File</th></tr><tr><td>June 2024</td><td><a href="${site.base}/files/june.csv">CSV</a></td></tr></table><a href="/council/spending-over-500?page=1">Previous</a>`)
    );
    site.routes.set(
      "/council/spending-over-500/2023-24",
      page("Spending 2023 to 2024", `<h2>2023/24</h2><ul><li><a href="../../media/older/2024-03.xlsx">March (Excel)</a></li><li><a href="/media/older/Feb24.csv">February</a></li></ul>`)
    );
    site.routes.set(
      "/council/spending-over-500/archive-2022-23",
      page(
        "Spending 2022 to 2023",
        `<h2>2022/23</h2><table><tr><th>Quarter</th><th>Spending over £500</th></tr><tr><td>Quarter 4 (January to March 2023)</td><td><a href="/media/archive/q4-2022-23.csv">CSV</a></td></tr></table>
        <p>Also published: <a href="/media/archive/senior-salaries-2022.csv">Senior salaries 2022</a>, <a href="/media/archive/pay-policy-2022.csv">Pay policy statement 2022 (CSV)</a>.</p>
        <p><a href="/council/spending-over-500">Back to spending over £500</a></p>`
      )
    );
  });
  afterAll(() => site.close());

  it("yields a report whose rows and kept sum are those of the files the page lists, and fetches nothing else", async () => {
    const dir = temp("vcse-discover-");
    const [sources, cache, out] = ["sources", "cache", "store"].map((d) => join(dir, d)) as [string, string, string];
    const discovered = await cli(["discover", "--council", "E07000120", "--page", `${site.base}/council/spending-over-500`, "--sources", sources, "--delay", "0", "--contact", "tests@example.org", "--json"]);
    expect(discovered.status, discovered.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(sources, "E07000120.json"), "utf8"));
    expect(manifest.reviewed).toBe(false);
    expect(manifest.landing_page).toBe(`${site.base}/council/spending-over-500`);
    expect(manifest.files.map((f: {url: string}) => new URL(f.url).pathname).sort()).toEqual([...published.keys()].sort());
    expect(manifest.files.map((f: {period: string}) => f.period)).toEqual(["2023-01..2023-03", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]);
    expect(site.hits("/admin/2021")).toBe(0);

    const fetched = await cli(["fetch", "--council", "E07000120", "--sources", sources, "--cache", cache]);
    expect(fetched.status, fetched.stderr).toBe(0);
    for (const path of refused) expect(site.hits(path), path).toBe(0);
    for (const path of published.keys()) expect(site.hits(path), path).toBe(1);
    expect(manifest.files.every((f: {path: string}) => existsSync(join(cache, f.path)))).toBe(true);

    const ingested = await cli(["ingest", "--council", "E07000120", "--sources", sources, "--cache", cache, "--out", out, "--json"]);
    expect(ingested.status, ingested.stderr).toBe(0);
    const report = JSON.parse(ingested.stdout);
    const all = [...published.values()].flat();
    expect(report.total.rows_in).toBe(all.length);
    expect(report.total.kept).toBe(all.length);
    expect(report.total.amount_kept).toBe(pounds(all.reduce((sum, p) => sum + p.pence, 0)));
    expect(report.files).toHaveLength(published.size);
    const byUrl = new Map(manifest.files.map((f: {path: string; url: string}) => [f.path, new URL(f.url).pathname]));
    for (const file of report.files) {
      const rows = published.get(byUrl.get(file.file) as string)!;
      expect(file.kept, file.file).toBe(rows.length);
      expect(file.amount_kept, file.file).toBe(pounds(rows.reduce((sum, p) => sum + p.pence, 0)));
    }
  });

  it("does the same from a data.gov.uk package", async () => {
    const dir = temp("vcse-discover-ckan-");
    const [sources, cache, out] = ["sources", "cache", "store"].map((d) => join(dir, d)) as [string, string, string];
    const rows = [payments(2023, 7), payments(2023, 8)];
    site.routes.set("/ckan/r/1/spend-jul-2023.csv", {headers: CSV, body: csv(rows[0]!, pounds)});
    site.routes.set("/ckan/r/2/download", {headers: CSV, body: csv(rows[1]!, withCommas)});
    site.routes.set("/ckan/r/3/notes.pdf", {headers: {"content-type": "application/pdf"}, body: "%PDF-1.4"});
    const resources = [
      {url: `${site.base}/ckan/r/1/spend-jul-2023.csv`, format: "CSV", name: "Spend over £500 July 2023"},
      {url: `${site.base}/ckan/r/2/download`, format: "CSV", name: "Payments to suppliers", datafile_date: "2023-08-01"},
      {url: `${site.base}/ckan/r/3/notes.pdf`, format: "PDF", name: "Notes"}
    ];
    site.routes.set("/api/3/action/package_show?id=hyndburn-spend", {headers: {"content-type": "application/json"}, body: JSON.stringify({success: true, result: {name: "hyndburn-spend", title: "Spend over £500", resources}})});
    const discovered = await cli(["discover", "--council", "E07000120", "--ckan", `${site.base}/api/3`, "--dataset", "hyndburn-spend", "--sources", sources, "--delay", "0"]);
    expect(discovered.status, discovered.stderr).toBe(0);
    expect((await cli(["fetch", "--council", "E07000120", "--sources", sources, "--cache", cache])).status).toBe(0);
    expect(site.hits("/ckan/r/3/notes.pdf")).toBe(0);
    const ingested = await cli(["ingest", "--council", "E07000120", "--sources", sources, "--cache", cache, "--out", out, "--json"]);
    expect(ingested.status, ingested.stderr).toBe(0);
    const report = JSON.parse(ingested.stdout);
    expect(report.total.kept).toBe(rows.flat().length);
    expect(report.total.rows_in).toBe(rows.flat().length);
    expect(report.total.amount_kept).toBe(pounds(rows.flat().reduce((sum, p) => sum + p.pence, 0)));
    // File by file, and nothing but the two spending files.
    const manifest = JSON.parse(readFileSync(join(sources, "E07000120.json"), "utf8")) as {files: {path: string; url: string}[]};
    expect(manifest.files.map((f) => new URL(f.url).pathname).sort()).toEqual(["/ckan/r/1/spend-jul-2023.csv", "/ckan/r/2/download"]);
    expect(report.files).toHaveLength(2);
    for (const file of report.files) {
      const url = new URL(manifest.files.find((f) => f.path === file.file)!.url).pathname;
      const held = rows[url.includes("spend-jul") ? 0 : 1]!;
      expect([file.rows_in, file.kept, file.amount_kept], url).toEqual([held.length, held.length, pounds(held.reduce((sum, p) => sum + p.pence, 0))]);
    }
  });
});
