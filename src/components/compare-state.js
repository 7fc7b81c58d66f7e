/**
 * The Compare page's state and controls. The whole state lives in the query string:
 *
 *   ?councils=E08000009,E07000120&metric=real&from=2015-16&to=2025-26
 *   ?type=Metropolitan+district&region=North+West&metric=share       (a peer group)
 *   ?type=Metropolitan+district&region=&council=E08000009             (a peer group's median against one member)
 *
 * compareControls(...) returns a form whose `value` is the state and which fires "input" when it changes
 * (use it with Framework's view()); every change is written to the address with history.replaceState.
 */
import {formatPerHead, formatPounds, formatShare} from "./format.js";
import {poundsTick} from "./charts.js";
import {inGroup} from "./compare-view.js";

export const METRICS = {
  cash: {
    label: "VCSE spending, cash",
    unit: "£, as published",
    value: (d) => d.vcse,
    format: formatPounds,
    tick: poundsTick,
    csvLabel: "VCSE spending cash (GBP)",
    caption: "Source: councils’ spending transparency files (OGL v3.0)."
  },
  real: {
    label: "VCSE spending, real terms",
    unit: "£ at the prices of the latest complete financial year (HM Treasury GDP deflator); blank where ONS has not published the year",
    value: (d) => d.vcse_real,
    format: formatPounds,
    tick: poundsTick,
    csvLabel: "VCSE spending real terms (GBP, base-year prices)",
    caption: "Source: councils’ spending transparency files (OGL v3.0); ONS series YBGB."
  },
  per_resident: {
    label: "VCSE spending per resident",
    unit: "£ per resident (ONS mid-year estimates); blank where there is no estimate",
    value: (d) => d.vcse_per_resident,
    format: formatPerHead,
    tick: (x) => `£${x}`,
    csvLabel: "VCSE spending per resident (GBP)",
    caption: "Source: councils’ spending transparency files (OGL v3.0); ONS mid-year population estimates."
  },
  share: {
    label: "VCSE share of spending outside the public sector",
    unit: "% of the council’s payments to suppliers outside the public sector",
    value: (d) => d.share,
    format: (x) => formatShare(x),
    tick: (x) => formatShare(x, 0),
    csvLabel: "VCSE share of spending outside the public sector (fraction)",
    caption: "Source: councils’ spending transparency files (OGL v3.0)."
  }
};

const METRIC_NAMES = {cash: "Cash", real: "Real terms", per_resident: "Per resident", share: "Share of spending"};

/** The state a query string describes, with unknown councils, metrics and years dropped. */
export function parseCompareState(search, {councils, years, defaults}) {
  const params = new URLSearchParams(search);
  const known = new Set(councils.map((c) => c.code));
  const types = new Set(councils.map((c) => c.type));
  const regions = new Set(councils.map((c) => c.region));
  const type = params.get("type") ?? "";
  const region = params.get("region") ?? "";
  const mode = params.has("type") || params.has("region") ? "peer" : "councils";
  const listed = params.has("councils")
    ? params.get("councils").split(",").map((s) => s.trim().toUpperCase()).filter((c) => known.has(c))
    : defaults.councils;
  const metric = METRICS[params.get("metric")] ? params.get("metric") : defaults.metric;
  let from = years.includes(params.get("from")) ? params.get("from") : defaults.from;
  let to = years.includes(params.get("to")) ? params.get("to") : defaults.to;
  if (from > to) [from, to] = [to, from];
  const council = params.get("council")?.trim().toUpperCase() ?? "";
  const group = {type: types.has(type) ? type : "", region: regions.has(region) ? region : ""};
  return {
    mode,
    councils: [...new Set(listed)],
    ...group,
    // The member a peer group's median is set against ("" for none, or one outside the group).
    council: mode === "peer" && inGroup(councils, council, group) ? council : "",
    metric,
    from,
    to
  };
}

