/** The Data page's account of the last update run, from last-update.json (the audit log's last line). */
import {dataTable} from "./table-view.js";
import {formatCount, plural} from "./format.js";

const when = (iso) => new Date(iso).toLocaleString("en-GB", {day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC"}) + " UTC";

/** A paragraph on the last run and, when councils failed in it, a table of them with the reason. */
export function lastUpdate(entry) {
  const box = document.createElement("div");
  box.dataset.testid = "last-update";
  const p = document.createElement("p");
  p.className = "coverage";
  if (!entry) {
    p.textContent = "No update has run on this store yet: its files were read by ingest alone.";
    box.append(p);
    return box;
  }
  const t = entry.totals;
  const site = entry.site === undefined ? "" : entry.site ? ` It published the site build ${entry.site}.` : ` It published no site (${entry.site_reason ?? "the build failed"}).`;
  p.textContent =
    `The last update ran from ${when(entry.start)} to ${when(entry.end)}: ${plural(t.updated, "council")} updated, ${plural(t.failed, "council")} failed; ` +
    `${plural(t.found, "file")} listed, ${formatCount(t.fetched)} fetched (${formatCount(t.changed)} changed), ${formatCount(t.ingested)} in the store, ${formatCount(t.failed_files)} failed.${site}`;
  box.append(p);
  const failed = entry.councils.filter((c) => c.status === "failed");
  if (failed.length) {
    const scroll = document.createElement("div");
    scroll.className = "table-scroll";
    scroll.append(dataTable(failed, [{key: "name", label: "Council"}, {key: "council", label: "Code"}, {key: "reason", label: "Why it failed"}], {caption: "Councils that failed in the last update"}));
    box.append(scroll);
  }
  return box;
}
