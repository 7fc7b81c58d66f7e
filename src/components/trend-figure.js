/**
 * The embeddable trend chart: VCSE spending by financial year (cash or real terms) with its title, coverage,
 * source line and date, as one self-contained <figure>. Used by the iframe page (embed/vcse-trend.md) and
 * the exported module (embed/vcse-trend.js), both from data/vcse-trend.json.
 */
import {stackedYearBars} from "./charts.js";
import {formatPounds, plural} from "./format.js";

/** vcse-trend.json rows -> council-years with `complete` and the value fields the chart reads. */
export function trendCouncilYears(doc) {
  return doc.rows.map((d) => ({...d, complete: d.months === 12}));
}

export function trendFigure(doc, {width = 640, measure = "cash", href} = {}) {
  const rows = trendCouncilYears(doc);
  const allComplete = rows.filter((d) => d.complete);
  const firstYear = allComplete.map((d) => d.financial_year).sort()[0];
  const years = [...new Set(rows.map((d) => d.financial_year))].sort().filter((fy) => !firstYear || fy >= firstYear);
  const complete = allComplete.filter((d) => measure !== "real" || d.vcse_real !== null);
  const value = measure === "real" ? "vcse_real" : "vcse";
  const councils = new Set(complete.map((d) => d.council_code)).size;
  const latest = complete.map((d) => d.financial_year).sort().at(-1);
  const latestRows = complete.filter((d) => d.financial_year === latest);
  const date = new Date(doc.generated).toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"});

  const figure = document.createElement("figure");
  figure.className = "vcse-embed";
  figure.style.cssText = "margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1e23;max-width:100%";
  const title = document.createElement("h2");
  const names = [...new Set(complete.map((d) => d.short_name))].sort();
  const whose = doc.english_councils ? `${councils} of ${doc.english_councils} councils` : plural(councils, "council");
  title.textContent = `What English councils paid the voluntary sector: ${whose}, ${measure === "real" ? `real terms (${doc.base_year} prices)` : "cash"}`;
  title.style.cssText = "font-size:1.15rem;margin:0 0 0.2rem;line-height:1.25";
  const sub = document.createElement("p");
  sub.style.cssText = "margin:0 0 0.5rem;font-size:0.85rem;color:#4a4f57";
  sub.dataset.testid = "embed-whose";
  sub.textContent = latest
    ? `VCSE spending by financial year of ${names.join(", ")}, in the years each has all 12 months of data (number above each bar); the councils differ from year to year, so bar heights are not a trend. ${latest}: ${formatPounds(latestRows.reduce((s, d) => s + d[value], 0))} from ${plural(latestRows.length, "council")}.`
    : "No council has a full year of data yet.";
  const chart = stackedYearBars(complete, {width, years, value, caption: null, height: Math.round(Math.min(360, Math.max(220, width * 0.5)))});
  const source = document.createElement("figcaption");
  source.style.cssText = "font-size:0.78rem;color:#4a4f57;margin-top:0.4rem";
  source.append(`Source: ${doc.source}. Updated ${date}. `);
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.target = "_top";
    a.textContent = "Explore the data";
    a.style.color = "inherit";
    source.append(a);
  }
  figure.append(title, sub, chart, source);
  figure.dataset.testid = "embed-figure";
  return figure;
}
