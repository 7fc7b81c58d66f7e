import {readdir} from "node:fs/promises";
import {join} from "node:path";
import type {Classifier} from "../../pipeline/classify/classify.ts";
import {supplierKey} from "../../pipeline/classify/supplier-key.ts";
import {readPath} from "../../pipeline/read/read-file.ts";
import {GRANTS, SPENDING} from "./data-paths.ts";
import {isVcse, score, variant} from "./score.ts";
import {addRow, CODING_VARIANT, commonest, pounds, scoreSuppliers} from "./suppliers.ts";
import type {SetReport, Split, Supplier} from "./types.ts";

/** Trafford's grants awarded on or after this date are held out. */
const TRAFFORD_HELDOUT_FROM = "2020-01-01";

export interface Grant {
  id: string;
  name: string;
  amount: number;
  date: string;
}

export async function readGrants(): Promise<Grant[]> {
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
export function trafford360(classifier: Classifier, grants: Grant[], top: number, split: Split, only?: RegExp): SetReport {
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
export async function traffordSpend(classifier: Classifier, grants: Grant[], top: number): Promise<{report: SetReport; context: Record<string, number>}> {
  const recipients = new Set(grants.map((g) => supplierKey(g.name)));
  const suppliers = new Map<string, Supplier>();
  for (const file of (await readdir(join(SPENDING, "trafford"))).filter((f) => f.endsWith(".zip")).sort()) {
    for (const table of await readPath(join(SPENDING, "trafford", file))) {
      const header = table.records[0]?.cells ?? [];
      const nameAt = header.indexOf("BeneficiaryName");
      const amountAt = header.indexOf("Amount");
      const codingAt = ["Purpose", "ProclassLabel"].map((h) => header.indexOf(h)).filter((i) => i >= 0);
      if (nameAt < 0 || amountAt < 0) continue;
      for (const r of table.records.slice(1)) {
        const name = (r.cells[nameAt] ?? "").trim();
        const texts = codingAt.map((i) => r.cells[i] ?? "");
        if (name) addRow(suppliers, name, pounds(r.cells[amountAt]), recipients.has(supplierKey(name)), texts);
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
  report.variants = {with_council_coding: variant(CODING_VARIANT, scoreSuppliers(matched, classifier, () => true, true), isVcse)};
  return {report, context: {suppliers: suppliers.size, predicted_vcse_suppliers: vcseSuppliers, pounds: Math.round(all), predicted_vcse_pounds: Math.round(vcse)}};
}
