/**
 * The overview's charts and tables by financial year: the rows each table and download shows and the sentence
 * that sums each chart up, from council-year rows (aggregate.js). Only council-years with 12 months are added up.
 */
import {yearTotals, type CouncilYear, type MatchedYear, type YearTotal} from "./aggregate.js";
import {formatCount, formatPounds, formatShare, plural} from "./format.js";

export interface SpendRow extends YearTotal {
  /** The councils counted, joined with commas. */
  names: string;
}
export interface RecipientRow {
  financial_year: string;
  councils: number;
  recipients: number | null;
  names: string;
}
export interface ShareRow {
  council: string;
  financial_year: string;
  share: number | null;
  vcse: number;
  total: number;
}

export interface OverviewSeries {
  /** Every year with any data, in order. */
  years: string[];
  /** Council-years with all 12 months. */
  complete: CouncilYear[];
  /** From the first year any council has complete to the latest year with any data: the charts' x axis. */
  chartYears: string[];
  /** The deflator's base year, for "at 2023-24 prices". */
  baseYear: string;
  spendRows: SpendRow[];
  recipientRows: RecipientRow[];
  shareRows: ShareRow[];
  spendSummary: string;
  shareSummary: string;
  recipientsSummary: string;
}

const NO_FULL_YEAR = "No council has a full year of data yet.";

export function overviewSeries(councilYears: CouncilYear[]): OverviewSeries {
  const years = [...new Set(councilYears.map((d) => d.financial_year))].sort();
  const complete = councilYears.filter((d) => d.complete);
  const firstComplete = complete.map((d) => d.financial_year).sort()[0] ?? years[0];
  const chartYears = years.filter((fy) => firstComplete !== undefined && fy >= firstComplete);
  const baseYear = councilYears.find((d) => d.deflator === 100)?.financial_year ?? "the latest complete year";
  const totals = yearTotals(councilYears);
  const spendRows = totals.map((d) => ({...d, names: d.council_names.join(", "), vcse_real: d.councils ? d.vcse_real : null}));
  const withData = spendRows.filter((d) => d.councils > 0);
  const first = withData[0];
  const last = withData.at(-1);
  const shareMax = complete.reduce<CouncilYear | null>((m, d) => (d.share !== null && d.share > (m?.share ?? -1) ? d : m), null);
  return {
    years,
    complete,
    chartYears,
    baseYear,
    spendRows,
    recipientRows: totals.map((d) => ({financial_year: d.financial_year, councils: d.councils, recipients: d.councils ? d.recipients : null, names: d.council_names.join(", ")})),
    shareRows: complete.map((d) => ({council: d.short_name, financial_year: d.financial_year, share: d.share, vcse: d.vcse, total: d.total})),
    spendSummary: first && last
      ? `Councils with a full year of data paid VCSE organisations ${formatPounds(first.vcse)} in ${first.financial_year} (${plural(first.councils, "council")}) and ${formatPounds(last.vcse)} in ${last.financial_year} (${plural(last.councils, "council")}); the councils behind each year differ.`
      : NO_FULL_YEAR,
    shareSummary: shareMax
      ? `Across ${plural(new Set(complete.map((d) => d.council_code)).size, "council")} with full years of data, the VCSE share of spending ranges up to ${formatShare(shareMax.share)} (${shareMax.short_name}, ${shareMax.financial_year}).`
      : NO_FULL_YEAR,
    recipientsSummary: first && last ? `${formatCount(last.recipients)} VCSE organisations were paid in ${last.financial_year} by ${plural(last.councils, "council")} with a full year of data.` : NO_FULL_YEAR
  };
}

/** The "Year on year, same councils" table's rows: each matched year with its councils named. */
export function matchedRows(matched: MatchedYear[]): (MatchedYear & {names: string})[] {
  return matched.map((m) => ({...m, names: m.council_names.join(", ")}));
}
