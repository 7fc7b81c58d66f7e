import {existsSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Classifier} from "../../pipeline/classify/classify.ts";
import {CODING_COLUMNS, codingClassification} from "../../pipeline/classify/council-coding.ts";
import {storedTableSql} from "../../pipeline/store/store.ts";
import {addRow, scoreSuppliers} from "./suppliers.ts";
import {ruleOf, variant} from "./score.ts";
import type {Supplier, Variant} from "./types.ts";

export interface PublicReport {
  description: string;
  label: string;
  /** Recall by pounds: the share of the label's pounds the name-only classifier calls public. */
  all: Variant;
  by_council: {council_code: string; suppliers: number; pounds: number; recall: number | null}[];
  /** What the classifier said instead, in pounds, by sector and basis. */
  missed_pounds_by_prediction: Record<string, number>;
}

/**
 * (d) Public bodies by the councils' own coding: a supplier most of whose pounds in a council are under lines
 * for payments to other local authorities, health authorities, government departments, levies or precepts
 * (pipeline/classify/council-coding.ts) is public by the council's word. The classifier sees the name only.
 * Read from an ingested store (default store/, `npm run ingest`); null when there is none.
 */
export async function publicByCoding(classifier: Classifier, storeDir = "store"): Promise<PublicReport | null> {
  if (!existsSync(join(storeDir, "payments"))) return null;
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const byCouncil = new Map<string, Map<string, Supplier>>();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT council_code, supplier_name, amount_pence, ${CODING_COLUMNS.join(", ")} FROM ${storedTableSql(storeDir, "payments")} WHERE NOT redacted AND supplier_key <> ''`
    );
    for (const r of reader.getRowObjectsJS()) {
      const council = String(r.council_code);
      if (!byCouncil.has(council)) byCouncil.set(council, new Map());
      const texts = CODING_COLUMNS.map((c) => (r[c] as string | null) ?? "");
      addRow(byCouncil.get(council)!, String(r.supplier_name), Number(r.amount_pence) / 100, false, texts);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const isPublic = (s: Supplier) => codingClassification(s.coded)?.sector === "public";
  const items = [];
  const perCouncil: PublicReport["by_council"] = [];
  const missed: Record<string, number> = {};
  for (const [council, suppliers] of byCouncil) {
    const labelled = [...suppliers.values()].filter(isPublic);
    if (labelled.length === 0) continue;
    const scored = scoreSuppliers(labelled, classifier, () => true);
    const v = variant("", scored, (c) => c.sector === "public");
    perCouncil.push({council_code: council, suppliers: scored.length, pounds: Math.round(scored.reduce((a, i) => a + Math.max(0, i.pounds), 0)), recall: v.by_pounds.recall});
    for (const i of scored) {
      if (i.predicted.sector !== "public") {
        const said = `${i.predicted.sector}:${ruleOf(i.predicted)}`;
        missed[said] = Math.round((missed[said] ?? 0) + Math.max(0, i.pounds));
      }
    }
    items.push(...scored);
  }
  return {
    description: "Embedded councils' suppliers that the council codes to other public bodies (store/)",
    label: "positive = at least half the supplier's pounds in the council under lines for other local authorities, health authorities, government departments, joint authorities, levies or precepts; no negatives",
    all: variant("name-only classification called public", items, (c) => c.sector === "public"),
    by_council: perCouncil.sort((a, b) => b.pounds - a.pounds),
    missed_pounds_by_prediction: Object.fromEntries(Object.entries(missed).sort((a, b) => b[1] - a[1]))
  };
}
