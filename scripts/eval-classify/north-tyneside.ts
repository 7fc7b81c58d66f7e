import {join} from "node:path";
import type {Classifier} from "../../pipeline/classify/classify.ts";
import {readPath} from "../../pipeline/read/read-file.ts";
import {SPENDING} from "./data-paths.ts";
import {score} from "./score.ts";
import {addRow, columnIndex, csvFiles, pounds, scoreSuppliers} from "./suppliers.ts";
import type {SetReport, Supplier} from "./types.ts";

/** (c) North Tyneside codes some payments to SeRCOP "Voluntary Associations": the council's label of the payment. */
export async function northTyneside(classifier: Classifier, top: number): Promise<SetReport> {
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
