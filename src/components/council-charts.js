/**
 * Charts of one council's page, each a function of the page's data (see CouncilDetail in
 * pipeline/compact/council.ts) returning a Plot figure. Amounts are pounds, cash, as published.
 */
import * as Plot from "npm:@observablehq/plot";
import {formatMonth, formatPounds, formatShare} from "./format.js";
import {OTHER, VCSE} from "./palette.js";

const MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"];

/** £ millions on an axis: 0, 5, 10 … with one decimal under £10m. */
function millions(x) {
  return x === 0 ? "0" : Math.abs(x) < 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(0);
}

/** £m for large amounts, £ thousand for small ones. */
function unitFor(max) {
  return max >= 1e6 ? {divisor: 1e6, label: "£m", words: "£ million", format: millions} : {divisor: 1e3, label: "£k", words: "£ thousand", format: (x) => x.toFixed(0)};
}

/**
 * Years with at least one month of coverage: cash as bars (paler for part years), real terms as a solid black
 * line across each bar where the year has a deflator.
 */
export function trendChart(years, {width, baseYear, height = 300, title = "VCSE spending by financial year"} = {}) {
  const shown = years.filter((y) => y.months > 0);
  const real = shown.filter((y) => y.vcse_real !== null);
  const unit = unitFor(Math.max(0, ...shown.map((y) => Math.max(y.vcse, y.vcse_real ?? 0))));
  const label = (y) => (y.full ? formatPounds(y.vcse) : `${formatPounds(y.vcse)} (${y.months} mo)`);
  const top = (y) => Math.max(0, y.vcse, y.vcse_real ?? 0) / unit.divisor;
  // Bars too narrow for their label side by side (many years on a phone) carry it upright.
  const upright = ((width ?? 640) - 68) / Math.max(1, shown.length) < 44;
  return Plot.plot({
    width,
    height: upright ? height + 72 : height,
    marginLeft: 48,
    marginTop: upright ? 64 : 24,
    ...(upright ? {marginBottom: 52} : {}),
    title,
    subtitle: `${unit.words}. Bars: cash, as published; paler bars: fewer than 12 months of data.${real.length ? ` Black line across a bar: real terms in ${baseYear} prices (HM Treasury GDP deflator).` : ""}`,
    x: {type: "band", label: null, domain: shown.map((y) => y.financial_year), padding: 0.25, ...(upright ? {tickRotate: -90} : {})},
    y: {label: unit.label, grid: true, tickFormat: unit.format, nice: true},
    marks: [
      Plot.barY(shown, {
        x: "financial_year",
        y: (d) => d.vcse / unit.divisor,
        fill: VCSE,
        fillOpacity: (d) => (d.full ? 1 : 0.4),
        title: (d) => `${d.financial_year}: ${formatPounds(d.vcse)} cash, ${d.months} of 12 months of data`
      }),
      Plot.tickY(real, {
        x: "financial_year",
        y: (d) => d.vcse_real / unit.divisor,
        stroke: "#1b1e23",
        strokeWidth: 2.5,
        title: (d) => `${d.financial_year}: ${formatPounds(d.vcse_real)} in ${baseYear} prices`
      }),
      Plot.text(shown, {
        x: "financial_year", y: top, text: label, fontSize: shown.length > 8 ? 9.5 : 11, fill: "currentColor",
        ...(upright ? {rotate: -90, textAnchor: "start", dy: -6} : {dy: -8})
      }),
      Plot.ruleY([0])
    ]
  });
}

export const OTHER_SERVICES = "All other service areas";

/** Widths in pixels of text at the charts' font sizes (system sans-serif; digits and capitals are the widest). */
const textWidth = (text, size) => text.length * size * 0.6;
const shorten = (s, chars) => (s.length > chars ? `${s.slice(0, Math.max(1, chars - 1))}…` : s);

/**
 * One year's service areas: all spending (grey) with the VCSE part of it (green) overlaid. The rest
 * (OTHER_SERVICES) is left out: it can be larger than all the others together and would flatten them.
 * The margins are measured from the labels: the value labels to the right of the bars get the room they need,
 * and where the names beside the bars would leave the bars too little (a phone), each name goes above its bar.
 */
