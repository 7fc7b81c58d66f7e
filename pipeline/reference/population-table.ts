import type {CsvRecord} from "../read/parse-csv.ts";
import {parseCsv} from "../read/parse-csv.ts";
import {readWorkbook} from "../read/read-xlsx.ts";

/** ONS mid-year population estimates for one English council: the estimate of each mid-year the table gives. */
export interface CouncilPopulation {
  code: string;
  name: string;
  /** ONS's geography label: "Metropolitan District", "County", … */
  geography: string;
  /** Mid-year → estimate, e.g. {2011: 227091, 2022: 236301}. */
  estimates: Record<number, number>;
}

export interface PopulationTable {
  /** What the table calls itself (its sheet's title line, or the workbook's cover), for pages to say which they use. */
  title: string;
  /** The mid-years it gives, ascending. */
  years: number[];
  councils: Map<string, CouncilPopulation>;
}

/** Geographies that are English councils (metropolitan counties have had no council since 1986). */
const COUNCIL_GEOGRAPHIES = new Set(["Unitary Authority", "Non-metropolitan District", "Metropolitan District", "London Borough", "County"]);
const YEAR_COLUMN = /^Mid-(\d{4})$/i;

/**
 * Every English council in an ONS table of mid-year estimates, as ONS publishes them (XLSX or CSV): a row per area with
 * Code, Name and Geography columns, and a column per year headed "Mid-2022", "Mid-2021", … . In a workbook, the sheet
 * giving the most years is read (the mid-2022 UK workbook's MYE4 gives mid-2022 and mid-2011; England and Wales's
 * tables give every year). Throws, naming the file, when no sheet has that layout or a council has no usable figure.
 */
export function parsePopulationTable(bytes: Uint8Array, file: string): PopulationTable {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const sheets = zip ? readWorkbook(bytes, file) : [{sheet: "", records: parseCsv(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ""), ",")}];
  const best = sheets
    .map((s) => ({...s, header: s.records.findIndex(isHeader)}))
    .filter((s) => s.header >= 0)
    .map((s) => ({...s, yearColumns: yearColumns(s.records[s.header]!.cells)}))
    .sort((a, b) => b.yearColumns.length - a.yearColumns.length)[0];
  if (!best) throw new Error(`${file}: no table of mid-year estimates (a header row with Code, Name, Geography and Mid-YYYY columns)`);
  const where = `${file}${best.sheet ? ` ${best.sheet}` : ""}`;
  const header = best.records[best.header]!.cells.map((c) => c.trim());
  const [code, name, geography] = ["Code", "Name", "Geography"].map((c) => header.findIndex((h) => h.toLowerCase() === c.toLowerCase())) as [number, number, number];
  if (name < 0 || geography < 0) throw new Error(`${where}: the header row has no ${name < 0 ? "Name" : "Geography"} column`);
  const councils = new Map<string, CouncilPopulation>();
  for (const {cells, line} of best.records.slice(best.header + 1)) {
    const c = (cells[code] ?? "").trim();
    const g = (cells[geography] ?? "").trim();
    if (!c.startsWith("E") || !COUNCIL_GEOGRAPHIES.has(g)) continue;
    const estimates: Record<number, number> = {};
    for (const {year, index} of best.yearColumns) {
      const text = (cells[index] ?? "").trim().replace(/,/g, "");
      const value = Number(text);
      if (!/^\d+$/.test(text) || value <= 0) throw new Error(`${where} line ${line}: ${c} has no usable mid-${year} population (${JSON.stringify(cells[index] ?? "")})`);
      estimates[year] = value;
    }
    councils.set(c, {code: c, name: (cells[name] ?? "").trim(), geography: g, estimates});
  }
  if (councils.size === 0) throw new Error(`${where}: no English council in the table`);
  return {title: titleOf(sheets, best.records, best.header) || file, years: best.yearColumns.map((y) => y.year).sort((a, b) => a - b), councils};
}

function isHeader(r: CsvRecord): boolean {
  return (r.cells[0] ?? "").trim().toLowerCase() === "code" && yearColumns(r.cells).length > 0;
}

function yearColumns(cells: string[]): {year: number; index: number}[] {
  return cells.flatMap((c, index) => {
    const m = YEAR_COLUMN.exec(c.trim());
    return m ? [{year: Number(m[1]), index}] : [];
  });
}

/** The first line above the table, else the first line of the workbook's first sheet. */
function titleOf(sheets: {records: CsvRecord[]}[], records: CsvRecord[], header: number): string {
  const first = (rs: CsvRecord[]) => rs.map((r) => r.cells.find((c) => c.trim())?.trim()).find(Boolean) ?? "";
  return first(records.slice(0, header)) || first(sheets[0]?.records ?? []);
}
