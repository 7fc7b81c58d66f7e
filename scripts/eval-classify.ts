/**
 * Measures the supplier classifier against labels that councils wrote, not this project:
 *   (a) Wakefield's "Charity Registration" column: suppliers whose rows carry a registered charity number;
 *   (b) Trafford's 360Giving register of grants to the voluntary sector, and Trafford's spend with
 *       suppliers whose names match a recipient in it;
 *   (c) any other label column in the sample data (supplier-type flags; North Tyneside's SeRCOP
 *       "Voluntary Associations" expenditure code).
 * The label column is hidden from the classifier: it sees the supplier name only, with council flags and
 * identifiers switched off, and without the grant register when the register is what is being tested.
 *
 * Against overfitting, each labelled set with dates is split by time. Rules are developed against the
 * development split only (Wakefield's 2017-Q1..Q4 files, Trafford's grants awarded before 2020); the
 * held-out split (Wakefield's 2018-Q1..Q4 files, Trafford's grants from 2020) is reported but its
 * individual suppliers are never listed, so that nobody tunes a rule to them.
 *
 * npm run eval:classify [-- --json] [-- --explain]
 *   --json     one JSON object (sets, targets, summary)
 *   --explain  the 25 largest false negatives and false positives by pounds of each development set, with
 *              the sector, kind, basis, rule and confidence the classifier gave
 */
import {readdir, readFile} from "node:fs/promises";
import {join} from "node:path";
import {loadClassifier, type Classifier} from "../pipeline/classify/classify.ts";
import {councilFlag} from "../pipeline/classify/council-flag.ts";
import {readPath} from "../pipeline/read/read-file.ts";
import {loadRegistry, type Registry} from "../pipeline/classify/registry.ts";
import {normaliseCharityNumber} from "../pipeline/classify/identifiers.ts";
import {supplierKey} from "../pipeline/classify/supplier-key.ts";
import type {Classification} from "../pipeline/types.ts";

const DATA = "data";
const SPENDING = join(DATA, "sample/spending");
const GRANTS = join(DATA, "grants/trafford/trafford_council_voluntary_sector_grants.csv");
const TARGET = {precision: 0.9, recall: 0.8};
/** Wakefield's files are named by financial year and quarter: "2017-Q1" is April to June 2017. */
const WAKEFIELD_DEV = /^2017-Q[1-4]\.csv$/;
const WAKEFIELD_HELDOUT = /^2018-Q[1-4]\.csv$/;
/** Trafford's grants awarded on or after this date are held out. */
const TRAFFORD_HELDOUT_FROM = "2020-01-01";

/** Which part of a time split a set is. */
type Split = "all" | "dev" | "heldout";

interface Supplier {
  key: string;
  /** Spellings seen, with how many rows each. */
  spellings: Map<string, number>;
  rows: number;
  labelledRows: number;
  pounds: number;
}

interface Cell {
  suppliers: number;
  pounds: number;
}

interface Matrix {
  tp: Cell;
  fp: Cell;
  fn: Cell;
  tn: Cell;
}

interface Scored {
  key: string;
  name: string;
  pounds: number;
  rows: number;
  labelledRows: number;
  label: boolean;
  predicted: Classification;
}

interface Rates {
  precision: number | null;
  recall: number | null;
}

interface Variant {
  description: string;
  suppliers: number;
  matrix: Matrix;
  by_supplier: Rates;
  by_pounds: Rates;
}

interface Explained {
  name: string;
  key: string;
  pounds: number;
  rows: number;
  labelled_rows: number;
  sector: string;
  kind: string | null;
  basis: string;
  rule: string | null;
  confidence: number;
}

interface SetReport {
  name: string;
  /** The labelled source the set belongs to, shared by its splits. */
  family: string;
  split: Split;
  description: string;
  label: string;
  suppliers: number;
  positives: number;
  matrix: Matrix;
  by_supplier: Rates;
  by_pounds: Rates;
  /** Whether precision can be measured at all (false when the set has no negatives). */
  has_negatives: boolean;
  variants?: Record<string, Variant>;
  positives_by_basis: Record<string, number>;
  /** Pounds of the label's positives by the sector (and, for VCSE, kind) the classifier assigned them. */
  positive_pounds_by_sector: Record<string, number>;
  /** Pounds of the label's negatives predicted VCSE, by the kind predicted: what the label cannot see (CICs, churches, clubs). */
  false_positive_pounds_by_kind: Record<string, number>;
  false_positives_by_rule: Record<string, number>;
  /** Pounds of positives the classifier missed, by what it said instead. */
  false_negative_pounds_by_prediction: Record<string, number>;
  /** Absent for held-out sets: their suppliers are not listed. */
  top_false_negatives?: Explained[];
  top_false_positives?: Explained[];
  notes: string[];
}

