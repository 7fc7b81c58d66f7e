/**
 * Export toolbar for charts and tables: Download PNG, Download SVG, Download CSV, Copy embed code.
 *
 *   import {exportToolbar} from "./components/exports.js";
 *   const chart = display(trendChart(rows, {width}));
 *   display(exportToolbar(chart, {title: "VCSE spending by year", filename: "vcse-by-year", data: rows,
 *     columns: [{key: "year", label: "Financial year"}, {key: "vcse", label: "VCSE spending (£)"}],
 *     source: "Councils’ spending transparency files (OGL v3.0)", embed: "/embed/vcse-trend"}));
 *
 * target   the chart: an Element holding it (a Plot <figure>, an <svg>, or the element resize() returns), or
 *          a function returning one. The largest <svg> inside is exported, looked up at click time. null
 *          gives a toolbar without the PNG and SVG buttons (for tables).
 * options  title     shown on the exported image and used in the embed snippet (required)
 *          filename  base name of the downloaded files, without extension (default: from the title)
 *          data      array of row objects for the CSV (default: none, no CSV button)
 *          columns   [{key, label?}] or ["key", …] in CSV order (default: the keys of the first row)
 *          source    source line written under the exported image (default: SOURCE_LINE)
 *          embed     path of a chart-only embed page (e.g. "/embed/vcse-trend"), or a full URL, or
 *                    {src, height}; without it there is no "Copy embed code" button
 *
 * CSV cells that are strings starting with = + - @ tab or carriage return are prefixed with a single quote
 * so that spreadsheets do not run them as formulas; numbers are written as numbers, to 15 significant digits
 * so that a sum's binary rounding (13887916.809999999) prints as the pence-exact amount it is (13887916.81).
 */

/**
 * The iframe height each embed page needs at every width from 320 to 800 px (test/browser/embeds.test.ts
 * measures it): its title, chart, source line and date.
 */
// A council's trend draws its labels upright on a narrow phone, which makes it 72 px taller: the height fits that.
export const EMBED_HEIGHTS = {trend: 600, council: 640, council_services: 560, compare: 640};

export const SOURCE_LINE = "Source: English councils’ spending transparency files (Open Government Licence v3.0), compiled by VCSE spend";

