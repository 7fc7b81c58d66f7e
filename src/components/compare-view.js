/**
 * What the Compare page and its embed show for a state (compare-state.js): the rows in range, the full years the
 * chosen councils share, a peer group's median, and one title and subtitle made from the same rows, so that the
 * heading never promises councils or years the chart does not draw.
 */
import {formatFY, plural} from "./format.js";
import {median} from "./median.js";

export const MEDIAN = "Median";

/** Whether a council is a member of the peer group {type, region} ("" for any). */
export function inGroup(councils, code, {type, region}) {
  return councils.some((c) => c.code === code && (!type || c.type === type) && (!region || c.region === region));
}

/** The councils a state follows: the chosen ones, or every council of the peer group. */
export function compareMembers(state, councils) {
  return state.mode === "peer" ? councils.filter((c) => inGroup(councils, c.code, state)).map((c) => c.code) : state.councils;
}

/** The peer group's name ("Metropolitan district, North West"), or null for chosen councils. */
export function groupName(state) {
  return state.mode === "peer" ? [state.type || "All council types", state.region || "all regions"].join(", ") : null;
}

/** Years (sorted) in which every council with a row here has 12 months of data. */
export function sharedFullYears(rows) {
  const codes = [...new Set(rows.map((d) => d.council_code))];
  const years = [...new Set(rows.map((d) => d.financial_year))].sort();
  return years.filter((fy) => codes.every((code) => rows.some((d) => d.council_code === code && d.financial_year === fy && d.complete)));
}

/**
 * One row per year: the median of the value over the councils with 12 months of data and a value that year
 * (councils: how many), shaped like a council's row so that it draws as a line (short_name MEDIAN).
 */
export function peerMedians(rows, value, years) {
  return years.flatMap((fy) => {
    const values = rows.filter((d) => d.financial_year === fy && d.complete && Number.isFinite(d[value])).map((d) => d[value]);
    if (!values.length) return [];
    return [{council_code: MEDIAN, short_name: MEDIAN, financial_year: fy, complete: true, months: 12, councils: values.length, [value]: median(values)}];
  });
}

/**
 * Title and subtitle from the rows drawn: the title names the measure and whom (the group, or up to four
 * councils by name), the subtitle the number of councils with data and the years they span.
 */
export function compareHeading({metric, state, rows, highlight = null}) {
  const names = [...new Set(rows.map((d) => d.short_name))].sort();
  const years = [...new Set(rows.map((d) => d.financial_year))].sort();
  const group = groupName(state);
  const who = group
    ? `${group}${highlight ? `, with ${highlight}` : ""}`
    : names.length === 0
      ? "no council with data chosen"
      : names.length > 4
        ? `${names.length} councils`
        : names.join(", ");
  const span = years.length ? (years.length === 1 ? formatFY(years[0]) : `${formatFY(years[0])} to ${formatFY(years.at(-1))}`) : "no year";
  const hasPart = rows.some((d) => !d.complete);
  const dots = `Filled dots: 12 of 12 months of data${hasPart ? "; hollow dots: part year (not joined to the line)" : ""}.`;
  const median = group ? " Black line: the group’s median of the councils with 12 months of data each year." : "";
  return {
    title: `${metric.label}: ${who}`,
    subtitle: `${metric.unit}. ${dots}${median} ${plural(names.length, "council")} with data, ${span}.`
  };
}
