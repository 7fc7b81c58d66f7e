/**
 * The charts of how a council's services are delivered, for the Services page and each council page (rows from
 * service-rows.js): VCSE money by payment type, and each service group's supplier pounds split by sector.
 */
import * as Plot from "npm:@observablehq/plot";
import {formatPounds} from "./format.js";
import {OTHER, PALETTE, VCSE} from "./palette.js";
import {PAYMENT_TYPE_LABEL, SECTORS, paymentTypeLong, sectorLong} from "./service-rows.js";

// "2024–25" with an en dash: Plot reads "2024-25" as a date (YYYY-MM) and marks the chart with a warning.
const year = (d) => d.financial_year.replace("-", "\u2013");

/** Grants, payments for services and unknown, stacked per financial year (typeRows: paymentTypeRows). */
export function paymentTypeChart(typeRows, {width, title, subtitle, caption, height = 260} = {}) {
  return Plot.plot({
    width,
    height,
    marginLeft: 70,
    title,
    subtitle,
    caption,
    x: {label: "Financial year"},
    y: {label: "£ (cash)", tickFormat: (x) => formatPounds(x), grid: true},
    color: {legend: true, domain: Object.values(PAYMENT_TYPE_LABEL), range: [VCSE, PALETTE[0], OTHER]},
    marks: [Plot.barY(paymentTypeLong(typeRows), {x: year, y: "amount", fill: "type", tip: true}), Plot.ruleY([0])]
  });
}

/** One row of bars per service group, each year's bar split to 100% by sector (rows: groupYearRows). */
export function sectorShareChart(rows, {width, title, subtitle, caption} = {}) {
  const long = sectorLong(rows);
  const groups = [...new Set(rows.map((d) => d.group_label))];
  const narrow = width < 600;
  return Plot.plot({
    width,
    height: 90 * groups.length + 60,
    marginLeft: 70,
    marginRight: narrow ? 10 : 150,
    title,
    subtitle,
    caption,
    x: {label: "Financial year"},
    y: {label: "Share of the service's pounds", tickFormat: "%", ticks: 2, grid: true},
    fy: {label: null, domain: groups, axis: narrow ? null : "right"},
    color: {legend: true, domain: SECTORS.map(([, l]) => l), range: [VCSE, PALETTE[1], PALETTE[0], PALETTE[3], PALETTE[4], OTHER]},
    marks: [
      // Each bar is one service-year split to 100%: groups differ a hundredfold in size. Net credits (negative) are in the table only.
      Plot.barY(long.filter((d) => d.amount > 0), {x: year, y: "amount", fy: "group_label", fill: "sector", offset: "normalize", tip: {format: {y: false, amount: (x) => formatPounds(x)}}, channels: {amount: "amount"}}),
      narrow ? Plot.text(groups, {fy: (d) => d, text: (d) => d, frameAnchor: "top-left", dy: 2, fontWeight: "bold", stroke: "white", strokeWidth: 4, paintOrder: "stroke"}) : null,
      Plot.ruleY([0])
    ]
  });
}