/** Pounds from published text: £ and commas dropped, (brackets) or a trailing/leading minus negative; 0 if unreadable. */
function pounds(text: string | undefined): number {
  if (!text) return 0;
  let s = text.replace(/[£,\s]/g, "");
  let sign = 1;
  if (/^\(.*\)$/.test(s)) {
    sign = -1;
    s = s.slice(1, -1);
  }
  if (s.endsWith("-")) {
    sign = -sign;
    s = s.slice(0, -1);
  }
  const n = Number(s);
  return Number.isFinite(n) ? sign * n : 0;
}

function addRow(suppliers: Map<string, Supplier>, name: string, amount: number, labelled: boolean): void {
  const key = supplierKey(name);
  if (!key) return;
  let s = suppliers.get(key);
  if (!s) suppliers.set(key, (s = {key, spellings: new Map(), rows: 0, labelledRows: 0, pounds: 0}));
  s.spellings.set(name, (s.spellings.get(name) ?? 0) + 1);
  s.rows++;
  if (labelled) s.labelledRows++;
  s.pounds += amount;
}

function commonest(spellings: Map<string, number>): string {
  let best = "";
  let most = -1;
  for (const [name, n] of spellings) {
    if (n > most) {
      best = name;
      most = n;
    }
  }
  return best;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

const isVcse = (c: Classification) => c.sector === "vcse";
const isCharityKind = (c: Classification) => c.sector === "vcse" && c.kind === "charity";
/**
 * Kinds that by law cannot be registered charities: a CIC cannot be a charity, a club registered as a CASC
 * cannot be one too, and co-operatives and credit unions are not charities. A charity-number label can neither
 * confirm nor refute such a prediction.
 */
const NOT_REGISTRABLE = new Set(["cic", "mutual", "sports_club"]);
const labelCanJudge = (i: Scored) => !(isVcse(i.predicted) && NOT_REGISTRABLE.has(i.predicted.kind ?? ""));

const sectorOf = (c: Classification) => `${c.sector}${c.sector === "vcse" ? `/${c.kind ?? "unspecified"}` : ""}`;
const ruleOf = (c: Classification) => (c.basis === "name_rule" ? (c.matched_id ?? "") : c.basis);

function confusion(items: Scored[], predicted: (c: Classification) => boolean): Omit<Variant, "description"> {
  const cell = (): Cell => ({suppliers: 0, pounds: 0});
  const matrix: Matrix = {tp: cell(), fp: cell(), fn: cell(), tn: cell()};
  for (const item of items) {
    const vcse = predicted(item.predicted);
    const c = item.label ? (vcse ? matrix.tp : matrix.fn) : vcse ? matrix.fp : matrix.tn;
    c.suppliers++;
    // A supplier whose credit notes outweigh its payments counts for nothing, not for minus pounds.
    c.pounds += Math.max(0, item.pounds);
  }
  const hasNegatives = matrix.fp.suppliers + matrix.tn.suppliers > 0;
  return {
    suppliers: items.length,
    matrix,
    by_supplier: {
      precision: hasNegatives ? ratio(matrix.tp.suppliers, matrix.tp.suppliers + matrix.fp.suppliers) : null,
      recall: ratio(matrix.tp.suppliers, matrix.tp.suppliers + matrix.fn.suppliers)
    },
    by_pounds: {
      precision: hasNegatives ? ratio(matrix.tp.pounds, matrix.tp.pounds + matrix.fp.pounds) : null,
      recall: ratio(matrix.tp.pounds, matrix.tp.pounds + matrix.fn.pounds)
    }
  };
}

function variant(description: string, items: Scored[], predicted: (c: Classification) => boolean): Variant {
  return {description, ...confusion(items, predicted)};
}

const sortDesc = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));

interface SetInfo {
  name: string;
  family: string;
  split: Split;
  description: string;
  label: string;
  notes: string[];
}

