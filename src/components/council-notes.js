/**
 * The words of a council page that are worked out from its data (CouncilDetail in pipeline/compact/council.ts):
 * the notes under "About these figures", the streams behind a change, and source file names. Pure functions.
 */
import {formatCount, formatMonth, formatPounds, formatShare} from "./format.js";

/** The notes under "About these figures", one string each. */
export function councilNotes(detail) {
  const q = detail.quality;
  const withheld = withheldText(detail.withheld_services, detail.headline_year);
  const other = detail.months.filter((m) => m.status === "other_period");
  return [
    `Payments to VCSE organisations (charities, community groups, social enterprises, community interest companies, mutuals) as classified by this site from the supplier’s name, registered numbers and the council’s own labels. Housing associations, universities, schools and NHS bodies are not counted as VCSE.`,
    `Publication threshold: ${detail.source.threshold === null ? "not stated in the council’s files (the Transparency Code asks for every payment over £500; some councils publish less or more)" : detail.source.threshold === 0 ? "none: the council publishes every payment, whatever its value" : `payments over £${formatCount(detail.source.threshold)}`}.`,
    `Duplicates: ${q.duplicates.payments === 0 ? "none found" : `${formatCount(q.duplicates.payments)} payments (${formatPounds(q.duplicates.amount)}) appear in more than one file and are counted once`}.`,
    `Rows that could not be read: ${q.rejected.rows === 0 ? "none" : `${formatCount(q.rejected.rows)}${q.rejected.amount ? ` (${formatPounds(q.rejected.amount)})` : ""}, left out of every figure`}.`,
    `Individuals: ${formatCount(q.individuals.payments)} payments (${formatPounds(q.individuals.amount)}) to individuals, never named; counted in the council’s spending outside the public sector, not as VCSE.`,
    ...(other.length ? [`${formatCount(q.other_period.payments)} payments (${formatPounds(q.other_period.amount)}) are dated in months the council’s files do not otherwise cover (${other.map((m) => formatMonth(m.month)).join(", ")}); they count towards their financial year’s totals but not towards its months of data.`] : []),
    ...(withheld ? [withheld] : []),
    ...(detail.source.notes.length ? [`Publisher’s files: ${detail.source.notes.map((n) => n.replace(/\.$/, "")).join("; ")}.`] : [])
  ];
}

/** Service areas of the headline year paying large sums to withheld names, the three largest, or null. */
function withheldText(services, year) {
  const found = services.filter((w) => w.financial_year === year);
  if (!found.length) return null;
  const named = found.slice(0, 3).map((w) => `“${w.service}”, ${formatPounds(w.amount)} of ${formatPounds(w.total)} (${formatCount(w.payments)} payments, ${formatCount(w.large_payments)} of £10,000 or more)`);
  const more = found.length > 3 ? ` and ${found.length - 3} more service ${found.length === 4 ? "area" : "areas"}` : "";
  return `Large payments to withheld names in ${year}, likely to providers (care homes, nurseries, contractors) rather than to people: ${named.join("; ")}${more}. Counted as payments to individuals, not as VCSE.`;
}

const SCOPE_WORDS = {vcse: "VCSE spending", non_public: "Spending outside the public sector"};
const streamName = (st) => (st.kind === "service" ? `the service area “${st.name}”` : st.name === null ? "payments to withheld names (individuals and redacted payees)" : `one payee, ${st.name},`);

/** "one payee, X, accounts for 42% of that (+£794k)"; a stream that moved more than the whole change says so. */
function streamWords(st) {
  const amount = `${st.delta < 0 ? "−" : "+"}${formatPounds(Math.abs(st.delta))}`;
  const verb = st.kind === "payee" && st.name === null ? "account" : "accounts";
  return st.share > 1 ? `${streamName(st)} alone moved ${amount}, more than the whole change (other streams moved the other way)` : `${streamName(st)} ${verb} for ${formatShare(st.share, 0)} of that (${amount})`;
}

/** "VCSE spending rose £1.5m from 2018-19 to 2019-20: one payee, X, accounts for 90% of that (+£1.4m). …", or null. */
export function changeStreamsText(groups) {
  if (!groups.length) return null;
  // The largest payee and the largest service area behind each change: the two can be the same money.
  const largest = (g) => ["payee", "service"].map((kind) => g.streams.find((st) => st.kind === kind)).filter(Boolean);
  const lines = groups.map((g) => `${SCOPE_WORDS[g.scope]} ${g.change < 0 ? "fell" : "rose"} ${formatPounds(Math.abs(g.change))} from ${g.from} to ${g.to}: ${largest(g).map((st) => streamWords(st)).join("; ")}.`);
  return `${lines.join(" ")} A change driven by one stream says more about that stream than about the council’s spending as a whole.`;
}

// Only http(s) addresses become links: a manifest is data too.
export function webAddress(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}
// The file's name from its address, decoded (some publishers' addresses are encoded twice).
export function fileName(url) {
  let name = new URL(url).pathname.split("/").filter(Boolean).at(-1) ?? url;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(name); i++) {
    try {
      name = decodeURIComponent(name);
    } catch {
      break;
    }
  }
  return `${name} (${new URL(url).hostname})`;
}
