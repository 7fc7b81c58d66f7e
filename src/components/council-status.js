/**
 * Every English council with its status (council-status.json): a compact table that narrows to a phone without
 * scrolling sideways, sorted by a click on a column's heading and filtered by name and by status.
 *
 *   display(councilStatusTable(doc.councils));
 */
import {formatCount, formatMonth, plural} from "./format.js";

/** Status -> its words and its place in the "Data" order (councils with data first). */
export const STATUS_TEXT = {
  in_data: "In the data",
  not_ingested: "Manifest, not in the store",
  failed: "Update failed",
  no_files: "No files found",
  not_tried: "Source known, not tried yet",
  no_source: "No source known"
};
const STATUS_ORDER = Object.keys(STATUS_TEXT);

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
};
const small = (text) => el("span", {className: "muted council-status-note"}, text);

/** An http(s) address as a link showing its host; anything else as text (a manifest is data, not trusted markup). */
function sourceLink(url, text) {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    // shown as text
  }
  if (parsed?.protocol !== "https:" && parsed?.protocol !== "http:") return el("code", {textContent: url});
  const a = el("a", {href: url, rel: "noopener"});
  // A host name may break after a dot on a narrow screen, not inside a word.
  (text ?? parsed.hostname.replace(/^www\./, "")).split(/(?<=\.)/).forEach((part, i) => a.append(...(i ? [document.createElement("wbr")] : []), part));
  return a;
}

function yearsText(years) {
  if (!years.length) return null;
  return years.length === 1 ? years[0] : `${years[0]} to ${years.at(-1)} (${plural(years.length, "year")})`;
}

function dataCell(c) {
  const badge = el("span", {className: `council-status-badge status-${c.status}`, textContent: STATUS_TEXT[c.status] ?? c.status});
  const lines = [badge];
  if (c.status === "in_data") {
    lines.push(small(yearsText(c.years)));
    if (c.last_month) lines.push(small(`latest ${formatMonth(c.last_month)}`));
  } else if (c.why && !["not_tried", "no_source"].includes(c.status)) {
    // The words of the status say the rest.
    lines.push(small(c.why));
  }
  if (c.status === "in_data" && c.update && c.update.status !== "updated") lines.push(small(`last update: ${c.update.status}${c.update.reason ? `: ${c.update.reason}` : ""}`));
  return lines;
}

function manifestCell(c) {
  if (!c.manifest) return ["–"];
  return [c.manifest === "reviewed" ? "Reviewed" : "Draft", small(plural(c.manifest_files, "file"))];
}

function sourceCell(c) {
  const out = [];
  if (c.page) out.push(el("span", {className: "council-status-line"}, sourceLink(c.page)));
  if (c.dataset) out.push(el("span", {className: "council-status-line"}, sourceLink(`https://data.gov.uk/dataset/${encodeURIComponent(c.dataset)}`, "data.gov.uk")));
  return out.length ? out : ["–"];
}