function score(info: SetInfo, items: Scored[], top: number): SetReport {
  const {matrix, by_supplier, by_pounds} = confusion(items, isVcse);
  const positivesByBasis: Record<string, number> = {};
  const bySector: Record<string, number> = {};
  const fpByRule: Record<string, number> = {};
  const fpByKind: Record<string, number> = {};
  const fnPounds: Record<string, number> = {};
  for (const item of items) {
    const vcse = isVcse(item.predicted);
    const p = Math.max(0, item.pounds);
    if (item.label) {
      positivesByBasis[item.predicted.basis] = (positivesByBasis[item.predicted.basis] ?? 0) + 1;
      bySector[sectorOf(item.predicted)] = (bySector[sectorOf(item.predicted)] ?? 0) + p;
    }
    if (item.label && !vcse) {
      const said = `${item.predicted.sector}:${ruleOf(item.predicted)}`;
      fnPounds[said] = (fnPounds[said] ?? 0) + p;
    }
    if (!item.label && vcse) {
      const rule = `${item.predicted.basis}:${item.predicted.basis === "name_rule" ? item.predicted.matched_id : item.predicted.kind}`;
      fpByRule[rule] = (fpByRule[rule] ?? 0) + 1;
      fpByKind[sectorOf(item.predicted)] = (fpByKind[sectorOf(item.predicted)] ?? 0) + p;
    }
  }
  const explain = (i: Scored): Explained => ({
    name: i.name,
    key: i.key,
    pounds: Math.round(i.pounds),
    rows: i.rows,
    labelled_rows: i.labelledRows,
    sector: i.predicted.sector,
    kind: i.predicted.kind,
    basis: i.predicted.basis,
    rule: i.predicted.matched_id,
    confidence: i.predicted.confidence
  });
  const largest = (wanted: (i: Scored) => boolean) =>
    items
      .filter(wanted)
      .sort((a, b) => b.pounds - a.pounds)
      .slice(0, top)
      .map(explain);
  const hasNegatives = matrix.fp.suppliers + matrix.tn.suppliers > 0;
  const report: SetReport = {
    ...info,
    suppliers: items.length,
    positives: items.filter((i) => i.label).length,
    matrix,
    by_supplier,
    by_pounds,
    has_negatives: hasNegatives,
    positives_by_basis: positivesByBasis,
    positive_pounds_by_sector: sortDesc(bySector),
    false_positives_by_rule: Object.fromEntries(Object.entries(fpByRule).sort((a, b) => b[1] - a[1])),
    false_positive_pounds_by_kind: sortDesc(fpByKind),
    false_negative_pounds_by_prediction: sortDesc(fnPounds)
  };
  if (info.split !== "heldout") {
    report.top_false_negatives = largest((i) => i.label && !isVcse(i.predicted));
    report.top_false_positives = largest((i) => !i.label && isVcse(i.predicted));
  }
  return report;
}

function scoreSuppliers(suppliers: Iterable<Supplier>, classifier: Classifier, isPositive: (s: Supplier) => boolean): Scored[] {
  return [...suppliers].map((s) => {
    const name = commonest(s.spellings);
    return {key: s.key, name, pounds: s.pounds, rows: s.rows, labelledRows: s.labelledRows, label: isPositive(s), predicted: classifier.classify({name})};
  });
}

function columnIndex(header: string[], pattern: RegExp): number {
  return header.findIndex((h) => pattern.test(h.trim()));
}

async function csvFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.toLowerCase().endsWith(".csv")).sort().map((f) => join(dir, f));
}

interface LabelledRow {
  file: string;
  name: string;
  amount: number;
  labelled: boolean;
}

/** (a) Wakefield's rows, each labelled by the council's charity registration column checked against the register. */
async function wakefieldRows(registry: Registry): Promise<{rows: LabelledRow[]; used: string[]}> {
  const files = await csvFiles(join(SPENDING, "wakefield/clean"));
  const out: LabelledRow[] = [];
  const used: string[] = [];
  const registered = (value: string | undefined) => {
    const n = normaliseCharityNumber(value);
    return n !== null && /^\d+$/.test(n) && registry.charityNumberStatus(Number(n)) === "registered";
  };
  for (const path of files) {
    const file = path.split("/").pop()!;
    for (const table of await readPath(path)) {
      const header = table.records[0]?.cells ?? [];
      const nameAt = columnIndex(header, /^supplier name$/i);
      const amountAt = columnIndex(header, /^(?:net )?amount$/i);
      const charityAt = columnIndex(header, /^charity (?:registration(?: number)?|number)$/i);
      if (nameAt < 0 || amountAt < 0 || charityAt < 0) continue;
      const rows = table.records.slice(1).filter((r) => (r.cells[nameAt] ?? "").trim() !== "");
      // Only files where the council filled the column for someone: elsewhere a blank proves nothing.
      if (!rows.some((r) => registered(r.cells[charityAt]))) continue;
      used.push(file);
      for (const r of rows) out.push({file, name: r.cells[nameAt]!.trim(), amount: pounds(r.cells[amountAt]), labelled: registered(r.cells[charityAt])});
    }
  }
  return {rows: out, used};
}

