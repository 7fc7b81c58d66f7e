import {describe, expect, it} from "vitest";
import {conform, type ConformOptions} from "../pipeline/conform/conform.ts";
import {Ledger} from "../pipeline/conform/ledger.ts";
import {parseCsv} from "../pipeline/read/parse-csv.ts";
import {parsePeriod} from "../pipeline/conform/parse-period.ts";
import {SYNONYMS} from "../pipeline/conform/synonyms.ts";

const council = {code: "E07000120", name: "Hyndburn Borough Council"};

function run(csv: string, options: Partial<ConformOptions> = {}) {
  const ledger = new Ledger();
  ledger.open("t.csv", council.code, "sha");
  const out = conform({entry: "t.csv", encoding: "utf-8", delimiter: ",", records: parseCsv(csv)}, {council, sha256: "sha", columns: SYNONYMS, latest: "2026-12-31", ...options}, ledger);
  return {...out, report: ledger.reports()[0]!};
}

describe("conform", () => {
  it("maps a Transparency Code layout to canonical payments", () => {
    const {payments, report} = run("Body Name,Service Area,Expenses Type,Payment Date,Transaction Number,Net Amount,Supplier Name\nX,Leisure,Grants,01/04/2019,T1,\"£1,234.50\",Age UK Salford\n");
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      payment_date: "2019-04-01", date_precision: "day", financial_year: "2019-20", amount_pence: 123450,
      supplier_name: "Age UK Salford", service: "Leisure", expense_type: "Grants", transaction_ref: "T1",
      source_row: 2, row_kind: "transaction", redacted: false
    });
    expect(report.layout).toEqual({
      "Service Area": "service", "Expenses Type": "expense_type", "Payment Date": "payment_date",
      "Transaction Number": "transaction_ref", "Net Amount": "amount", "Supplier Name": "supplier_name"
    });
  });

  it("skips junk above the header and counts it", () => {
    const {payments, report} = run("Report of payments,,\nRun 02/07/2012,,\n,,\nSupplier Name,Date Paid,Amount\nA Ltd,02/06/2012,10\n");
    expect(payments.map((p) => p.amount_pence)).toEqual([1000]);
    expect(report.preamble_lines).toBe(3);
    expect(report.header_row).toBe(4);
  });

  it("merges a sub-header line into blank header cells (Gross, VAT, Net under Amount)", () => {
    const {payments, report} = run("Date of Payment,Amount,,,Supplier Name\n,Gross,VAT,Net,\n2018-04-02,120,20,100,Adobe\n");
    expect(payments[0]!.amount_pence).toBe(10000);
    expect(report.rows_in).toBe(1);
  });

  it("rejects with a reason, keeps the parseable amount, and reconciles", () => {
    const {payments, rejects, report} = run("Supplier Name,Payment Date,Amount\nA,01/04/2019,1.00\nB,31/02/2019,2.00\nC,01/04/2019,abc\n,01/04/2019,4.00\nD,01/04/2019,\n\n");
    expect(payments.map((p) => p.supplier_name)).toEqual(["A", "(name not published)"]);
    expect(rejects.map((r) => [r.source_row, r.reason, r.amount_pence])).toEqual([[3, "bad_date", 200], [4, "bad_amount", null], [6, "missing_amount", null]]);
    expect(report).toMatchObject({rows_in: 5, kept: 2, rejected: 3, amount_in: "7.00", amount_kept: "5.00", amount_rejected: "2.00", blank_lines: 1});
  });

  it("treats a blank supplier name as withheld: counted, never named", () => {
    const {payments} = run("Supplier Name,Payment Date,Amount\n,01/04/2019,4.00\nREDACTED UNDER DP ACT,01/04/2019,5.00\n");
    expect(payments.map((p) => p.redacted)).toEqual([true, true]);
  });

  it("dates a '00:00:00' payment to the file's period, at the period's precision", () => {
    const {payments, report} = run("Supplier Name,Paid Date,Amount\nA,00:00:00,1\n", {period: parsePeriod("2014-04..2014-06")});
    expect(payments[0]).toMatchObject({payment_date: "2014-04-01", date_precision: "quarter", financial_year: "2014-15"});
    expect(report.dates_from_period).toBe(1);
  });

  it("rejects a missing date when no period is known", () => {
    const {rejects} = run("Supplier Name,Paid Date,Amount\nA,00:00:00,1\n");
    expect(rejects[0]!.reason).toBe("missing_date");
  });

  it("replaces a typo year far outside the file's period by the period", () => {
    const {payments} = run("Supplier Name,Payment Date,Amount\nA,04/01/2107,1\nB,04/01/2017,1\n", {period: parsePeriod("2017-01")});
    expect(payments.map((p) => [p.payment_date, p.date_precision])).toEqual([["2017-01-01", "month"], ["2017-01-04", "day"]]);
  });

  it("reads month-first dates when a value proves the column is month-first", () => {
    const {payments} = run("Supplier Name,Payment Date,Amount\nA,04/01/2019,1\nB,12/31/2019,1\n");
    expect(payments.map((p) => p.payment_date)).toEqual(["2019-04-01", "2019-12-31"]);
  });

  it("reads a financial-year period number when it fits the file's month", () => {
    const {payments} = run("Supplier ID(T),Period,Amount\nO2 (UK) LTD,201901,10\n", {period: parsePeriod("2019-04")});
    expect(payments[0]).toMatchObject({payment_date: "2019-04-01", date_precision: "month", supplier_name: "O2 (UK) LTD"});
  });

  it("reads a file with no header row through the layout's headerless columns", () => {
    const {payments, report} = run("RESO,,Benefits,,Fees,,,1,,CR1,,Stephensons LLP,,,05/08/2025,,\"1,440.00\"\n", {
      headerless_columns: ["Department Area", "", "Service Area", "", "Description", "", "", "Line", "", "HBC Ref No.", "", "Name:", "", "", "Payment Date", "", "Amount Paid"]
    });
    expect(payments[0]).toMatchObject({supplier_name: "Stephensons LLP", amount_pence: 144000, payment_date: "2025-08-05"});
    expect(report.header_row).toBeNull();
  });

  it("fails with the file and the missing field when no layout fits", () => {
    expect(() => run("Foo,Bar\n1,2\n3,4\n", {columns: {amount: ["Net Amount"], supplier_name: ["Supplier"]}})).toThrow(/t\.csv: no header row found/);
    expect(() => run("Supplier Name,Date,Total\nA,01/04/2019,1\n", {columns: {amount: ["Net Amount"], supplier_name: ["Supplier Name"], payment_date: ["Date"]}})).toThrow(
      /t\.csv: no column for amount \(looked for "Net Amount"\)/
    );
  });

  it("skips a header column whose values do not fit it (Harrogate's numeric 'Supplier Name')", () => {
    const {payments} = run("Supplier Name,Supplier Name(T),Payment Date,Net Amount\n200227,ALLSTAR LTD,2019-03-25,25.99\n", {
      columns: {supplier_name: ["Supplier Name", "Supplier Name(T)"], payment_date: ["Payment Date"], amount: ["Net Amount"]}
    });
    expect(payments[0]!.supplier_name).toBe("ALLSTAR LTD");
  });

  it("mends dates fused to amounts when the layout asks for it", () => {
    const csv = "Body,Department,Supplier Name,Invoice Creation Date,Invoice Nett Amount,Subj Description\nLambeth,Care,A A GuestHouses,25/06/2012900,PRIVATE CARE\nLambeth,Care,Carewatch,18/06/2012,818.90,DOMICILIARY CARE\n";
    expect(run(csv).rejects[0]!.reason).toBe("bad_amount");
    const {payments, report} = run(csv, {repairs: ["date_amount_merged"]});
    expect(payments.map((p) => p.amount_pence)).toEqual([90000, 81890]);
    expect(payments[0]).toMatchObject({payment_date: "2012-06-25", expense_type: "PRIVATE CARE"});
    expect(report.repaired).toBe(1);
    expect(report.repairs).toEqual({date_amount_merged: 1});
  });

  it("keeps binary-float amounts rounded to pence and counts them as float_rounded", () => {
    const csv = "Supplier Name,Payment Date,Amount\nA,01/04/2019,1230.3600000000001\nB,02/04/2019,4999.999999999\nC,03/04/2019,10.50\n";
    const {payments, report} = run(csv);
    expect(payments.map((p) => p.amount_pence)).toEqual([123036, 500000, 1050]);
    expect(report.repairs).toEqual({float_rounded: 2});
    expect(report.rejected).toBe(0);
  });

  it("marks a table of suppliers and amounts with no date as supplier totals", () => {
    const {payments} = run("Supplier Name,Total\nVeolia,2037315.80\n", {period: parsePeriod("2011-01")});
    expect(payments[0]).toMatchObject({row_kind: "supplier_total", payment_date: "2011-01-01", date_precision: "month"});
  });

  it("rejects the header repeated inside the data as not data", () => {
    const {rejects} = run("Supplier Name,Payment Date,Amount\nA,01/04/2019,1\nSupplier Name,Payment Date,Amount\n");
    expect(rejects.map((r) => r.reason)).toEqual(["not_data"]);
  });
});
