import * as XLSX from "@e965/xlsx";

/** A payment as a test writes it, in pence, so the expected sums never pass through the pipeline's parser. */
export interface Payment {
  day: string;
  supplier: string;
  pence: number;
}

let seed = 20261203;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
const SUPPLIERS = ["Age UK Hyndburn", "Acme Paving Ltd", "Accrington Food Bank", "REDACTED PERSONAL DATA", "Lancashire Mind", "Northern Rail Ltd"];

/** A month's payments: 12 to 36 rows, some of them credit notes, every date inside the month. */
export function payments(year: number, month: number): Payment[] {
  const n = 12 + (next() % 25);
  return Array.from({length: n}, () => ({
    day: `${String(1 + (next() % 28)).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year}`,
    supplier: SUPPLIERS[next() % SUPPLIERS.length]!,
    pence: (next() % 2_000_000) + 50_000 - (next() % 10 === 0 ? 2_100_000 : 0)
  }));
}

/** Pence as the report writes pounds: "-12.50". */
export const pounds = (pence: number) => `${pence < 0 ? "-" : ""}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, "0")}`;
export const withCommas = (pence: number) => `£${pounds(pence).replace(/\B(?=(\d{3})+\.)/g, ",")}`;
export const total = (rows: Payment[]) => pounds(rows.reduce((sum, p) => sum + p.pence, 0));

/** A council's CSV: UTF-8 with a byte-order mark, CRLF line ends, amounts written by `money`. */
export function csv(rows: Payment[], money: (pence: number) => string): string {
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return "\ufeffTransaction Date,Supplier Name,Net Amount,Service Area\r\n" + rows.map((r) => [r.day, r.supplier, money(r.pence), "Adult Social Care"].map(quote).join(",")).join("\r\n") + "\r\n";
}

/** The same payments as a workbook with other column names and numeric amounts. */
export function xlsx(rows: Payment[]): Uint8Array {
  const book = XLSX.utils.book_new();
  const sheet = XLSX.utils.aoa_to_sheet([["Payment Date", "Vendor", "Amount", "Department"], ...rows.map((r) => [r.day, r.supplier, r.pence / 100, "Leisure"])]);
  XLSX.utils.book_append_sheet(book, sheet, "Spend");
  return new Uint8Array(XLSX.write(book, {type: "array", bookType: "xlsx"}) as ArrayBuffer);
}