/** One row array per line, RFC 4180 quoting, formula-injection guard on strings. */
export function toCsv(data, columns) {
  const cols = normaliseColumns(data, columns);
  const lines = [cols.map((c) => csvCell(c.label)).join(",")];
  for (const row of data) lines.push(cols.map((c) => csvCell(row[c.key])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export function csvCell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : "";
  if (typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return isNaN(value) ? "" : value.toISOString();
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function normaliseColumns(data, columns) {
  const list = columns ?? Object.keys(data[0] ?? {});
  return list.map((c) => (typeof c === "string" ? {key: c, label: c} : {key: c.key, label: c.label ?? c.key}));
}

function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
}

export function exportToolbar(target, {title, filename, data, columns, source = SOURCE_LINE, embed} = {}) {
  if (!title) throw new Error("exportToolbar: title is required");
  const base = filename ?? slug(title);
  const current = () => (typeof target === "function" ? target() : target);
  const svgOf = () => {
    const t = current();
    if (!t) return null;
    if (t instanceof SVGSVGElement) return t;
    // Plot figures hold the chart <svg> plus, with a colour legend, a small swatch <svg>: take the largest.
    const svgs = [...t.querySelectorAll("svg")];
    return svgs.sort((a, b) => area(b) - area(a))[0] ?? null;
  };

  const bar = document.createElement("div");
  bar.className = "export-toolbar no-print";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", `Export: ${title}`);
  const status = document.createElement("span");
  status.className = "export-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const button = (label, action, name) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.export = name;
    b.addEventListener("click", async () => {
      try {
        status.textContent = (await action()) ?? "";
      } catch (error) {
        status.textContent = `Could not export: ${error.message}`;
        console.warn(error);
      }
    });
    bar.append(b);
    return b;
  };

  // Tables pass target null; a chart drawn by resize() may have no <svg> yet, so look again on click.
  const hasChart = target !== null && target !== undefined;
  const chartOrFail = () => {
    const svg = svgOf();
    if (!svg) throw new Error("the chart is not drawn yet");
    return svg;
  };
  if (hasChart) {
    button("Download PNG", async () => {
      const blob = await chartPng(chartOrFail(), current(), {title, source});
      download(blob, `${base}.png`);
      return `Saved ${base}.png`;
    }, "png");
    button("Download SVG", () => {
      const svg = chartSvg(chartOrFail(), current(), {title, source});
      download(new Blob([svg.markup], {type: "image/svg+xml"}), `${base}.svg`);
      return `Saved ${base}.svg`;
    }, "svg");
  }
  if (data) {
    button("Download CSV", async () => {
      const rows = typeof data === "function" ? await data() : data;
      download(new Blob(["\ufeff" + toCsv(rows, columns)], {type: "text/csv;charset=utf-8"}), `${base}.csv`);
      return `Saved ${base}.csv (${rows.length.toLocaleString("en-GB")} rows)`;
    }, "csv");
  }

  const snippetBox = document.createElement("textarea");
  snippetBox.className = "export-snippet";
  snippetBox.readOnly = true;
  snippetBox.rows = 3;
  snippetBox.hidden = true;
  snippetBox.setAttribute("aria-label", `Embed code for ${title}`);
  // Only a chart with a chart-only page of its own can be embedded: never the whole page it sits on.
  if (embed) button("Copy embed code", async () => {
    const snippet = embedSnippet(embed, title);
    snippetBox.value = snippet;
    snippetBox.hidden = false;
    snippetBox.select();
    try {
      await navigator.clipboard.writeText(snippet);
      return "Embed code copied to the clipboard";
    } catch {
      return "Embed code selected below: press Ctrl+C (⌘C) to copy";
    }
  }, "embed");

  bar.append(status, snippetBox);
  return bar;
}

/** An iframe snippet for an embed page (relative paths resolve against the site's own address). */
export function embedSnippet(embed, title) {
  const spec = typeof embed === "object" && embed !== null ? embed : {src: embed};
  const src = new URL(spec.src ?? location.href, location.href);
  if (spec.src) {
    // Keep the page's query string (a compare view, say) unless the embed address has its own.
    if (!src.search && location.search && spec.keepQuery) src.search = location.search;
  }
  const height = spec.height ?? 480;
  const esc = (s) => String(s).replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return `<iframe src="${esc(src.href)}" title="${esc(title)}" width="100%" height="${height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

function area(el) {
  const r = el.getBoundingClientRect();
  return r.width * r.height;
}

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const STYLE_PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-linecap",
  "stroke-linejoin", "opacity", "font-family", "font-size", "font-weight", "font-style", "font-variant-numeric",
  "text-anchor", "dominant-baseline", "paint-order", "visibility", "display", "mix-blend-mode"
];

/**
 * A standalone SVG of the chart: CSS variables and currentColor resolved into inline styles, with the
 * chart's title above and the source line (and the figure's caption, if any) below.
 */
export function chartSvg(svg, figure, {title, source}) {
  const ns = "http://www.w3.org/2000/svg";
  const clone = svg.cloneNode(true);
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [clone, ...clone.querySelectorAll("*")];
  originals.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(";");
    copies[i].setAttribute("style", style);
  });
  clone.querySelectorAll("style").forEach((s) => s.remove());
  const {width, height} = svg.getBoundingClientRect();
  const w = Math.ceil(width || Number(svg.getAttribute("width")) || 640);
  const h = Math.ceil(height || Number(svg.getAttribute("height")) || 400);
  const font = getComputedStyle(svg).fontFamily || "system-ui, sans-serif";
  const subtitle = figure?.querySelector?.("h3")?.textContent ?? "";
  const caption = figure?.querySelector?.("figcaption")?.textContent ?? "";
  const wrap = (text, size) => wrapText(text, Math.max(20, Math.floor(w / (size * 0.52))));
  const top = [[title, 18, 700], ...wrap(subtitle, 13).map((t) => [t, 13, 400])];
  // A chart whose caption names its source already (Plot's caption option) carries it once, not twice.
  const notes = namesSource(caption) ? [caption] : [caption, source];
  const bottom = [...notes.flatMap((text) => wrap(text, 11).map((t) => [t, 11, 400])),
    [`Downloaded ${new Date().toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"})} from ${location.origin}${location.pathname}`, 11, 400]];
  const topH = top.reduce((s, [, size]) => s + size * 1.4, 8);
  const bottomH = bottom.reduce((s, [, size]) => s + size * 1.4, 12);
  const out = document.createElementNS(ns, "svg");
  out.setAttribute("xmlns", ns);
  out.setAttribute("width", w);
  out.setAttribute("height", Math.ceil(topH + h + bottomH));
  out.setAttribute("viewBox", `0 0 ${w} ${Math.ceil(topH + h + bottomH)}`);
  out.setAttribute("font-family", font);
  const bg = document.createElementNS(ns, "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", "#ffffff");
  out.append(bg);
  let y = 4;
  const addText = ([text, size, weight], colour) => {
    y += size * 1.4;
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", 0);
    t.setAttribute("y", y - size * 0.35);
    t.setAttribute("font-size", size);
    t.setAttribute("font-weight", weight);
    t.setAttribute("fill", colour);
    t.textContent = text;
    out.append(t);
  };
  top.forEach((line, i) => addText(line, i === 0 ? "#1b1e23" : "#4a4f57"));
  const g = document.createElementNS(ns, "g");
  g.setAttribute("transform", `translate(0,${topH})`);
  clone.setAttribute("x", 0);
  clone.setAttribute("y", 0);
  clone.setAttribute("width", w);
  clone.setAttribute("height", h);
  g.append(clone);
  out.append(g);
  y = topH + h + 6;
  bottom.forEach((line) => addText(line, "#4a4f57"));
  return {markup: new XMLSerializer().serializeToString(out), width: w, height: Math.ceil(topH + h + bottomH)};
}

/** Whether a caption already states where the figures come from ("Source: …", "Sources: …"). */
export function namesSource(caption) {
  return /\bsources?\s*:/i.test(String(caption ?? ""));
}

export async function chartPng(svg, figure, options, scale = 2) {
  const {markup, width, height} = chartSvg(svg, figure, options);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([markup], {type: "image/svg+xml"}));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("canvas is empty"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function wrapText(text, maxChars) {
  const words = String(text ?? "").split(/\s+/).filter(Boolean);
  const lines = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
