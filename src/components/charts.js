/**
 * Chart components: each takes (data, {width, ...options}) and returns a Plot figure with a title, a
 * subtitle that states the units and coverage, and a caption naming the source.
 */
import * as Plot from "npm:@observablehq/plot";
import {nice, ticks} from "npm:d3";
import {MEDIAN} from "./compare-view.js";
import {formatChange, formatCount, formatFY, formatMonth, formatPerHead, formatPounds, formatShare} from "./format.js";
import {OTHER, PALETTE, SEQUENTIAL, VCSE} from "./palette.js";

export const SOURCE = "Source: councils’ spending transparency files (OGL v3.0).";

/** Axis ticks in pounds without trailing ".0": £0, £500k, £2m, £1.5bn. */
export function poundsTick(x) {
  const a = Math.abs(x);
  const sign = x < 0 ? "−" : "";
  const trim = (s) => s.replace(/\.0+$/, "");
  if (a >= 1e9) return `${sign}£${trim((a / 1e9).toFixed(1))}bn`;
  if (a >= 1e6) return `${sign}£${trim((a / 1e6).toFixed(1))}m`;
  if (a >= 1e3) return `${sign}£${trim((a / 1e3).toFixed(0))}k`;
  return `${sign}£${a}`;
}

/**
 * Stacked bars by financial year, one segment per council (white dividers, one colour), with the number of
 * councils above each bar. data: council-year totals (complete years only), with financial_year, short_name
 * and the value field.
 */
export function stackedYearBars(data, {width, value = "vcse", years, title, subtitle, caption = SOURCE, format = formatPounds, tick = poundsTick, fill = VCSE, height = 300, marker, markerLabel} = {}) {
  const totals = years.map((fy) => {
    const r = data.filter((d) => d.financial_year === fy && d[value] !== null && d[value] !== undefined);
    const m = marker ? data.filter((d) => d.financial_year === fy) : [];
    return {
      financial_year: fy,
      value: r.reduce((s, d) => s + d[value], 0),
      councils: r.length,
      marker: m.length && m.every((d) => d[marker] !== null && d[marker] !== undefined) ? m.reduce((s, d) => s + d[marker], 0) : null
    };
  });
  const labelY = (d) => Math.max(d.value, d.marker ?? 0);
  return Plot.plot({
    ...{width, height, title, subtitle, caption},
    marginLeft: 56,
    marginTop: 24,
    marginBottom: years.length * 52 > width - 56 ? 48 : 30,
    x: {type: "band", domain: years, label: null, padding: 0.2, tickFormat: formatFY, tickRotate: years.length * 52 > width - 56 ? -35 : 0},
    y: {grid: true, label: null, tickFormat: tick, nice: true},
    marks: [
      Plot.barY(data.filter((d) => d[value] !== null && d[value] !== undefined), {
        x: "financial_year",
        y: value,
        fill,
        stroke: "white",
        strokeWidth: 0.75,
        order: "short_name",
        title: (d) => `${d.short_name}, ${d.financial_year}\n${format(d[value])}`
      }),
      marker
        ? Plot.tickY(totals.filter((d) => d.marker !== null && d.councils > 0), {
            x: "financial_year",
            y: "marker",
            stroke: "#000000",
            strokeWidth: 2.5,
            strokeDasharray: "4,2",
            title: (d) => `${d.financial_year}\n${markerLabel ?? marker}: ${format(d.marker)}`
          })
        : null,
      Plot.text(totals.filter((d) => d.councils > 0), {
        x: "financial_year",
        y: labelY,
        text: (d) => `${d.councils}`,
        dy: -8,
        fontSize: 11,
        fill: "currentColor"
      }),
      Plot.text(totals.filter((d) => d.councils === 0), {
        x: "financial_year",
        y: 0,
        text: () => "–",
        dy: -8,
        fill: "currentColor",
        fillOpacity: 0.6
      }),
      Plot.ruleY([0])
    ]
  });
}

/**
 * Tick values for a value axis whose labels are all different once formatted (0%, 1%, 1%, 2% never): the most
 * ticks, up to `count`, that stay distinct. values: the data; zero: whether the axis starts at 0.
 */
export function distinctTicks(values, format, {zero = true, count = 8} = {}) {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return undefined;
  let [lo, hi] = [Math.min(...finite, ...(zero ? [0] : [])), Math.max(...finite, ...(zero ? [0] : []))];
  if (lo === hi) [lo, hi] = lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi)];
  for (let n = count; n >= 2; n--) {
    const [a, b] = nice(lo, hi, n);
    const t = ticks(a, b, n);
    if (new Set(t.map(format)).size === t.length) return t;
  }
  return [lo, hi].filter((x, i, a) => i === 0 || format(x) !== format(a[0]));
}