const WAKEFIELD_LABEL =
  "positive = a registered charity number (in charity_scale.csv) on most of the supplier's rows in these files; all other suppliers in the same files negative";
const WAKEFIELD_NOTES = [
  "The label is 'registered charity', not 'VCSE': CICs, mutuals, unregistered groups, churches and sports clubs count as negatives, so precision here is a lower bound; see the variant restricted to predictions of kind charity.",
  "The label also counts as positive registered charities this project does not count as VCSE (an NHS trust's charitable fund number given against the trust, independent schools, housing associations): see 'label positives by sector assigned'.",
  "Majority of rows, not any row: pooled keys such as DETAILS REDACTED (£7m over many payees) carry a charity number on one row."
];

function wakefieldSet(
  rows: LabelledRow[],
  split: Split,
  files: string[],
  classifier: Classifier,
  top: number,
  devKeys?: ReadonlySet<string>
): SetReport {
  const suppliers = new Map<string, Supplier>();
  for (const r of rows) addRow(suppliers, r.name, r.amount, r.labelled);
  const majority = (s: Supplier) => s.labelledRows * 2 > s.rows;
  const items = scoreSuppliers(suppliers.values(), classifier, majority);
  const splitName = {all: "all files", dev: "development files", heldout: "held-out files"}[split];
  const report = score(
    {
      name: split === "all" ? "wakefield" : `wakefield_${split}`,
      family: "wakefield",
      split,
      description: `Wakefield spend, ${splitName}: ${files.length} files (${files.join(", ")})`,
      label: WAKEFIELD_LABEL,
      notes: split === "heldout" ? [...WAKEFIELD_NOTES, "Held out: no rule was developed against these files, and their suppliers are not listed."] : WAKEFIELD_NOTES
    },
    items,
    top
  );
  const anyRow = scoreSuppliers(suppliers.values(), classifier, (s) => s.labelledRows > 0);
  report.variants = {
    any_row_labelled: variant("positive = a registered charity number on any of the supplier's rows", anyRow, isVcse),
    // The label's own claim, "registered charity", against the classifier's claim "charity" (not CIC, club, group...).
    predicted_kind_charity: variant(
      "only predictions of kind 'charity' count as predicted positive: the precision a charity-number label can judge",
      items,
      isCharityKind
    ),
    label_can_judge: variant(
      "leaving out suppliers predicted as kinds that cannot be registered charities (CIC, co-operative or credit union, sports club)",
      items.filter(labelCanJudge),
      isVcse
    )
  };
  if (devKeys) {
    const unseen = items.filter((i) => !devKeys.has(i.key));
    report.variants.unseen_in_dev = variant(`only the ${unseen.length} suppliers whose key does not occur in the development files`, unseen, isVcse);
  }
  return report;
}

async function wakefield(classifier: Classifier, registry: Registry, top: number): Promise<SetReport[]> {
  const {rows, used} = await wakefieldRows(registry);
  const dev = rows.filter((r) => WAKEFIELD_DEV.test(r.file));
  const heldout = rows.filter((r) => WAKEFIELD_HELDOUT.test(r.file));
  const devKeys = new Set(dev.map((r) => supplierKey(r.name)));
  const filesOf = (pattern: RegExp) => used.filter((f) => pattern.test(f));
  return [
    wakefieldSet(rows, "all", used, classifier, top),
    wakefieldSet(dev, "dev", filesOf(WAKEFIELD_DEV), classifier, top),
    wakefieldSet(heldout, "heldout", filesOf(WAKEFIELD_HELDOUT), classifier, top, devKeys)
  ];
}

interface Grant {
  id: string;
  name: string;
  amount: number;
  date: string;
}

async function readGrants(): Promise<Grant[]> {
  const [table] = await readPath(GRANTS);
  const header = table!.records[0]!.cells;
  const at = (h: string) => header.indexOf(h);
  const [idAt, nameAt, amountAt, dateAt] = [at("Recipient Org:Identifier"), at("Recipient Org:Name"), at("Amount Awarded"), at("Award Date")];
  return table!.records
    .slice(1)
    .filter((r) => (r.cells[nameAt] ?? "").trim() !== "")
    .map((r) => ({id: r.cells[idAt] ?? "", name: r.cells[nameAt]!.trim(), amount: pounds(r.cells[amountAt]), date: (r.cells[dateAt] ?? "").trim()}));
}