const COLUMNS = [
  {key: "name", label: "Council", cell: (c) => [c.council_page ? el("a", {href: `./council/${encodeURIComponent(c.code)}`, textContent: c.name}) : c.name, small(c.code)], compare: (a, b) => a.name.localeCompare(b.name)},
  {
    key: "status",
    label: "Data",
    cell: dataCell,
    // Councils with data first, latest month first within a status, then by name.
    compare: (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || (b.last_month ?? "").localeCompare(a.last_month ?? "") || b.years.length - a.years.length || a.name.localeCompare(b.name)
  },
  {key: "manifest", label: "Manifest", cell: manifestCell, compare: (a, b) => rank(a.manifest) - rank(b.manifest) || b.manifest_files - a.manifest_files || a.name.localeCompare(b.name)},
  {key: "source", label: "Source", cell: sourceCell, compare: (a, b) => (b.page ? 2 : 0) + (b.dataset ? 1 : 0) - ((a.page ? 2 : 0) + (a.dataset ? 1 : 0)) || a.name.localeCompare(b.name)}
];
const rank = (m) => (m === "reviewed" ? 0 : m === "draft" ? 1 : 2);

/** The table with its filters; `councils` are council-status.json's rows. */
export function councilStatusTable(councils, {caption = "Every English council and its status"} = {}) {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, councils.filter((c) => c.status === s).length]));
  const search = el("input", {type: "search", placeholder: "Council name or code", className: "council-status-search"});
  search.setAttribute("aria-label", "Find a council");
  search.dataset.testid = "council-status-search";
  const select = el(
    "select",
    {className: "council-status-filter"},
    el("option", {value: "", textContent: `Any status (${formatCount(councils.length)})`}),
    ...STATUS_ORDER.filter((s) => counts[s]).map((s) => el("option", {value: s, textContent: `${STATUS_TEXT[s]} (${formatCount(counts[s])})`}))
  );
  select.setAttribute("aria-label", "Status");
  select.dataset.testid = "council-status-filter";
  const shown = el("p", {className: "muted", role: "status"});
  shown.dataset.testid = "council-status-shown";

  const table = el("table", {className: "data-table council-status-table"});
  table.dataset.testid = "council-status-table";
  table.createCaption().textContent = caption;
  const headRow = table.createTHead().insertRow();
  let sortBy = COLUMNS[0];
  let descending = false;
  const headers = COLUMNS.map((col) => {
    const button = el("button", {type: "button", className: "council-status-sort", textContent: col.label});
    const th = el("th", {scope: "col"}, button);
    button.addEventListener("click", () => {
      descending = sortBy === col ? !descending : false;
      sortBy = col;
      render();
    });
    headRow.append(th);
    return th;
  });
  const body = table.createTBody();

  function render() {
    const q = search.value.trim().toLowerCase();
    const rows = councils
      .filter((c) => (!select.value || c.status === select.value) && (!q || c.name.toLowerCase().includes(q) || c.code.toLowerCase().includes(q)))
      .sort(sortBy.compare);
    if (descending) rows.reverse();
    headers.forEach((th, i) => th.setAttribute("aria-sort", COLUMNS[i] === sortBy ? (descending ? "descending" : "ascending") : "none"));
    body.replaceChildren(
      ...rows.map((c) => {
        const tr = document.createElement("tr");
        tr.dataset.code = c.code;
        tr.dataset.status = c.status;
        COLUMNS.forEach((col, i) => tr.append(el(i === 0 ? "th" : "td", i === 0 ? {scope: "row"} : {}, ...col.cell(c))));
        return tr;
      })
    );
    shown.textContent = `Showing ${formatCount(rows.length)} of ${plural(councils.length, "council")}.`;
  }
  search.addEventListener("input", render);
  select.addEventListener("change", render);
  render();
  return el("div", {className: "council-status"}, el("div", {className: "council-status-controls"}, search, select), shown, el("div", {className: "council-status-box"}, table));
}

/** One sentence of the counts, for the page and for screen readers. */
export function councilStatusSummary(councils) {
  const n = (s) => councils.filter((c) => c.status === s).length;
  const manifests = councils.filter((c) => c.manifest).length;
  const known = councils.filter((c) => c.page || c.dataset).length;
  return `Of ${plural(councils.length, "English council")}, ${formatCount(n("in_data"))} are in the data; ${formatCount(manifests)} have a manifest (${formatCount(councils.filter((c) => c.manifest === "reviewed").length)} reviewed); a spending page or data.gov.uk dataset is known for ${formatCount(known)}, and nothing for ${formatCount(n("no_source"))}.`;
}

const CHANGE_TEXT = {layout_changed: "Columns changed", republished: "Published again"};

/** The stored files whose columns changed from the council's file before, or that the council published again. */
export function fileChangesTable(changes) {
  if (!changes.length) return el("p", {className: "coverage", textContent: "No council’s file has changed its columns from the file before it, and no file has been published again with new content, since the store was filled."});
  const table = el("table", {className: "data-table council-status-table file-changes"});
  table.dataset.testid = "file-changes-table";
  table.createCaption().textContent = `${plural(changes.length, "file")} changed`;
  const head = table.createTHead().insertRow();
  for (const label of ["Council", "File", "What changed"]) head.append(el("th", {scope: "col", textContent: label}));
  const body = table.createTBody();
  for (const c of changes) {
    const tr = body.insertRow();
    tr.append(el("th", {scope: "row"}, c.name), el("td", {}, el("code", {textContent: c.file})), el("td", {}, el("strong", {textContent: CHANGE_TEXT[c.kind] ?? c.kind}), small(c.detail)));
  }
  return el("div", {className: "council-status-box"}, table);
}