/** The query string for a state ("?…"). */
export function compareSearch(state) {
  const params = new URLSearchParams();
  if (state.mode === "peer") {
    params.set("type", state.type);
    params.set("region", state.region);
    if (state.council) params.set("council", state.council);
  } else {
    params.set("councils", state.councils.join(","));
  }
  params.set("metric", state.metric);
  params.set("from", state.from);
  params.set("to", state.to);
  return `?${params.toString().replaceAll("%2C", ",")}`;
}

let uid = 0;

export function compareControls({councils, years, defaults}) {
  const id = `compare-${++uid}`;
  const byCode = new Map(councils.map((c) => [c.code, c]));
  let state = parseCompareState(location.search, {councils, years, defaults});

  const form = document.createElement("form");
  form.className = "compare-controls";
  form.setAttribute("aria-label", "Comparison settings");
  form.addEventListener("submit", (event) => event.preventDefault());

  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else if (k in e && typeof v !== "string") e[k] = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  };
  const radioGroup = (legend, name, options, checked, testid) => {
    const fs = el("fieldset", {class: "radio-group", "data-testid": testid}, el("legend", {}, legend));
    for (const [value, label] of options) {
      const input = el("input", {type: "radio", name: `${id}-${name}`, value});
      input.checked = value === checked;
      fs.append(el("label", {}, input, ` ${label}`));
    }
    return fs;
  };

  const modeGroup = radioGroup("Compare", "mode", [["councils", "Chosen councils"], ["peer", "A peer group"]], state.mode, "compare-mode");

  // Chosen councils: type-ahead search (a native datalist) and removable chips.
  const listId = `${id}-list`;
  const datalist = el("datalist", {id: listId}, ...councils.map((c) => el("option", {value: c.name, label: `${c.type}, ${c.region}`})));
  const search = el("input", {type: "search", list: listId, placeholder: "Type a council’s name", autocomplete: "off", "data-testid": "council-search", "aria-describedby": `${id}-msg`});
  const addButton = el("button", {type: "button", "data-testid": "council-add"}, "Add");
  const message = el("span", {id: `${id}-msg`, class: "coverage", role: "status", "aria-live": "polite"});
  const chips = el("div", {class: "chips", "data-testid": "council-chips", "aria-label": "Chosen councils"});
  const councilPanel = el(
    "div",
    {class: "council-panel"},
    el("label", {for: `${id}-search`}, "Add a council "),
    search,
    " ",
    addButton,
    datalist,
    " ",
    message,
    chips
  );
  search.id = `${id}-search`;

  // Peer group: council type and region.
  const select = (label, options, value, testid) => {
    const s = el("select", {"data-testid": testid});
    for (const [v, text] of options) {
      const o = el("option", {value: v}, text);
      o.selected = v === value;
      s.append(o);
    }
    return [el("label", {}, `${label} `, s), s];
  };
  const uniq = (f) => [...new Set(councils.map(f).filter(Boolean))].sort();
  const [typeLabel, typeSelect] = select("Council type", [["", "All types"], ...uniq((c) => c.type).map((t) => [t, t])], state.type, "peer-type");
  const [regionLabel, regionSelect] = select("Region", [["", "All regions"], ...uniq((c) => c.region).map((r) => [r, r])], state.region, "peer-region");
  const [highlightLabel, highlightSelect] = select("Against the median", [["", "No council"]], state.council, "peer-council");
  const peerMembers = el("p", {class: "coverage", "data-testid": "peer-members"});
  const peerPanel = el("div", {class: "peer-panel"}, typeLabel, " ", regionLabel, " ", highlightLabel, peerMembers);

  const metricGroup = radioGroup("Measure", "metric", Object.entries(METRIC_NAMES), state.metric, "compare-metric");
  const [fromLabel, fromSelect] = select("From", years.map((y) => [y, y]), state.from, "year-from");
  const [toLabel, toSelect] = select("to", years.map((y) => [y, y]), state.to, "year-to");
  const yearsBox = el("div", {class: "years"}, el("span", {class: "legend-like"}, "Years: "), fromLabel, " ", toLabel);

  form.append(modeGroup, councilPanel, peerPanel, metricGroup, yearsBox);

  function render() {
    councilPanel.hidden = state.mode !== "councils";
    peerPanel.hidden = state.mode !== "peer";
    chips.replaceChildren(
      ...state.councils.map((code) => {
        const c = byCode.get(code);
        const remove = el("button", {type: "button", "aria-label": `Remove ${c.name}`, title: `Remove ${c.name}`}, "×");
        remove.addEventListener("click", () => {
          update({councils: state.councils.filter((x) => x !== code)});
          search.focus();
        });
        return el("span", {class: "chip", "data-code": code}, c.name, remove);
      })
    );
    if (state.councils.length === 0) chips.append(el("span", {class: "coverage"}, "No council chosen yet."));
    const members = councils.filter((c) => inGroup(councils, c.code, state));
    highlightSelect.replaceChildren(...[["", "No council"], ...members.map((c) => [c.code, c.name])].map(([v, text]) => {
      const o = el("option", {value: v}, text);
      o.selected = v === state.council;
      return o;
    }));
    peerMembers.textContent = members.length
      ? `${members.length} ${members.length === 1 ? "council" : "councils"} with data: ${members.map((c) => c.name).join(", ")}.`
      : "No council with data is in this group.";
  }

  function update(changes) {
    state = {...state, ...changes};
    if (state.council && !inGroup(councils, state.council, state)) state = {...state, council: ""};
    if (state.from > state.to) state = {...state, from: state.to, to: state.from};
    fromSelect.value = state.from;
    toSelect.value = state.to;
    history.replaceState(history.state, "", `${location.pathname}${compareSearch(state)}${location.hash}`);
    form.value = state;
    render();
    form.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function addFromSearch() {
    const text = search.value.trim().toLowerCase();
    if (!text) return;
    const exact = councils.find((c) => c.name.toLowerCase() === text || c.code.toLowerCase() === text);
    const partial = councils.filter((c) => c.name.toLowerCase().includes(text));
    const found = exact ?? (partial.length === 1 ? partial[0] : null);
    if (!found) {
      message.textContent = partial.length > 1 ? `“${search.value}” matches ${partial.length} councils: keep typing.` : `No council with data matches “${search.value}”.`;
      return;
    }
    message.textContent = state.councils.includes(found.code) ? `${found.name} is already chosen.` : `Added ${found.name}.`;
    search.value = "";
    if (!state.councils.includes(found.code)) update({councils: [...state.councils, found.code]});
  }

  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addFromSearch();
    }
  });
  // Choosing from the datalist fires "input" with the full name: add it at once.
  search.addEventListener("input", (event) => {
    event.stopPropagation();
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) addFromSearch();
  });
  addButton.addEventListener("click", addFromSearch);
  modeGroup.addEventListener("change", (event) => {
    event.stopPropagation();
    update({mode: event.target.value});
  });
  metricGroup.addEventListener("change", (event) => {
    event.stopPropagation();
    update({metric: event.target.value});
  });
  for (const [s, key] of [[typeSelect, "type"], [regionSelect, "region"], [highlightSelect, "council"], [fromSelect, "from"], [toSelect, "to"]]) {
    s.addEventListener("change", (event) => {
      event.stopPropagation();
      update({[key]: s.value});
    });
    s.addEventListener("input", (event) => event.stopPropagation());
  }
  for (const fs of [modeGroup, metricGroup]) fs.addEventListener("input", (event) => event.stopPropagation());

  form.value = state;
  render();
  // Write the (possibly defaulted) state back, so the address always describes the view.
  history.replaceState(history.state, "", `${location.pathname}${compareSearch(state)}${location.hash}`);
  return form;
}
