import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {discover} from "../pipeline/discover/discover.ts";
import {PageCache} from "../pipeline/discover/page-cache.ts";
import {PoliteClient} from "../pipeline/discover/polite-client.ts";
import {tempDirs} from "./temp-dirs.ts";
import {councilSite, page, type CouncilSite} from "./council-site.ts";

let site: CouncilSite;
beforeAll(async () => (site = await councilSite()));
afterAll(() => site.close());

const temp = tempDirs();
const council = {code: "E07000120", name: "Hyndburn"};
const client = () => new PoliteClient({delayMs: 0, contact: "tests@example.org"});
const run = async (path: string) => discover({council, from: {page: site.base + path}, client: client()});
const periods = (files: {url: string; period: string}[]) => Object.fromEntries(files.map((f) => [new URL(f.url).pathname + new URL(f.url).search, f.period]));

describe("discover on a council's page", () => {
  it("a list: keeps spending files with the period in the link text, leaves out registers, policies, PDFs and navigation", async () => {
    site.routes.set(
      "/list",
      page(
        "Spending over £500",
        `<p>We publish payments over £500 each month.</p>
        <ul>
          <li><a href="/files/list-a.csv">Spending over £500 April 2024</a></li>
          <li><a href="/files/Payments_May_2024.xlsx">Payments (Excel, 20KB)</a></li>
          <li><a href="/files/june-24.csv">Supplier payments June 2024</a></li>
          <li><a href="/files/contracts.csv">Contracts register April 2024</a></li>
          <li><a href="/files/grants-2024.xlsx">Grants register 2024</a></li>
          <li><a href="/files/policy.pdf">Payment policy (PDF)</a></li>
          <li><a href="/files/summary-2024-04.pdf">April 2024 summary</a></li>
          <li><a href="/about">About us</a></li>
        </ul>`
      )
    );
    const {manifest, report} = await run("/list");
    expect(periods(report.files)).toEqual({"/files/list-a.csv": "2024-04", "/files/Payments_May_2024.xlsx": "2024-05", "/files/june-24.csv": "2024-06"});
    expect(report.left_out.map((l) => new URL(l.url).pathname).sort()).toEqual(["/files/contracts.csv", "/files/grants-2024.xlsx", "/files/policy.pdf", "/files/summary-2024-04.pdf"]);
    expect(report.left_out.every((l) => !l.url.endsWith("/contact.csv"))).toBe(true);
    expect(manifest).toMatchObject({reviewed: false, landing_page: `${site.base}/list`, layouts: [], discovered: {from: "page", url: `${site.base}/list`}});
    expect(manifest!.files.map((f) => f.kind)).toEqual(["csv", "xlsx", "csv"]);
    expect(new Set(manifest!.files.map((f) => f.path)).size).toBe(3);
    for (const f of manifest!.files) expect(f.path.startsWith("E07000120/")).toBe(true);
  });

  it("a table: the month in the row, CSV and Excel of one month (the CSV is kept), relative and absolute links", async () => {
    site.routes.set(
      "/spending/table/",
      page(
        "Expenditure over £250",
        `<table><thead><tr><th>Month</th><th>CSV</th><th>Excel</th></tr></thead><tbody>
          <tr><td>January 2023</td><td><a href="jan.csv">CSV</a></td><td><a href="../jan.xlsx">Excel</a></td></tr>
          <tr><td>February 2023</td><td><a href="${site.base}/abs/feb.csv">CSV</a></td><td><a href="/abs/feb.xlsx">XLSX</a></td></tr>
          <tr><td>Quarter 4 2022/23</td><td><a href="./q4.ods">ODS</a></td><td></td></tr>
        </tbody></table>`
      )
    );
    const {report, manifest} = await run("/spending/table/");
    expect(periods(report.files)).toEqual({"/spending/table/jan.csv": "2023-01", "/abs/feb.csv": "2023-02", "/spending/table/q4.ods": "2023-01..2023-03"});
    expect(report.left_out.map((l) => [new URL(l.url).pathname, l.reason])).toEqual([
      ["/spending/jan.xlsx", "2023-01 is also published in a preferred format"],
      ["/abs/feb.xlsx", "2023-02 is also published in a preferred format"]
    ]);
    expect(manifest!.files.find((f) => f.url?.endsWith("q4.ods"))!.kind).toBeUndefined();
  });

  it("an accordion: a year heading, the month in the toggle, 'CSV' the only link text to an address with no extension", async () => {
    site.routes.set(
      "/accordion",
      page(
        "Transparency: spending",
        `<div class="accordion">
          <h2>2023/24</h2>
          <details><summary>January</summary><p><a href="/download/8812">CSV</a> <a href="/download/8813">PDF</a></p></details>
          <details><summary>March</summary><p><a href="/download/8820">CSV</a></p></details>
          <button aria-expanded="false">November</button><div><a href="/download/8790">CSV</a></div>
        </div>`
      )
    );
    const {report} = await run("/accordion");
    expect(periods(report.files)).toEqual({"/download/8812": "2024-01", "/download/8820": "2024-03", "/download/8790": "2023-11"});
    expect(report.left_out.map((l) => [new URL(l.url).pathname, l.reason])).toEqual([["/download/8813", "a pdf file, not data"]]);
  });

  it("'CSV' as the only link text with the month in a heading above", async () => {
    site.routes.set(
      "/headings",
      page(
        "Spend data",
        `<h2>March 2024</h2><p>Payments made in March.</p><p><a href="/doc/a1b2">CSV</a></p><h2>February 2024</h2><p><a href="/doc/c3d4">CSV</a></p>
        <h2>Older</h2><p><strong>December 2023</strong></p><p><a href="/doc/e5f6">CSV</a></p>`
      )
    );
    const {report} = await run("/headings");
    expect(periods(report.files)).toEqual({"/doc/a1b2": "2024-03", "/doc/c3d4": "2024-02", "/doc/e5f6": "2023-12"});
  });

  it("follows pagination (next, page numbers) once each, through a redirect, on a page that links to itself", async () => {
    const pager = (n: number) =>
      `<nav class="pager"></nav><p><a href="/paged?page=1">1</a> <a href="/paged?page=2">2</a> <a href="/paged?page=3">3</a>${n < 3 ? ` <a rel="next" href="/paged?page=${n + 1}">Next</a>` : ""}</p><p><a href="/paged">Spending over £500</a></p>`;
    site.routes.set("/old-spending", {status: 301, headers: {location: "/paged"}});
    site.routes.set("/paged", page("Payments", `<ul><li><a href="f/2021-04.csv">April 2021</a></li></ul>${pager(1)}`));
    site.routes.set("/paged?page=1", {status: 302, headers: {location: "/paged"}});
    site.routes.set("/paged?page=2", page("Payments", `<ul><li><a href="f/2021-05.csv">May 2021</a></li></ul>${pager(2)}`));
    site.routes.set("/paged?page=3", page("Payments", `<ul><li><a href="f/2021-06.csv">June 2021</a></li></ul>${pager(3)}`));
    const {report} = await run("/old-spending");
    expect(periods(report.files)).toEqual({"/f/2021-04.csv": "2021-04", "/f/2021-05.csv": "2021-05", "/f/2021-06.csv": "2021-06"});
    expect(site.hits("/paged")).toBe(1);
    expect(site.hits("/paged?page=2")).toBe(1);
    expect(site.hits("/paged?page=3")).toBe(1);
    expect(report.pages).toEqual([`${site.base}/paged`, `${site.base}/paged?page=2`, `${site.base}/paged?page=3`]);
  });

  it("reads one level of year and archive sub-pages on the same site, no deeper, no other site, nothing robots.txt forbids", async () => {
    site.routes.set("/robots.txt", {headers: {"content-type": "text/plain"}, body: "User-agent: *\nDisallow: /private/\n"});
    site.routes.set(
      "/years",
      page(
        "Spending over £500",
        `<ul><li><a href="/years/2024-25">2024 to 2025</a></li><li><a href="/years/archive">Archive</a></li>
        <li><a href="/private/2019">2019</a></li><li><a href="http://localhost:1/2018">2018 (old site)</a></li></ul>`
      )
    );
    site.routes.set("/years/2024-25", page("2024 to 2025", `<h2>2024/25</h2><ul><li><a href="/y/a.csv">April</a></li><li><a href="/y/b.csv">January</a></li></ul><a href="/years/2025-26">2025 to 2026</a>`));
    site.routes.set("/years/archive", page("Archive", `<ul><li><a href="/y/old-2019-03.csv">Spending March 2019</a></li></ul>`));
    site.routes.set("/years/2025-26", page("2025 to 2026", `<ul><li><a href="/y/deep.csv">April 2025</a></li></ul>`));
    const {report} = await run("/years");
    expect(periods(report.files)).toEqual({"/y/a.csv": "2024-04", "/y/b.csv": "2025-01", "/y/old-2019-03.csv": "2019-03"});
    expect(site.hits("/years/2025-26")).toBe(0);
    expect(site.hits("/private/2019")).toBe(0);
    site.routes.delete("/robots.txt");
  });

  it("is polite: one request at a time, a pause between requests, a User-Agent naming the project and the contact", async () => {
    site.routes.set("/slow", page("Spending", Array.from({length: 4}, (_, i) => `<a href="/slow?page=${i + 2}">${i + 2}</a>`).join(" ")));
    for (let i = 2; i <= 5; i++) site.routes.set(`/slow?page=${i}`, page("Spending", `<a href="/s/${i}.csv">Spending ${["", "", "Jan", "Feb", "Mar", "Apr"][i]} 2024</a>`));
    const from = site.requests.length;
    const {report} = await discover({council, from: {page: `${site.base}/slow`}, client: new PoliteClient({delayMs: 40, contact: "tests@example.org"})});
    expect(report.files).toHaveLength(4);
    const mine = site.requests.slice(from);
    expect(mine.map((r) => r.path)).toEqual(["/robots.txt", "/slow", "/slow?page=2", "/slow?page=3", "/slow?page=4", "/slow?page=5"]);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.start - mine[i - 1]!.end).toBeGreaterThanOrEqual(39);
    expect(site.maxActive()).toBe(1);
    expect(mine[0]!.agent).toMatch(/^vcse-spend-discover\/.*contact: tests@example\.org/);
  });

  it("asks the server what a document store's link is when nothing on the page says, reading no file's body", async () => {
    const file = (name: string) => ({headers: {"content-type": "application/octet-stream", "content-disposition": `attachment; filename="${name}"`}, body: "Date,Supplier,Amount\r\n"});
    site.routes.set(
      "/jadu",
      page(
        "Spending over £500",
        `<ul class="list--downloads"><li><a href="/downloads/file/101/april-2024">April 2024</a></li><li><a href="/downloads/file/102/may">Spending May 2024</a></li>
        <li><a href="/downloads/file/103/minutes">Minutes of the audit committee</a></li><li><a href="/downloads/file/104/june-2024">June 2024</a></li></ul>`
      )
    );
    site.routes.set("/downloads/file/101/april-2024", file("Spend April 2024.csv"));
    site.routes.set("/downloads/file/102/may", {headers: {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, body: "PK"});
    site.routes.set("/downloads/file/104/june-2024", file("June 2024.pdf"));
    const {report} = await run("/jadu");
    expect(periods(report.files)).toEqual({"/downloads/file/101/april-2024": "2024-04", "/downloads/file/102/may": "2024-05"});
    expect(report.files.map((f) => f.format)).toEqual(["csv", "xlsx"]);
    expect(site.hits("/downloads/file/103/minutes")).toBe(0);
    expect(report.left_out.map((l) => [new URL(l.url).pathname, l.reason])).toEqual([["/downloads/file/104/june-2024", "a pdf file, not data"]]);
  });

  it("reads a link whose address cannot be decoded (%E9 is Latin-1, not UTF-8) by its words", async () => {
    site.routes.set("/latin", page("Spending", `<a href="/files/d%E9penses-2024-07.csv">Spending July 2024</a> <a href="/d%E9penses/2019">2019</a>`));
    const {report} = await run("/latin");
    expect(periods(report.files)).toEqual({"/files/d%E9penses-2024-07.csv": "2024-07"});
  });

  it("keeps pages with their validators and asks next time only whether they changed", async () => {
    const body = page("Spending", `<a href="/cached/2020-01.csv">January 2020</a>`);
    const asked: (string | undefined)[] = [];
    site.routes.set("/cached", (req) => {
      asked.push(req.headers["if-none-match"] as string | undefined);
      return req.headers["if-none-match"] === '"v1"' ? {status: 304} : {headers: {etag: '"v1"'}, body};
    });
    const cache = new PageCache(temp("vcse-pages-"));
    const twice = [];
    for (let i = 0; i < 2; i++) twice.push((await discover({council, from: {page: `${site.base}/cached`}, client: new PoliteClient({delayMs: 0, cache})})).report.files);
    expect(asked).toEqual([undefined, '"v1"']);
    expect(twice[1]).toEqual(twice[0]);
    expect(twice[0]).toHaveLength(1);
  });

  it("names the page when the start page cannot be read, and a loop of redirects", async () => {
    await expect(run("/nowhere")).rejects.toThrow(`${site.base}/nowhere: HTTP 404`);
    site.routes.set("/loop-a", {status: 302, headers: {location: "/loop-b"}});
    site.routes.set("/loop-b", {status: 302, headers: {location: "/loop-a"}});
    await expect(run("/loop-a")).rejects.toThrow(/redirect loop/);
  });
});