/** (b1) Trafford's register of voluntary-sector grants: every recipient is VCSE. */
function trafford360(classifier: Classifier, grants: Grant[], top: number, split: Split, only?: RegExp): SetReport {
  const inSplit = (g: Grant) => split === "all" || (split === "dev" ? g.date < TRAFFORD_HELDOUT_FROM : g.date >= TRAFFORD_HELDOUT_FROM);
  const chosen = grants.filter((g) => inSplit(g) && (!only || only.test(g.id)));
  const suppliers = new Map<string, Supplier>();
  for (const g of chosen) addRow(suppliers, g.name, g.amount, true);
  const items = scoreSuppliers(suppliers.values(), classifier, () => true);
  const when = {all: "2013-2024", dev: `awarded before ${TRAFFORD_HELDOUT_FROM}`, heldout: `awarded from ${TRAFFORD_HELDOUT_FROM}`}[split];
  const notes = ["No negatives: precision cannot be measured on this set, only recall. The register itself is left out of the classifier's register names."];
  if (split === "heldout") notes.push("Held out: no rule was developed against these grants, and their recipients are not listed.");
  const report = score(
    {
      name: `trafford_grants${only ? "_gb_chc" : ""}${split === "all" ? "" : `_${split}`}`,
      family: only ? "trafford_grants_gb_chc" : "trafford_grants",
      split,
      description: `Trafford 360Giving voluntary sector grants register, ${chosen.length} grants ${when}${only ? ", recipients with a GB-CHC identifier" : ""}`,
      label: "positive = every recipient (the register lists grants to VCSE organisations only); pounds = amount awarded",
      notes
    },
    items,
    top
  );
  if (split === "heldout") {
    const before = new Set(grants.filter((g) => g.date < TRAFFORD_HELDOUT_FROM).map((g) => supplierKey(g.name)));
    const unseen = items.filter((i) => !before.has(i.key));
    report.variants = {unseen_in_dev: variant(`only the ${unseen.length} recipients whose key does not occur in the development grants`, unseen, isVcse)};
  }
  return report;
}

/** (b2) Trafford's spend: suppliers whose key matches a grant recipient are positives; the rest are unlabelled. */
async function traffordSpend(classifier: Classifier, grants: Grant[], top: number): Promise<{report: SetReport; context: Record<string, number>}> {
  const recipients = new Set(grants.map((g) => supplierKey(g.name)));
  const suppliers = new Map<string, Supplier>();
  for (const file of (await readdir(join(SPENDING, "trafford"))).filter((f) => f.endsWith(".zip")).sort()) {
    for (const table of await readPath(join(SPENDING, "trafford", file))) {
      const header = table.records[0]?.cells ?? [];
      const nameAt = header.indexOf("BeneficiaryName");
      const amountAt = header.indexOf("Amount");
      if (nameAt < 0 || amountAt < 0) continue;
      for (const r of table.records.slice(1)) {
        const name = (r.cells[nameAt] ?? "").trim();
        if (name) addRow(suppliers, name, pounds(r.cells[amountAt]), recipients.has(supplierKey(name)));
      }
    }
  }
  const matched = [...suppliers.values()].filter((s) => recipients.has(s.key));
  const items = scoreSuppliers(matched, classifier, () => true);
  let all = 0;
  let vcse = 0;
  let vcseSuppliers = 0;
  for (const s of suppliers.values()) {
    const p = Math.max(0, s.pounds);
    all += p;
    if (classifier.classify({name: commonest(s.spellings)}).sector === "vcse") {
      vcse += p;
      vcseSuppliers++;
    }
  }
  const report = score(
    {
      name: "trafford_spend",
      family: "trafford_spend",
      split: "all",
      description: "Trafford supplier spend 2024-25 to 2026-27 (3 ZIP files)",
      label: "positive = supplier whose key equals a recipient's key in Trafford's voluntary-sector grants register; no negatives",
      notes: [
        "Only recall is measurable: suppliers absent from the grants register are not thereby non-VCSE.",
        "No time split: the spend is later than every grant, and the suppliers are those of the grants register.",
        `Context: ${suppliers.size} suppliers in all; the classifier calls ${vcseSuppliers} of them VCSE, ${((100 * vcse) / all).toFixed(1)}% of positive pounds.`
      ]
    },
    items,
    top
  );
  return {report, context: {suppliers: suppliers.size, predicted_vcse_suppliers: vcseSuppliers, pounds: Math.round(all), predicted_vcse_pounds: Math.round(vcse)}};
}

const FLAG_COLUMN = /vcse|beneficiary\) type|beneficiary type|creditor type|supplier type|charity/i;