/**
 * One line per council through its complete years (dots), labelled at its last full-year point (or, for a council
 * with no full year, its last point). data: council-year totals with financial_year, short_name and the value
 * field; years: the x domain. median: rows of a peer group's median (peerMedians), drawn as a black line; with it,
 * the councils are grey and only `highlight` (a short_name) is coloured and labelled.
 */
export function councilLines(data, {width, value = "share", years, title, subtitle, caption = SOURCE, format = formatShare, tick, height = 340, partialShown = false, yLabel = null, zero = true, median = null, highlight = null} = {}) {
  const names = [...new Set(data.map((d) => d.short_name))].sort();
  const peer = median !== null;
  // Okabe-Ito colours; beyond eight councils they repeat, and the labels at the line ends tell them apart. In a
  // peer group the members are grey: the median and the chosen council are what is compared.
  const colour = peer
    ? {domain: [...names, MEDIAN], range: [...names.map((n) => (n === highlight ? PALETTE[0] : OTHER)), "#000000"]}
    : {domain: names, range: PALETTE};
  const valid = (d) => d[value] !== null && d[value] !== undefined && Number.isFinite(d[value]);
  const shown = data.filter(valid);
  const medianRows = (median ?? []).filter(valid);
  // One row per council and year, null where the year is missing (or partial, when partial years are
  // shown as hollow dots), so the line breaks there instead of drawing a trend across a gap.
  const lineRows = names.flatMap((n) =>
    years.map((fy) => {
      const d = shown.find((r) => r.short_name === n && r.financial_year === fy);
      return {short_name: n, financial_year: fy, y: d && (!partialShown || d.complete) ? d[value] : null};
    })
  );
  const labelled = peer ? names.filter((n) => n === highlight) : names;
  const lastPoint = (n) => {
    const mine = shown.filter((d) => d.short_name === n);
    return mine.filter((d) => d.complete).at(-1) ?? mine.at(-1);
  };
  const ends = [...labelled.map(lastPoint), medianRows.at(-1)].filter(Boolean);
  const last = dodgeLabels(ends, value, height, zero);
  const labelNames = [...labelled, ...(medianRows.length ? [MEDIAN] : [])];
  const tickValues = distinctTicks([...shown, ...medianRows].map((d) => d[value]), tick ?? format, {zero});
  return Plot.plot({
    ...{width, height, title, subtitle, caption},
    marginLeft: 60,
    marginRight: Math.min(160, 12 + 7 * Math.max(0, ...labelNames.map((n) => n.length))),
    marginBottom: years.length * 50 > width - 200 ? 48 : 30,
    x: {type: "point", domain: years, label: null, tickFormat: formatFY, padding: 0.3, tickRotate: years.length * 50 > width - 200 ? -35 : 0},
    y: {grid: true, label: yLabel, zero, nice: true, ticks: tickValues, tickFormat: tick ?? ((x) => format(x))},
    color: colour,
    marks: [
      zero ? Plot.ruleY([0]) : null,
      Plot.line(lineRows, {x: "financial_year", y: "y", z: "short_name", stroke: "short_name", strokeWidth: (d) => (peer && d.short_name !== highlight ? 1.25 : 2)}),
      Plot.dot(shown, {
        filter: (d) => !partialShown || d.complete,
        x: "financial_year",
        y: value,
        fill: "short_name",
        r: 3.5,
        title: (d) => `${d.short_name}, ${d.financial_year}\n${format(d[value])}\n${d.months} of 12 months of data`
      }),
      partialShown
        ? Plot.dot(shown, {
            filter: (d) => !d.complete,
            x: "financial_year",
            y: value,
            stroke: "short_name",
            fill: "white",
            r: 4,
            strokeWidth: 1.75,
            title: (d) => `${d.short_name}, ${d.financial_year}\n${format(d[value])}\nPart year: ${d.months} of 12 months of data`
          })
        : null,
      medianRows.length
        ? Plot.line(medianRows, {x: "financial_year", y: value, stroke: "#000000", strokeWidth: 3, marker: "circle-stroke", title: (d) => `Median of ${d.councils} ${d.councils === 1 ? "council" : "councils"}, ${d.financial_year}\n${format(d[value])}`})
        : null,
      Plot.text(last, {
        x: "financial_year",
        y: "label_y",
        text: "short_name",
        fill: "short_name",
        textAnchor: "start",
        dx: 8,
        fontSize: 12,
        fontWeight: 600
      })
    ]
  });
}

/**
 * Moves line-end labels apart vertically so that they do not overlap: positions in data units, at least
 * 14 pixels apart on a chart of the given height (an estimate: the y scale is taken from 0 or the minimum).
 */