describe("discover on a CKAN dataset", () => {
  const resources = [
    {url: "SITE/ds/spend-apr-2023.csv", format: "CSV", name: "Spend over £500 April 2023"},
    {url: "SITE/ds/r/77", format: "CSV", name: "Payments to suppliers", datafile_date: "2023-05-01"},
    {url: "SITE/ds/r/78", format: "XLS", name: "June 2023"},
    {url: "SITE/ds/notes.pdf", format: "PDF", name: "Notes on the data"}
  ];
  it("package_show: the dataset's resources with their formats, names and dates", async () => {
    const body = JSON.stringify({success: true, result: {name: "spend-over-500", title: "Spending over £500", resources: resources.map((r) => ({...r, url: r.url.replace("SITE", site.base)}))}});
    site.routes.set("/api/3/action/package_show?id=spend-over-500", {headers: {"content-type": "application/json"}, body});
    const {report, manifest} = await discover({council, from: {ckan: `${site.base}/api/3`, dataset: "spend-over-500"}, client: client()});
    expect(periods(report.files)).toEqual({"/ds/spend-apr-2023.csv": "2023-04", "/ds/r/77": "2023-05", "/ds/r/78": "2023-06"});
    expect(manifest!.files.map((f) => f.kind)).toEqual(["csv", "csv", "xls"]);
    expect(manifest!.discovered).toMatchObject({from: "ckan", url: `${site.base}/api/3/action/package_show?id=spend-over-500`});
    expect(report.left_out.map((l) => l.reason)).toEqual(["a pdf file, not data"]);
  });

  it("package_search by organisation: only its spending datasets", async () => {
    const pkgs = [
      {name: "spend", title: "Payments over £500", resources: [{url: `${site.base}/o/2022-07.csv`, format: "CSV", name: "July 2022"}]},
      {name: "parking", title: "Car parks", resources: [{url: `${site.base}/o/parking-2022-07.csv`, format: "CSV", name: "July 2022"}]}
    ];
    site.routes.set("/api/action/package_search", {headers: {"content-type": "application/json"}, body: JSON.stringify({success: true, result: {count: 2, results: pkgs}})});
    const {report} = await discover({council, from: {ckan: `${site.base}/api`, organisation: "hyndburn-borough-council"}, client: client()});
    expect(periods(report.files)).toEqual({"/o/2022-07.csv": "2022-07"});
    expect(site.requests.at(-1)!.path).toBe(`/api/action/package_search?${new URLSearchParams({fq: "organization:hyndburn-borough-council", rows: "1000"})}`);
  });
});
