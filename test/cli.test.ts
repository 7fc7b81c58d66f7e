import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";

const work = mkdtempSync(join(tmpdir(), "vcse-cli-"));
afterAll(() => rmSync(work, {recursive: true, force: true}));

function cli(args: string[], input?: string) {
  const r = spawnSync("node", ["bin/vcse-spend.js", ...args], {encoding: "utf8", input, maxBuffer: 64 << 20});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

const hyndburn = (name: string) => join("data/sample/spending/hyndburn", name);

describe("vcse-spend ingest --files (a council with no manifest)", () => {
  const files = ["February-2025-csv.csv", "March-25-CSV.csv", "1705.csv", "1710.csv"].map(hyndburn);
  const run = cli(["ingest", "--council", "E07000120", "--files", ...files, "--out", join(work, "adhoc"), "--json"]);
  const report = JSON.parse(run.stdout);

  it("succeeds and reports every file with the columns it mapped", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(report.files.map((f: {file: string}) => f.file)).toEqual(files);
    const march = report.files.find((f: {file: string}) => f.file.includes("March-25"));
    expect(march.header_row).toBeNull();
    expect(march.layout).toMatchObject({"Amount Paid": "amount", "Name:": "supplier_name", "Payment Date": "payment_date"});
    expect(report.files[2].layout).toMatchObject({"Net Amount(£)": "amount", Name: "supplier_name", "Payment date": "payment_date"});
    expect(run.stderr).toMatch(/March-25-CSV\.csv: no header row; borrowing the 17 column names/);
  });

  it("prints the documented JSON shape with exact decimal amounts that reconcile", () => {
    expect(Object.keys(report).sort()).toEqual(["councils", "files", "register", "total"]);
    // The embedded names, unless this checkout has fetched the register (fetch --registers).
    expect(["embedded", "ccew_extract"]).toContain(report.register.register);
    for (const entry of [...report.files, ...report.councils, report.total]) {
      expect(entry.rows_in).toBe(entry.kept + entry.rejected);
      for (const key of ["amount_in", "amount_kept", "amount_rejected"]) expect(entry[key]).toMatch(/^-?\d+\.\d\d$/);
      expect(Array.isArray(entry.financial_years)).toBe(true);
    }
    expect(report.councils[0]).toMatchObject({council: "E07000120", council_name: "Hyndburn"});
    expect(report.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("vcse-spend errors", () => {
  it("exits non-zero naming a file it cannot read, and still reports the others", () => {
    const html = join(work, "2019-04.csv");
    writeFileSync(html, "<!DOCTYPE html><html><body>Sorry, page not found</body></html>");
    const run = cli(["ingest", "--council", "E07000120", "--files", hyndburn("1705.csv"), html, "--out", join(work, "bad"), "--json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: .*2019-04\.csv.*HTML/i);
    const report = JSON.parse(run.stdout);
    expect(report.total.failed_files).toBe(1);
    expect(report.files[0].kept).toBeGreaterThan(100);
  });

  it("explains a usage mistake without a stack trace", () => {
    const run = cli(["ingest", "--files", "x.csv"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^vcse-spend: --files needs exactly one --council CODE/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(cli(["frobnicate"]).stderr).toMatch(/unknown command "frobnicate"/);
  });
});
