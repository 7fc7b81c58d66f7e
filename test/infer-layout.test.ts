import {describe, expect, it} from "vitest";
import * as XLSX from "@e965/xlsx";
import {conform} from "../pipeline/conform/conform.ts";
import {inferLayout} from "../pipeline/conform/infer-layout.ts";
import {Ledger} from "../pipeline/conform/ledger.ts";
import {parseCsv} from "../pipeline/read/parse-csv.ts";
import {readBytes} from "../pipeline/read/read-file.ts";
import {SYNONYMS} from "../pipeline/conform/synonyms.ts";
import type {Table} from "../pipeline/read/read-file.ts";

const council = {code: "E99999999", name: "Test Council"};

/** Rows of [supplier, pence, day of April 2021] turned into a file of the given style, and their sum computed apart. */
const ROWS: [string, number, number][] = [
  ["Age Concern Northshire", 123450, 1], ["Acme Highways Ltd", 99999, 2], ["St Mary's PCC", -5000, 3],
  ["Northshire Hospice Trust", 1000000, 5], ["Bloggs & Co", 50001, 6], ["Village Hall Committee", 25000, 7]
];
const pounds = (p: number) => (p / 100).toFixed(2);
const expected = ROWS.reduce((a, [, p]) => a + p, 0);

function ingestTable(table: Table, forced = {}) {
  const ledger = new Ledger();
  ledger.open(table.entry, council.code, "sha");
  const out = conform(table, {council, sha256: "sha", columns: SYNONYMS, latest: "2026-12-31", infer: {forced}}, ledger);
  return {...out, report: ledger.reports()[0]!};
}
const csvTable = (csv: string): Table => ({entry: "t.csv", encoding: "utf-8", delimiter: ",", records: parseCsv(csv)});

describe("inferLayout on layouts no list names", () => {
  const styles: Record<string, {csv: string; want: Record<string, string>}> = {
    "SAP-like": {
      csv: "Company Code,Document No,Posting Date,Clearing Date,Vendor,Vendor Name 1,G/L Acct Text,Cost Ctr Text,Amt in LC,Tax Amt\n" +
        ROWS.map(([s, p, d], i) => `NS01,51000${i},0${d}.03.2021,${20210400 + d},V${100 + i},"${s}",Grants,Adult Care,${pounds(p)},0.00`).join("\n"),
      want: {amount: "Amt in LC", supplier_name: "Vendor Name 1", payment_date: "Clearing Date"}
    },
    "Oracle-like": {
      csv: "INVOICE_NUM,INVOICE_DATE,PAYMENT_DATE,PAYEE,ENTITY_NAME,GROSS_VALUE,VAT_VALUE,NET_VALUE,DIRECTORATE,SUBJECTIVE_DESC\n" +
        ROWS.map(([s, p, d], i) => `INV${i},${String(d).padStart(2, "0")}-MAR-2021,${String(d).padStart(2, "0")}-APR-2021,"${s}",Northshire CC,${pounds(Math.round(p * 1.2))},${pounds(Math.round(p * 0.2))},${pounds(p)},People,Grants`).join("\n"),
      want: {amount: "NET_VALUE", supplier_name: "PAYEE", payment_date: "PAYMENT_DATE"}
    },
    "Agresso-like": {
      csv: "Trans Date,Apar Id,Apar Name,Account (T),Dim 1 (T),Voucher No,Invoiced Value\n" +
        ROWS.map(([s, p, d], i) => `${d}/4/21,${9000 + i},"${s}",Subsistence,Children's Services,${700 + i},"£${(p / 100).toLocaleString("en-GB", {minimumFractionDigits: 2})}"`).join("\n"),
      want: {amount: "Invoiced Value", supplier_name: "Apar Name", payment_date: "Trans Date"}
    }
  };
  for (const [style, {csv, want}] of Object.entries(styles)) {
    it(`reads a ${style} export: columns, count and sum`, () => {
      const {payments, report} = ingestTable(csvTable(csv));
      const chosen = Object.fromEntries(Object.entries(report.layout).map(([h, f]) => [f, h]));
      expect({amount: chosen.amount, supplier_name: chosen.supplier_name, payment_date: chosen.payment_date}).toEqual(want);
      expect(payments).toHaveLength(ROWS.length);
      expect(payments.reduce((a, p) => a + p.amount_pence, 0)).toBe(expected);
      expect(payments.map((p) => p.payment_date)).toEqual(ROWS.map(([, , d]) => `2021-04-0${d}`));
      expect(report.layout_inference?.amount?.reason).toMatch(/cells/);
    });
  }

  it("prefers net to gross and VAT, and says which won", () => {
    const header = ["Supplier", "Gross Amount", "VAT Amount", "Net Amount", "Invoice Date", "Payment Date"];
    const sample = [["A Ltd", "120.00", "20.00", "100.00", "01/04/2021", "10/04/2021"], ["B Trust", "60.00", "10.00", "50.00", "02/04/2021", "11/04/2021"]];
    const {map, fields} = inferLayout(header, sample);
    expect([map.amount, map.payment_date, map.supplier_name]).toEqual([3, 5, 0]);
    expect(fields.amount!.reason).toMatch(/beat "Gross Amount"/);
    expect(fields.payment_date!.reason).toMatch(/beat "Invoice Date"/);
  });

  it("takes forced columns first and infers the rest around them", () => {
    const header = ["Supplier", "Gross Amount", "Net Amount", "Payment Date"];
    const sample = [["A Ltd", "120.00", "100.00", "01/04/2021"]];
    const {map, fields} = inferLayout(header, sample, {forced: {amount: "Gross Amount"}});
    expect(map).toMatchObject({amount: 1, supplier_name: 0, payment_date: 3});
    expect(fields.amount!.reason).toBe("named by --map");
    expect(() => inferLayout(header, sample, {forced: {amount: "Value"}})).toThrow(/no column of that name/);
  });

  it("refuses a table with no plausible amount, naming the file, candidates and --map", () => {
    const csv = "Payee,Pay Date,Amount\nA Ltd,01/04/2021,see note\nB Ltd,02/04/2021,n/a\n";
    expect(() => ingestTable(csvTable(csv))).toThrow(/t\.csv: no column plausibly holds amount; best candidates "Amount".*--map amount=/);
  });

  it("finds a header below title rows and picks the data sheet of a workbook", () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["About this data"], ["Published under the Transparency Code"]]), "Notes");
    const data = [["Northshire County Council: payments over £500"], ["April 2021"], [], ["Pymt Date", "Beneficiary", "Directorate", "Line Value"],
      ...ROWS.map(([s, p, d]) => [44286 + d, s, "Adults", p / 100])];
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(data), "Payments");
    const bytes = new Uint8Array(XLSX.write(wb, {type: "array", bookType: "xlsx"}) as ArrayBuffer);
    const tables = readBytes(bytes, "spend.xlsx");
    const results = tables.map((t) => {
      try {
        return ingestTable(t);
      } catch {
        return null;
      }
    });
    const read = results.filter((r) => r !== null);
    expect(read).toHaveLength(1);
    expect(read[0]!.payments.reduce((a, p) => a + p.amount_pence, 0)).toBe(expected);
    expect(read[0]!.payments[0]!.payment_date).toBe("2021-04-01");
    expect(read[0]!.report.header_row).toBe(4);
  });
});