export function servicesChart(rows, {width, year} = {}) {
  const data = rows.filter((d) => d.financial_year === year && d.service !== OTHER_SERVICES);
  const order = data.map((d) => d.service);
  const value = (d) => `${formatPounds(d.vcse)} of ${formatPounds(d.total)}${d.total > 0 ? ` (${formatShare(d.vcse / d.total, 0)})` : ""}`;
  const right = 10 + Math.max(0, ...data.map((d) => textWidth(value(d), 11)));
  const names = 12 + Math.max(0, ...order.map((s) => textWidth(shorten(s, 40), 11)));
  const minPlot = Math.max(120, width * 0.3);
  const beside = width - right - Math.min(names, 260) >= minPlot;
  const left = beside ? Math.min(names, 260) : 8;
  const chars = Math.floor((beside ? left - 12 : width - 8) / (11 * 0.6));
  const plotWidth = width - left - right;
  const row = beside ? 30 : 46;
  return Plot.plot({
    width,
    height: 40 + row * data.length,
    marginLeft: left,
    marginRight: right,
    title: `Spending by service area, ${year}`,
    subtitle: "£ million, cash. Grey: everything the council paid through the service area; green: the part paid to VCSE organisations. The service areas paying most to VCSE organisations.",
    x: {label: "£m", grid: true, tickFormat: millions, axis: "top", ticks: Math.max(2, Math.floor(plotWidth / 70))},
    y: {label: null, domain: order, axis: beside ? "left" : null, tickFormat: (s) => shorten(s, chars)},
    marks: [
      Plot.barX(data, {y: "service", x: (d) => Math.max(0, d.total) / 1e6, fill: OTHER, fillOpacity: 0.35, insetTop: beside ? 0 : 18}),
      Plot.barX(data.filter((d) => d.vcse > 0), {y: "service", x: (d) => d.vcse / 1e6, fill: VCSE, insetTop: beside ? 0 : 18}),
      Plot.text(data, {y: "service", x: (d) => Math.max(0, d.total) / 1e6, text: value, textAnchor: "start", dx: 6, dy: beside ? 0 : 9, fontSize: 11, fill: "currentColor"}),
      beside ? null : Plot.text(data, {y: "service", text: (d) => shorten(d.service, chars), frameAnchor: "left", textAnchor: "start", dy: -11, fontSize: 11, fill: "currentColor"}),
      Plot.ruleX([0])
    ]
  });
}

const STATUS = {
  covered: {label: "Published for that month", colour: VCSE},
  other_period: {label: "Only payments dated there from other months’ files", colour: "#E69F00"},
  gap: {label: "No data", colour: "#e4e6ea"}
};

/** Months of each financial year (April to March) by what the council's files cover. */
export function coverageChart(months, {width} = {}) {
  const years = [...new Set(months.map((m) => m.financial_year))].sort();
  const data = months.map((m) => ({...m, slot: MONTHS[(Number(m.month.slice(5, 7)) + 8) % 12]}));
  return Plot.plot({
    width,
    height: 60 + 26 * years.length,
    marginLeft: 64,
    title: "Months of data",
    subtitle: "Each square is a month of a financial year. Only years with all twelve months published count as full years.",
    x: {domain: MONTHS, label: null, axis: "top"},
    y: {domain: years, label: null},
    color: {
      domain: Object.values(STATUS).map((s) => s.label),
      range: Object.values(STATUS).map((s) => s.colour),
      legend: true
    },
    marks: [
      Plot.cell(data, {
        x: "slot",
        y: "financial_year",
        fill: (d) => STATUS[d.status].label,
        stroke: "#8a8f98",
        strokeWidth: 0.5,
        inset: 1.5,
        title: (d) => `${formatMonth(d.month)}: ${STATUS[d.status].label.toLowerCase()}; ${d.payments.toLocaleString("en-GB")} payments, ${formatPounds(d.amount)} in all, ${formatPounds(d.vcse)} to VCSE organisations`
      })
    ]
  });
}
