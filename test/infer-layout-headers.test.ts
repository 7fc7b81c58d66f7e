import {describe, expect, it} from "vitest";
import {headerTokens} from "../pipeline/conform/header-tokens.ts";
import {inferLayout} from "../pipeline/conform/infer-layout.ts";

const known = (t: string) => ["supplier", "name", "payment", "date", "net", "amount", "vendor", "service", "expense", "subjective", "account", "description"].includes(t);

/** Infers one header row over a few rows of made-up cells: which column each field went to, by header. */
function chosen(header: string[], rows: string[][]): Record<string, string> {
  const {fields} = inferLayout(header, rows);
  return Object.fromEntries(Object.entries(fields).map(([f, c]) => [f, c!.header]));
}

describe("header tokens", () => {
  it("takes off a (T) text marker and the code words before it", () => {
    expect(headerTokens("Supplier ID(T)", known)).toEqual({tokens: ["supplier"], text: true});
    expect(headerTokens("Account Code (T)", known)).toEqual({tokens: ["account"], text: true});
  });

  it("reads a code's description as the text behind the code", () => {
    expect(headerTokens("Expense Code Description", known)).toEqual({tokens: ["expense", "description"], text: true});
  });

  it("runs single letters together: G/L, A/C, N.L.", () => {
    expect(headerTokens("G/L description.", known).tokens).toEqual(["gl", "description"]);
    expect(headerTokens("A/C Description", known).tokens).toEqual(["account", "description"]);
    expect(headerTokens("N.L. Description", known).tokens).toEqual(["nominal", "ledger", "description"]);
  });

  it("splits run-together names into known words and short forms", () => {
    expect(headerTokens("SUPPLIERNAME", known).tokens).toEqual(["supplier", "name"]);
    expect(headerTokens("netamounts", known).tokens).toEqual(["net", "amount"]);
    expect(headerTokens("Strgrpcc(T)", known).tokens).toEqual(["structure", "group", "cost", "centre"]);
    expect(headerTokens("Dircc(T)", known).tokens).toEqual(["directorate", "cost", "centre"]);
    expect(headerTokens("Cipfsubs(T)", known).tokens).toEqual(["cipfa", "subjective"]);
    expect(headerTokens("Comp. reg. no", known).tokens).toEqual(["company", "reg", "no"]);
  });

  it("leaves a token it cannot split as it is", () => {
    expect(headerTokens("Apar Id", known).tokens).toEqual(["apar", "id"]);
    expect(headerTokens("Updated", known).tokens).toEqual(["updated"]);
  });
});

describe("header classes in inference", () => {
  const rows = [
    ["Adults", "Care", "Residential Care", "Grants to voluntary bodies", "Age UK Northshire", "1,200.00", "01/04/2021", "P1"],
    ["Adults", "Care", "Day Care", "Grants to voluntary bodies", "Acme Care Ltd", "350.00", "02/04/2021", "P1"],
    ["Children", "Supplies", "Stationery", "Office supplies for the family centre", "Bloggs & Co", "99.99", "03/04/2021", "P1"],
    ["Children", "Transport", "Taxi Fares", "Taxis for school runs", "Northshire Cabs Ltd", "540.10", "04/04/2021", "P1"],
    ["Place", "Transport", "Bus Fares", "Travel passes", "City Buses plc", "20.00", "05/04/2021", "P1"]
  ];

  it("reads code-system column names with a (T) marker as service and expense type, the finer subjective winning", () => {
    const header = ["Dirgrpcc(T)", "Cipfsubj(T)", "Cipfsubs(T)", "Narrative", "Supplier ID(T)", "Amount", "Pay Date", "Period"];
    expect(chosen(header, rows)).toMatchObject({service: "Dirgrpcc(T)", expense_type: "Cipfsubs(T)", supplier_name: "Supplier ID(T)", purpose: "Narrative"});
  });

  it("reads a ledger, account or subjective description as the expense type, not the purpose", () => {
    for (const h of ["G/L description.", "GL Account Text", "Ledger Description", "Account Description", "Subjective Desc", "Expense Code Description", "Nominal Description"]) {
      const header = ["Department", "Group", h, "Purpose", "Beneficiary", "Net Amount", "Payment Date", "Period"];
      const got = chosen(header, rows);
      expect(got.expense_type, h).toBe(h);
      expect(got.purpose, h).toBe("Purpose");
    }
  });

  it("still reads a plain description as the purpose", () => {
    const header = ["Department", "Group", "Type", "Description", "Beneficiary", "Net Amount", "Payment Date", "Period"];
    expect(chosen(header, rows).purpose).toBe("Description");
  });

  it("reads run-together upper-case names", () => {
    const header = ["DIRECTORATE", "GROUP", "SUBJECTIVE", "DETAILS", "VENDORNAME", "NETAMOUNT", "PAYMENTDATE", "PERIOD"];
    expect(chosen(header, rows)).toMatchObject({service: "DIRECTORATE", expense_type: "SUBJECTIVE", supplier_name: "VENDORNAME", amount: "NETAMOUNT", payment_date: "PAYMENTDATE"});
  });
});

describe("the names a supplier, a date and an amount go by", () => {
  const rows = Array.from({length: 40}, (_, i) => [
    ["Age UK Northshire", "Acme Highways Ltd", "J Smith", "Northshire Hospice Trust", "Bloggs & Co", "Village Hall Committee"][i % 6]!,
    `${String(1 + (i % 28)).padStart(2, "0")}/04/2021`, (123.45 * (i + 1)).toFixed(2), ["Adults", "Children", "Place"][i % 3]!
  ]);
  const suppliers = ["Payee", "Supplier/Beneficiary", "Name of Supplier", "Company Name", "Trader", "Contractor", "Paid To", "Third Party", "Account Name", "Customer/Supplier"];
  const dates = ["Date Paid", "Paid On", "Payment Run Date", "Trans Date", "Invoice Date", "Cleared", "Period Date", "Posting Dt"];
  const amounts = ["£", "Amount £", "Value (£)", "Payment Value", "Invoice Line Amount", "Sum", "Spend", "GBP", "Net Value", "Total £", "amountexvat", "Amount inc VAT"];

  it("reads each with the others, whatever the combination", () => {
    const misses: string[] = [];
    for (const [i, supplier] of suppliers.entries()) {
      for (const [j, date] of dates.entries()) {
        const amount = amounts[(i + j) % amounts.length]!;
        const {map} = inferLayout([supplier, date, amount, "Department"], rows);
        if (map.supplier_name !== 0 || map.payment_date !== 1 || map.amount !== 2) misses.push(`${supplier} | ${date} | ${amount}`);
      }
    }
    for (const amount of amounts) if (inferLayout(["Payee", "Date Paid", amount, "Department"], rows).map.amount !== 2) misses.push(amount);
    expect(misses).toEqual([]);
  });

  it("still takes the net amount over one including VAT, and the supplier over an account name", () => {
    const header = ["Account Name", "Supplier", "Amount inc VAT", "Amount ex VAT", "Date Paid"];
    const sample = rows.map((r) => ["Grants", r[0]!, r[2]!, r[2]!, r[1]!]);
    expect(inferLayout(header, sample).map).toMatchObject({supplier_name: 1, amount: 3, payment_date: 4, expense_type: 0});
  });
});
