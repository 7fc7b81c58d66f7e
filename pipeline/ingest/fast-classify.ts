import {classifySuppliers} from "../classify/classify-suppliers.ts";
import type {Classifier} from "../classify/classify.ts";
import {conform, type UnclassifiedPayment} from "../conform/conform.ts";
import {Ledger} from "../conform/ledger.ts";
import {parseCsv} from "../read/parse-csv.ts";
import {appendRows} from "../sql.ts";
import type {BatchEntry} from "../store/store.ts";
import type {Payment} from "../types.ts";
import type {Analysis, GroupRow} from "./fast-analyse.ts";
import type {Prepared} from "./fast-prepare.ts";
import type {IngestRun} from "./ingest-run.ts";
import type {Ingested} from "./job.ts";
import type {Identity, SupplierMemo} from "./supplier-memo.ts";

/**
 * Makes each file's report and classifies its suppliers into fast_cls, in file order as the JavaScript path
 * would meet them (the classifier remembers what it has seen); a file with an irregular line goes to
 * decline in its place. Returns what writeBatch needs.
 */
export async function classifyBatch(
  {db, part, irregular, orders, totals, leftovers, groups}: Analysis, run: IngestRun,
  decline: (p: Prepared) => Promise<void>, out: Ingested[]
): Promise<BatchEntry[]> {
  const started = performance.now();
  const classifier = await run.classifier();
  // In file order, as the JavaScript path would meet them: the classifier remembers what it has seen.
  const entries: BatchEntry[] = [];
  const cls: unknown[][] = [];
  for (const p of part) {
    if (irregular.has(p.index)) {
      await decline(p);
      continue;
    }
    const {job, sha256, recipe} = p.file;
    const file = job.sourceFile;
    const ledger = new Ledger();
    ledger.open(file, job.council.code, sha256);
    ledger.describe(file, {encoding: p.text.encoding});
    for (const [, kind, fy, n, pence, fromPeriod] of totals.get(p.index) ?? []) {
      if (kind === "blank") {
        for (let i = 0; i < n; i++) ledger.blank(file);
      } else {
        ledger.keepMany(file, n, Number(pence), [fy!]);
        ledger.dateFromPeriod(file, fromPeriod);
      }
    }
    const records = (leftovers.get(p.index) ?? []).map(([, n, line]) => ({...parseCsv(line, p.delimiter)[0]!, line: n, raw: line}));
    const conformed = conform(p.head, p.options, ledger, {records, dateOrder: orders.get(p.index)!});
    const groupRows = (groups.get(p.index) ?? []).map(([, ...g]) => g as GroupRow);
    for (const c of classifyGroups(groupRows, conformed.payments, classifier, run.suppliers)) cls.push([p.index, ...c]);
    const [report] = ledger.reports();
    entries.push({sourceFile: file, sha256, recipe, report: report!, payments: conformed.payments as Payment[], rejects: conformed.rejects});
    out[p.index] = {report: report!, headers: [p.plan.header]};
    run.stats.taken++;
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_cls (${CLS_NAMES.split(", ").map((n, i) => `${n} ${CLS_COLUMNS[i]}`).join(", ")})`);
  await appendRows(db, "fast_cls", CLS_COLUMNS, cls);
  run.stats.phase("suppliers", started);
  return entries;
}

type ClsRow = [string, string | null, string | null, string | null, string, string, boolean, string, string | null, string, number, string | null];
const CLS_COLUMNS = ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR"];
const CLS_NAMES = "f, sup, charity_number, company_number, council_flag, supplier_name, supplier_key, redacted, sector, kind, basis, confidence, matched_id";

/**
 * Classifies each distinct supplier of a file's plain rows, and the payments conform made of its other rows,
 * in the order the JavaScript path meets them (first row first), so that each identity gets the
 * classification of its first payment's details (classifySuppliers' rule). Returns the rows of fast_cls
 * (without the file); conform's payments are classified in place.
 */
function classifyGroups(groups: GroupRow[], payments: UnclassifiedPayment[], classifier: Classifier, memo: SupplierMemo): ClsRow[] {
  type Item = {row: number; id: string; payment: UnclassifiedPayment; group?: GroupRow};
  const items: Item[] = payments.map((p) => ({row: p.source_row, id: identity(p), payment: p}));
  for (const group of groups) {
    const [sup, charity, company, flag, first, supplierId] = group;
    const {name, redacted} = memo.publishedName(sup);
    const payment = {
      supplier_name: name, supplier_id: supplierId, charity_number: charity, company_number: company, council_flag: flag, redacted
    } as UnclassifiedPayment;
    items.push({row: first, id: identity(payment), payment, group});
  }
  items.sort((a, b) => a.row - b.row);
  const known = memo.known();
  const identities = new Map<string, Identity | null>();
  const exact = (id: string, p: UnclassifiedPayment) => `${id}\u0000${p.supplier_id}\u0000${p.redacted}`;
  const asked: Item[] = [];
  for (const item of items) {
    if (identities.has(item.id)) continue;
    const hit = known.get(exact(item.id, item.payment));
    identities.set(item.id, hit ?? null);
    if (!hit) asked.push(item);
  }
  const answers = classifySuppliers(asked.map((item) => item.payment), classifier);
  for (const [i, p] of answers.entries()) {
    const found: Identity = {sector: p.sector, kind: p.kind, basis: p.basis, confidence: p.confidence, matched_id: p.matched_id, supplier_key: p.supplier_key};
    const {id} = asked[i]!;
    known.set(exact(id, p), found);
    identities.set(id, found);
  }
  const out: ClsRow[] = [];
  for (const item of items) {
    const found = identities.get(item.id)!;
    if (!item.group) {
      Object.assign(item.payment, found);
      continue;
    }
    const p = item.payment;
    const [sup, charity, company, flag] = item.group;
    out.push([sup, charity, company, flag, p.supplier_name, found.supplier_key, p.redacted, found.sector, found.kind, found.basis, found.confidence, found.matched_id]);
  }
  return out;
}

/** The supplier identity classifySuppliers classifies once per file. */
function identity(p: UnclassifiedPayment): string {
  return `${p.supplier_name}\u0000${p.charity_number}\u0000${p.company_number}\u0000${p.council_flag}`;
}