/** (c) Any other label column: which files have one, which values occur, whether any says something. */
async function otherFlags(): Promise<{columns: {file: string; column: string; values: Record<string, number>; informative: number}[]}> {
  const columns: {file: string; column: string; values: Record<string, number>; informative: number}[] = [];
  for (const council of (await readdir(SPENDING)).sort()) {
    if (council === "trafford") continue;
    const dir = join(SPENDING, council);
    const files = [...(await csvFiles(dir)), ...(await csvFiles(join(dir, "clean")).catch(() => []))];
    for (const file of files) {
      const head = (await readFile(file, "latin1")).split(/\r\n|\n|\r/, 1)[0] ?? "";
      if (!FLAG_COLUMN.test(head)) continue;
      for (const table of await readPath(file)) {
        const header = table.records[0]?.cells ?? [];
        header.forEach((h, i) => {
          if (!FLAG_COLUMN.test(h)) return;
          const values: Record<string, number> = {};
          let informative = 0;
          for (const r of table.records.slice(1)) {
            const v = (r.cells[i] ?? "").trim();
            values[v] = (values[v] ?? 0) + 1;
            if (/charity/i.test(h) ? normaliseCharityNumber(v) : councilFlag(v)) informative++;
          }
          const common = Object.entries(values).sort((a, b) => b[1] - a[1]).slice(0, 6);
          columns.push({file: file.slice(SPENDING.length + 1), column: h, values: Object.fromEntries(common), informative});
        });
      }
    }
  }
  return {columns};
}

/** (c) North Tyneside codes some payments to SeRCOP "Voluntary Associations": the council's label of the payment. */
async function northTyneside(classifier: Classifier, top: number): Promise<SetReport> {
  const suppliers = new Map<string, Supplier>();
  for (const file of await csvFiles(join(SPENDING, "north-tyneside/clean"))) {
    for (const table of await readPath(file)) {
      const header = table.records[0]?.cells ?? [];
      const nameAt = columnIndex(header, /supplier.*name/i);
      const amountAt = columnIndex(header, /net amount/i);
      // Header and data are misaligned by a column in places, so the code is looked for in every cell.
      for (const r of table.records.slice(1)) {
        const name = (r.cells[nameAt] ?? "").trim();
        if (name) addRow(suppliers, name, pounds(r.cells[amountAt]), r.cells.some((c) => c.trim() === "Voluntary Associations"));
      }
    }
  }
  const coded = [...suppliers.values()].filter((s) => s.labelledRows > 0);
  return score(
    {
      name: "north_tyneside_voluntary_associations",
      family: "north_tyneside_voluntary_associations",
      split: "all",
      description: "North Tyneside spend Apr 2019, suppliers with payments coded 'Voluntary Associations'",
      label: "positive = any payment coded SeRCOP 'Voluntary Associations'; no negatives",
      notes: [
        "Informational, not a target: the code describes the payment, and the council used it for private fostering agencies, an NHS trust and redacted individuals too.",
        "Only recall is measurable."
      ]
    },
    scoreSuppliers(coded, classifier, () => true),
    top
  );
}

const pct = (x: number | null) => (x === null ? "  n/a" : `${(100 * x).toFixed(1)}%`.padStart(6));
const money = (x: number) => `£${Math.round(x).toLocaleString("en-GB")}`;

function matrixLines(m: Matrix, hasNegatives: boolean, indent = "  "): string[] {
  const w = 14;
  const row = (label: string, a: Cell, b: Cell) =>
    `${indent}${label.padEnd(14)}${String(a.suppliers).padStart(8)}${String(b.suppliers).padStart(10)}   ${money(a.pounds).padStart(w)}${money(b.pounds).padStart(w + 2)}`;
  return [
    `${indent}${"".padEnd(14)}${"by supplier".padStart(18)}   ${"by pounds".padStart(w + 8)}`,
    `${indent}${"".padEnd(14)}${"pred vcse".padStart(8)}${"pred other".padStart(11)}  ${"pred vcse".padStart(w + 1)}${"pred other".padStart(w + 2)}`,
    row("label vcse", m.tp, m.fn),
    ...(hasNegatives ? [row("label other", m.fp, m.tn)] : [])
  ];
}