function dodgeLabels(points, value, height, zero) {
  if (points.length === 0) return [];
  const values = points.map((d) => d[value]);
  const lo = zero ? Math.min(0, ...values) : Math.min(...values);
  const hi = Math.max(...values);
  const gap = (14 * (hi - lo || 1)) / Math.max(1, height - 110);
  // Only labels ending in the same year can collide.
  const groups = new Map();
  for (const d of points) groups.set(d.financial_year, [...(groups.get(d.financial_year) ?? []), {...d, label_y: d[value]}]);
  const out = [];
  for (const labels of groups.values()) {
    labels.sort((a, b) => a.label_y - b.label_y);
    // Push overlapping neighbours apart symmetrically until none overlap (or give up after a while).
    for (let pass = 0; pass < 200; pass++) {
      let moved = false;
      for (let i = 1; i < labels.length; i++) {
        const overlap = gap - (labels[i].label_y - labels[i - 1].label_y);
        if (overlap > gap * 1e-3) {
          labels[i - 1].label_y -= overlap / 2;
          labels[i].label_y += overlap / 2;
          moved = true;
        }
      }
      if (!moved) break;
    }
    // Keep labels inside the data's range, so they never stretch the axis (below zero, say).
    const shift = Math.max(0, lo - labels[0].label_y);
    for (const d of labels) d.label_y += shift;
    out.push(...labels);
  }
  return out;
}

/** Coverage heatmap: one row per council, one cell per month; colour = status and payments. */
export function coverageHeatmap(data, {width, title = "Months of spending data per council", subtitle, caption = SOURCE, height} = {}) {
  const councils = [...new Set(data.map((d) => d.short_name))].sort();
  const statusColour = {covered: VCSE, other_period: "#E69F00", gap: "#CC79A7"};
  return Plot.plot({
    ...{width, title, subtitle, caption},
    height: height ?? Math.max(160, 26 * councils.length + 70),
    marginLeft: 150,
    x: {type: "utc", label: null, grid: true},
    y: {domain: councils, label: null},
    color: {
      type: "ordinal",
      domain: ["covered", "other_period", "gap"],
      range: [statusColour.covered, statusColour.other_period, statusColour.gap],
      legend: true,
      tickFormat: (s) => ({covered: "Data for the month", other_period: "Only stray payments (from files for other months)", gap: "Gap: no data"})[s]
    },
    marks: [
      Plot.barX(data, {
        x1: (d) => monthDate(d.month),
        x2: (d) => nextMonth(d.month),
        y: "short_name",
        fill: "status",
        insetLeft: 0.5,
        insetRight: 0.5,
        title: (d) => `${d.short_name}, ${formatMonth(d.month)}\n${statusText(d.status)}\n${formatCount(d.payments)} payments, ${formatPounds(d.amount)}`
      })
    ]
  });
}

function statusText(s) {
  return {covered: "Data for the month", other_period: "Only payments from files published for other months", gap: "No data"}[s] ?? s;
}

export function monthDate(m) {
  return new Date(`${String(m).slice(0, 7)}-01T00:00:00Z`);
}

function nextMonth(m) {
  const d = monthDate(m);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** Horizontal bars with a zero baseline: data [{label, value}], labelled at the end of each bar. */
export function horizontalBars(data, {width, title, subtitle, caption = SOURCE, format = formatCount, tick, fill = VCSE, x = "value", y = "label", marginLeft = 180, height} = {}) {
  return Plot.plot({
    ...{width, title, subtitle, caption},
    height: height ?? Math.max(120, 30 * data.length + 60),
    marginLeft,
    marginRight: 70,
    x: {grid: true, label: null, tickFormat: tick ?? format, nice: true},
    y: {label: null, domain: data.map((d) => d[y])},
    marks: [
      Plot.barX(data, {x, y, fill, title: (d) => `${d[y]}\n${format(d[x])}`}),
      Plot.text(data, {x, y, text: (d) => format(d[x]), textAnchor: "start", dx: 4, fill: "currentColor"}),
      Plot.ruleX([0])
    ]
  });
}

/**
 * Stacked horizontal bars of a share split: data [{label, part, value}] with part in `parts` order and a
 * colour per part; values are shares of each label's total.
 */
export function shareSplitBars(data, {width, parts, colours, title, subtitle, caption = SOURCE, partLabel = (p) => p, height, marginLeft = 120} = {}) {
  const labels = [...new Set(data.map((d) => d.label))];
  return Plot.plot({
    ...{width, title, subtitle, caption},
    height: height ?? Math.max(120, 34 * labels.length + 90),
    marginLeft,
    x: {label: null, tickFormat: (x) => formatShare(x, 0), domain: [0, 1], grid: true},
    y: {label: null, domain: labels},
    color: {domain: parts, range: colours, legend: true, tickFormat: partLabel},
    marks: [
      Plot.barX(data, {
        x: "value",
        y: "label",
        fill: "part",
        order: parts,
        offset: "normalize",
        title: (d) => `${d.label}: ${partLabel(d.part)}\n${formatShare(d.share ?? 0)} (${formatPounds(d.amount ?? d.value)})`
      }),
      Plot.ruleX([0])
    ]
  });
}

export {OTHER, PALETTE, VCSE, SEQUENTIAL, formatChange, formatPerHead};
