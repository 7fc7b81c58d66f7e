/**
 * The overview's league table: each council's latest year with 12 months of data (or, failing that, its latest
 * year, marked part year), with its change on the year before and the 2011-13 guidance test, and how each cell
 * is shown.
 */
import {guidanceLabel, type CouncilYear, type GuidanceTest} from "./aggregate.js";
import {formatChange} from "./format.js";

export interface LeagueRow {
  council: string;
  council_code: string;
  type: string;
  region: string;
  financial_year: string;
  months: number;
  vcse: number;
  share: number | null;
  per_resident: number | null;
  vcse_change: number | null;
  total_change: number | null;
  test: string;
  test_note: string | null;
}

/** Full years first, then the latest year first, then by share: shares compare within a year only. */
export function leagueRows(councilYears: CouncilYear[], tests: GuidanceTest[]): LeagueRow[] {
  const codes = [...new Set(councilYears.map((d) => d.council_code))];
  return codes
    .map((code) => {
      const rows = councilYears.filter((d) => d.council_code === code);
      const latest = (rows.filter((d) => d.complete).at(-1) ?? rows.at(-1))!;
      const t = tests.find((x) => x.council_code === code && x.financial_year === latest.financial_year);
      return {
        council: latest.short_name,
        council_code: code,
        type: String(latest.council_type_name ?? latest.council_type ?? ""),
        region: String(latest.region ?? ""),
        financial_year: latest.financial_year,
        months: latest.months,
        vcse: latest.vcse,
        share: latest.share,
        per_resident: (latest.vcse_per_resident as number | null | undefined) ?? null,
        vcse_change: t?.vcse_change ?? null,
        total_change: t?.total_change ?? null,
        test: latest.complete ? guidanceLabel(t) : "Part year",
        test_note: t?.not_comparable ?? null
      };
    })
    .sort((a, b) => Number(b.months === 12) - Number(a.months === 12) || b.financial_year.localeCompare(a.financial_year) || (b.share ?? -1) - (a.share ?? -1));
}

/** A change's class: a fall, a rise, or neither. */
export function changeClass(x: number): string {
  return x < 0 ? "fall" : x > 0 ? "rise" : "";
}

/** A guidance label's class: "Yes…" a cut harder, "No verdict…" none given, "No…" not cut harder. */
export function testClass(label: string): string {
  return label.startsWith("Yes") ? "test-yes" : label.startsWith("No verdict") ? "test-na" : label.startsWith("No") ? "test-no" : "test-na";
}

export function testText(label: string, row: Pick<LeagueRow, "test_note"> | undefined): string {
  return row?.test_note ? `${label}: ${row.test_note}` : label;
}

function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

/** A change cell: the change, red for a fall and green for a rise; "–" where there is none. */
export function changeCell(x: number | null | undefined): HTMLSpanElement | string {
  return x === null || x === undefined ? "–" : span(changeClass(x), formatChange(x));
}

export function testCell(label: string, row?: LeagueRow): HTMLSpanElement {
  return span(testClass(label), testText(label, row));
}

/** The council's name, linking to its page, over its type and region. */
export function councilCell(name: string, row: LeagueRow): DocumentFragment {
  const cell = document.createDocumentFragment();
  const link = document.createElement("a");
  link.href = `./council/${row.council_code}`;
  link.textContent = name;
  cell.append(link, document.createElement("br"), span("muted", `${row.type}, ${row.region}`));
  return cell;
}