function printSet(r: SetReport, explain: boolean): void {
  const lines = [
    `\n== ${r.name}: ${r.description}`,
    `  label: ${r.label}`,
    `  ${r.suppliers} suppliers, ${r.positives} positive`,
    ...matrixLines(r.matrix, r.has_negatives),
    `  by supplier: precision ${pct(r.by_supplier.precision)}  recall ${pct(r.by_supplier.recall)}`,
    `  by pounds:   precision ${pct(r.by_pounds.precision)}  recall ${pct(r.by_pounds.recall)}`
  ];
  for (const [name, v] of Object.entries(r.variants ?? {})) {
    lines.push(`  variant ${name} (${v.description}):`);
    lines.push(`    by supplier P ${pct(v.by_supplier.precision)} R ${pct(v.by_supplier.recall)}; by pounds P ${pct(v.by_pounds.precision)} R ${pct(v.by_pounds.recall)}`);
    if (explain) lines.push(...matrixLines(v.matrix, v.matrix.fp.suppliers + v.matrix.tn.suppliers > 0, "    "));
  }
  lines.push(`  positives by basis (suppliers): ${JSON.stringify(r.positives_by_basis)}`);
  lines.push(`  label positives by sector assigned (pounds): ${JSON.stringify(r.positive_pounds_by_sector)}`);
  if (r.has_negatives) {
    lines.push(`  false positives by rule (suppliers): ${JSON.stringify(r.false_positives_by_rule)}`);
    lines.push(`  false positive pounds by kind predicted: ${JSON.stringify(r.false_positive_pounds_by_kind)}`);
  }
  lines.push(`  missed pounds by what was said instead: ${JSON.stringify(r.false_negative_pounds_by_prediction)}`);
  const list = (title: string, xs: Explained[] | undefined) => {
    if (!xs || xs.length === 0) return;
    lines.push(`  ${title}:`);
    for (const x of xs) {
      const said = `${x.sector}${x.kind ? `/${x.kind}` : ""} (${x.basis}${x.rule ? ` ${x.rule}` : ""})`;
      const detail = explain ? ` conf ${x.confidence.toFixed(2)}; labelled rows ${x.labelled_rows}/${x.rows}; key ${x.key}` : "";
      lines.push(`    ${money(x.pounds).padStart(12)}  ${x.name}  -> ${said}${detail}`);
    }
  };
  list(`largest false negatives (${r.top_false_negatives?.length ?? 0})`, r.top_false_negatives);
  list(`largest false positives (${r.top_false_positives?.length ?? 0})`, r.top_false_positives);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

interface SummaryRow {
  set: string;
  split: Split;
  what: string;
  suppliers: number;
  positives: number;
  precision: number | null;
  recall: number | null;
  precision_met: boolean | null;
  recall_met: boolean | null;
  /** Informational rows (a variant, or a set that is not a target) carry no target verdicts. */
  target: boolean;
}

const FAMILY_TITLE: Record<string, string> = {
  wakefield: "Wakefield, charity-number label",
  trafford_grants: "Trafford 360Giving grant recipients",
  trafford_grants_gb_chc: "Trafford grant recipients with GB-CHC ids",
  trafford_spend: "Trafford spend, suppliers matching grant recipients",
  north_tyneside_voluntary_associations: "North Tyneside 'Voluntary Associations' code"
};

function summarise(sets: SetReport[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const s of sets) {
    const target = s.family !== "north_tyneside_voluntary_associations" && s.split !== "dev";
    const what = `${FAMILY_TITLE[s.family] ?? s.family}, ${{all: "all", dev: "development", heldout: "held-out"}[s.split]}`;
    const row = (label: string, suppliers: number, positives: number, r: Rates, isTarget: boolean): SummaryRow => ({
      set: s.name,
      split: s.split,
      what: label,
      suppliers,
      positives,
      precision: r.precision,
      recall: r.recall,
      precision_met: isTarget && r.precision !== null ? r.precision >= TARGET.precision : null,
      recall_met: isTarget && r.recall !== null ? r.recall >= TARGET.recall : null,
      target: isTarget
    });
    rows.push(row(what, s.suppliers, s.positives, s.by_pounds, target));
    const charity = s.variants?.predicted_kind_charity;
    if (charity) {
      const restricted = row(`${what}: precision of predictions of kind charity only`, s.suppliers, s.positives, {precision: charity.by_pounds.precision, recall: null}, false);
      // Informational: the label cannot judge CICs, churches, clubs and groups, so this is not the target's measure.
      restricted.precision_met = charity.by_pounds.precision === null ? null : charity.by_pounds.precision >= TARGET.precision;
      rows.push(restricted);
    }
    const judgeable = s.variants?.label_can_judge;
    if (judgeable) {
      const restricted = row(`${what}: leaving out CICs, co-operatives and sports clubs`, judgeable.suppliers, judgeable.matrix.tp.suppliers + judgeable.matrix.fn.suppliers, judgeable.by_pounds, false);
      restricted.precision_met = judgeable.by_pounds.precision === null ? null : judgeable.by_pounds.precision >= TARGET.precision;
      restricted.recall_met = judgeable.by_pounds.recall === null ? null : judgeable.by_pounds.recall >= TARGET.recall;
      rows.push(restricted);
    }
    const unseen = s.variants?.unseen_in_dev;
    if (unseen) {
      const positives = unseen.matrix.tp.suppliers + unseen.matrix.fn.suppliers;
      rows.push(row(`${what}: suppliers unseen in development`, unseen.suppliers, positives, unseen.by_pounds, false));
    }
  }
  return rows;
}

function printSummary(rows: SummaryRow[], wakefieldAll: SetReport | undefined): void {
  const verdict = (x: boolean | null, target: boolean) => (x === null ? (target ? "n/a" : "") : target ? (x ? "met" : "MISSED") : x ? "(met on this restriction)" : "(missed on this restriction)");
  const lines = [
    "\n== summary (README-ready)",
    "",
    `Classifier against labels written by councils, not by this project; supplier names only (label columns, council flags and identifiers hidden). By pounds. Targets: precision >= ${100 * TARGET.precision}%, recall >= ${100 * TARGET.recall}%. Development splits (Wakefield 2017-Q1..Q4, Trafford grants before 2020) are for tuning rules; the script never lists the suppliers of held-out splits (Wakefield 2018-Q1..Q4, Trafford grants from 2020). Suppliers recur across years, so "suppliers unseen in development" is the stricter held-out figure.`,
    "",
    "| set | suppliers (positive) | precision | recall | precision target | recall target |",
    "|---|---:|---:|---:|---|---|"
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.what} | ${r.suppliers} (${r.positives}) | ${pct(r.precision).trim()} | ${pct(r.recall).trim()} | ${verdict(r.precision_met, r.target)} | ${verdict(r.recall_met, r.target)} |`
    );
  }
  const shares = (o: Record<string, number>) => {
    const total = Object.values(o).reduce((a, b) => a + b, 0);
    return {total, parts: Object.entries(o).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(1)}%`).join(", ")};
  };
  if (wakefieldAll) {
    const gap = shares(wakefieldAll.positive_pounds_by_sector);
    const fp = shares(wakefieldAll.false_positive_pounds_by_kind);
    lines.push(
      "",
      `Wakefield (all files), what the label counts that the definition does not, and the reverse. The label's positive pounds (${money(gap.total)}) by the sector the classifier assigned: ${gap.parts}. ` +
        `The false-positive pounds (${money(fp.total)}) by the kind predicted: ${fp.parts}; only predictions of kind charity are claims a charity-number label can refute.`
    );
  }
  lines.push("", "n/a: the set has no negatives, so precision cannot be measured. Rows without a verdict are informational (development splits, variants, sets that are not targets).");
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const explain = args.includes("--explain");
  const top = explain ? 25 : 10;
  const started = performance.now();
  // The label sources are hidden: no council flags, no identifiers; the Trafford grants register is
  // kept for Wakefield (it knows nothing of Wakefield's labels) and left out when Trafford is tested.
  const withGrants = await loadClassifier({useCouncilFlags: false, useIdentifiers: false});
  const loadSeconds = (performance.now() - started) / 1000;
  const [withoutGrants, registry] = await Promise.all([
    loadClassifier({useCouncilFlags: false, useIdentifiers: false, grantRegisters: []}),
    loadRegistry({referenceDir: join(DATA, "reference")})
  ]);
  const grants = await readGrants();
  const sets = [
    ...(await wakefield(withGrants, registry, top)),
    trafford360(withoutGrants, grants, top, "all"),
    trafford360(withoutGrants, grants, top, "dev"),
    trafford360(withoutGrants, grants, top, "heldout"),
    trafford360(withoutGrants, grants, top, "all", /^GB-CHC-/)
  ];
  const spend = await traffordSpend(withoutGrants, grants, top);
  sets.push(spend.report, await northTyneside(withGrants, top));
  const flags = await otherFlags();
  const summary = summarise(sets);
  const targets = summary
    .filter((r) => r.target)
    .map((r) => ({set: r.set, split: r.split, precision_met: r.precision_met, recall_met: r.recall_met}));
  const wakefieldAll = sets.find((s) => s.name === "wakefield");
  if (json) {
    process.stdout.write(`${JSON.stringify({load_seconds: loadSeconds, sets, trafford_context: spend.context, other_flag_columns: flags.columns, targets, summary}, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`classifier loaded (every reference table) in ${loadSeconds.toFixed(2)} s\n`);
  for (const s of sets) printSet(s, explain);
  process.stdout.write("\n== label columns in the sample data (Trafford has none)\n");
  if (flags.columns.length === 0) process.stdout.write("  none\n");
  for (const c of flags.columns) {
    process.stdout.write(`  ${c.file} "${c.column}": ${c.informative} informative values; e.g. ${JSON.stringify(c.values)}\n`);
  }
  printSummary(summary, wakefieldAll);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
