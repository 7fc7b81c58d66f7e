/**
 * Accessible companions for a chart: a one-sentence summary and a <details> holding the chart's data
 * as a real <table> (screen readers and keyboard users get the numbers; printing shows the summary).
 *
 *   display(chartSummary("VCSE spending rose from £1.2m in 2018-19 to £1.5m in 2019-20."));
 *   display(tableView(rows, [{key: "year", label: "Financial year"}, {key: "vcse", label: "VCSE", format: formatPounds}],
 *     {caption: "VCSE spending by financial year (cash)"}));
 */
export function chartSummary(text) {
  const p = document.createElement("p");
  p.className = "chart-summary";
  p.textContent = text;
  return p;
}

export function tableView(data, columns, {caption, summary = "Show the data as a table", open = false, testid} = {}) {
  const details = document.createElement("details");
  details.className = "table-view";
  details.open = open;
  if (testid) details.dataset.testid = testid;
  const s = document.createElement("summary");
  s.textContent = summary;
  const scroll = document.createElement("div");
  scroll.className = "table-scroll";
  scroll.append(dataTable(data, columns, {caption}));
  details.append(s, scroll);
  return details;
}

/**
 * A plain, sortable-free <table>: numbers right-aligned, header cells scoped. A column is a key or
 * {key, label, value(row), format(value, row) -> text or Node, title(value, row) -> hover text, numeric, className}.
 */
export function dataTable(data, columns, {caption, testid} = {}) {
  const cols = columns.map((c) => (typeof c === "string" ? {key: c, label: c} : c));
  const table = document.createElement("table");
  table.className = "data-table";
  if (testid) table.dataset.testid = testid;
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const c of cols) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c.label ?? c.key;
    if (c.numeric ?? isNumericColumn(data, c.key)) th.className = "num";
    if (c.className) th.classList.add(...c.className.split(" "));
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of data) {
    const tr = body.insertRow();
    cols.forEach((c, i) => {
      const value = typeof c.value === "function" ? c.value(row) : row[c.key];
      const cell = i === 0 ? document.createElement("th") : document.createElement("td");
      if (i === 0) cell.scope = "row";
      const text = c.format ? c.format(value, row) : value ?? "–";
      if (text instanceof Node) cell.append(text);
      else cell.textContent = String(text);
      const title = c.title?.(value, row);
      if (title) cell.title = title;
      if (c.numeric ?? isNumericColumn(data, c.key)) cell.className = "num";
      if (c.className) cell.classList.add(...c.className.split(" "));
      tr.append(cell);
    });
  }
  return table;
}

function isNumericColumn(data, key) {
  const v = data.find((d) => d[key] !== null && d[key] !== undefined)?.[key];
  return typeof v === "number";
}
