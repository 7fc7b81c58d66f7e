/**
 * The overview's opening: what the figures cover, the headline over the largest matched set (the councils with
 * 12 months in both years) and the 2011-13 guidance test in that year, as the sentences the page shows.
 */
import {matchedHeadline, matchedYears, type CouncilYear, type GuidanceTest} from "./aggregate.js";
import {formatChange, formatCount, formatPounds, formatShare, plural} from "./format.js";

export interface Coverage {
  councils: number;
  english: number;
  /** "4 of 317 English councils" */
  words: string;
  /** The councils' short names, sorted, joined with commas. */
  names: string;
}

export function coverage(councilYears: CouncilYear[], englishCouncils: number): Coverage {
  const councils = new Set(councilYears.map((d) => d.council_code)).size;
  const names = [...new Set(councilYears.map((d) => d.short_name as string))].sort();
  return {councils, english: englishCouncils, words: `${councils} of ${englishCouncils} English councils`, names: names.join(", ")};
}

export interface Headline {
  year: string;
  previous: string;
  councils: number;
  council_codes: string[];
  vcse: number;
  figure: string;
  /** Under the figure: which councils, and why that pair of years. */
  coverage: string;
  change: string;
  /** "fall", "rise" or "" (no change to show). */
  changeClass: string;
  changeNote: string;
  share: string;
  shareNote: string;
  recipients: string;
  recipientsNote: string;
  /** The councils with data in the headline year that are not in its matched set, or null when there are none. */
  leftOut: string | null;
  /** The later years' smaller matched sets, or null when the headline year is the latest. */
  later: string | null;
}

/** The headline, or null when no council has 12 months in two consecutive years. */
export function headline(councilYears: CouncilYear[]): Headline | null {
  const hm = matchedHeadline(councilYears);
  if (!hm) return null;
  const year = hm.financial_year;
  const previous = hm.previous_year;
  const same = plural(hm.councils, "council");
  const leftOut = councilYears
    .filter((d) => d.financial_year === year && !hm.council_codes.includes(d.council_code))
    .map((d) => `${d.short_name} (${d.complete ? `no full year in ${previous}` : `${d.months} of 12 months`})`);
  const later = matchedYears(councilYears).filter((m) => m.financial_year > year);
  return {
    year,
    previous,
    councils: hm.councils,
    council_codes: hm.council_codes,
    vcse: hm.vcse,
    figure: formatPounds(hm.vcse),
    coverage: `Cash; based on ${same} (${hm.council_names.join(", ")}), each with 12 of 12 months of data in both ${previous} and ${year}: no other pair of years has more councils to compare.`,
    change: hm.change === null ? "–" : formatChange(hm.change),
    changeClass: hm.change === null ? "" : hm.change < 0 ? "fall" : "rise",
    changeNote: `Cash, the same ${same} both years, from ${formatPounds(hm.vcse_previous)}. Real terms: ${hm.real_change === null ? `not yet available (ONS has not published the ${year} deflator)` : formatChange(hm.real_change)}.`,
    share: formatShare(hm.total > 0 ? hm.vcse / hm.total : null),
    shareNote: `${formatPounds(hm.vcse)} of the ${formatPounds(hm.total)} paid to suppliers outside the public sector, ${year}; the same ${same}.`,
    recipients: formatCount(hm.recipients),
    recipientsNote: `Distinct recipients per council, added up, ${year}; the same ${same}.`,
    leftOut: leftOut.length ? `Left out of ${year}: ${leftOut.join(", ")}. A council counts only when it has published all 12 months of both years.` : null,
    later: later.length
      ? `Later years compare fewer councils: ${later.map((m) => `${m.financial_year}, ${plural(m.councils, "council")} (${m.council_names.join(", ")}), ${m.change === null ? "no change" : formatChange(m.change)}`).join("; ")}. See “Year on year, same councils” below.`
      : null
  };
}

/** The guidance test's line under the headline: `lead` is shown in bold, `text` follows it. */
export function guidanceLine(tests: GuidanceTest[], year: string | null): {lead: string; text: string} {
  const inYear = tests.filter((t) => t.financial_year === year);
  const judged = inYear.filter((t) => !t.not_comparable);
  const harder = judged.filter((t) => t.cut_harder);
  const unjudged = inYear.filter((t) => t.not_comparable);
  const names = (rows: GuidanceTest[]) => rows.map((t) => t.short_name).join(", ");
  const noVerdict = unjudged.length
    ? ` No verdict for ${unjudged.map((t) => `${t.short_name}: ${t.not_comparable}, so its totals are not comparable across the two years`).join("; ")}.`
    : "";
  if (!judged.length) {
    return {lead: "The 2011–13 guidance test", text: ` needs 12 months of comparable data in two consecutive years: no council has that for ${year ?? "any year"}.${noVerdict}`};
  }
  return {
    lead: "The 2011–13 guidance test:",
    text: ` in ${year}, ${harder.length} of ${plural(judged.length, "council")} with 12 months of data in both years cut the voluntary sector harder than their own spending outside the public sector${harder.length ? ` (${names(harder)})` : ""}.${noVerdict}`
  };
}
