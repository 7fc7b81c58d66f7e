import {join} from "node:path";
import type {Classifier} from "../../pipeline/classify/classify.ts";
import {normaliseCharityNumber} from "../../pipeline/classify/identifiers.ts";
import type {Registry} from "../../pipeline/classify/registry.ts";
import {supplierKey} from "../../pipeline/classify/supplier-key.ts";
import {readPath} from "../../pipeline/read/read-file.ts";
import {SPENDING} from "./data-paths.ts";
import {isCharityKind, isVcse, labelCanJudge, score, variant} from "./score.ts";
import {addRow, CODING_VARIANT, columnIndex, csvFiles, pounds, scoreSuppliers} from "./suppliers.ts";
import type {LabelledRow, SetReport, Split, Supplier} from "./types.ts";

/** Wakefield's files are named by financial year and quarter: "2017-Q1" is April to June 2017. */
const WAKEFIELD_DEV = /^2017-Q[1-4]\.csv$/;
const WAKEFIELD_HELDOUT = /^2018-Q[1-4]\.csv$/;

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
      const codingAt = [columnIndex(header, /^purpose of spend$/i), columnIndex(header, /^service/i)].filter((i) => i >= 0);
      if (nameAt < 0 || amountAt < 0 || charityAt < 0) continue;
      const rows = table.records.slice(1).filter((r) => (r.cells[nameAt] ?? "").trim() !== "");
      // Only files where the council filled the column for someone: elsewhere a blank proves nothing.
      if (!rows.some((r) => registered(r.cells[charityAt]))) continue;
      used.push(file);
      for (const r of rows) {
        const texts = codingAt.map((i) => r.cells[i] ?? "");
        out.push({file, name: r.cells[nameAt]!.trim(), amount: pounds(r.cells[amountAt]), labelled: registered(r.cells[charityAt]), texts});
      }
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
  for (const r of rows) addRow(suppliers, r.name, r.amount, r.labelled, r.texts);
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
      "leaving out suppliers predicted as kinds that cannot be registered charities (CIC, co-operative or credit union, sports club, a charity's trading company)",
      items.filter(labelCanJudge),
      isVcse
    )
  };
  const coded = scoreSuppliers(suppliers.values(), classifier, majority, true);
  report.variants.with_council_coding = variant(CODING_VARIANT, coded, isVcse);
  if (devKeys) {
    const unseen = items.filter((i) => !devKeys.has(i.key));
    report.variants.unseen_in_dev = variant(`only the ${unseen.length} suppliers whose key does not occur in the development files`, unseen, isVcse);
    const unseenCoded = coded.filter((i) => !devKeys.has(i.key));
    report.variants.unseen_in_dev_with_council_coding = variant(`the same unseen suppliers, ${CODING_VARIANT}`, unseenCoded, isVcse);
  }
  return report;
}

export async function wakefield(classifier: Classifier, registry: Registry, top: number): Promise<SetReport[]> {
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
