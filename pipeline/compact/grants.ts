import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {readTable} from "../classify/read-tables.ts";
import {charityOrgId, normaliseCharityNumber, normaliseCompanyNumber, normaliseOrgId} from "../classify/identifiers.ts";
import {supplierKey} from "../classify/supplier-key.ts";
import {readManifest} from "../sources/manifest.ts";
import {queryRows} from "./query.ts";
import {sqlLiteral} from "../sql.ts";

/**
 * A council's 360Giving grants register beside its payments: data/grants/<name>/ holds the register of the council
 * whose manifest is data/sources/<name>.json, as CSV (the standard's column titles) or JSON ({"grants": [...]}).
 *
 * An award made while the payments data runs (its award date between the first and the last payment) is compared:
 * it is matched when the council paid the same recipient in the year from the award date, found by identifier (the
 * award's org id, charity or company number against the payment's published or matched ones), then by name (the
 * supplier key of the recipient's name, with and without a part in brackets). Awards outside that period are counted
 * by year but not compared: the payments cannot show them.
 */
export interface Award {
  id: string;
  date: string;
  amount: number;
  recipient: string;
  programme: string | null;
  ids: string[];
  keys: string[];
}

export interface AwardMatch {
  id: string;
  date: string;
  amount: number;
  recipient: string;
  programme: string | null;
  matched_by: "identifier" | "name" | null;
  /** The supplier names the council published for the recipient, and what it paid them in the year from the award. */
  suppliers: string[];
  paid: number;
}

export interface GrantsComparison {
  council_code: string;
  file: string;
  awards: number;
  amount: number;
  by_year: {financial_year: string; awards: number; amount: number; compared: boolean}[];
  /** First and last payment dates of the council's payments (ISO), or null with no payments. */
  payments_from: string | null;
  payments_to: string | null;
  compared: {awards: number; amount: number};
  matched: {awards: number; amount: number; by_identifier: number; by_name: number; paid: number};
  unmatched: {awards: number; amount: number};
  /** Every compared award, matched or not, largest first. */
  list: AwardMatch[];
}

const toPence = (x: number) => Math.round(x * 100);
const fyOf = (iso: string) => {
  const y = Number(iso.slice(0, 4));
  const start = Number(iso.slice(5, 7)) >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
};

/** The keys a recipient's name can be published under: its supplier key, and that of the name without a part in brackets. */
export function recipientKeys(name: string): string[] {
  const bare = name.replace(/\s*\([^)]*\)\s*/g, " ").trim();
  return [...new Set([supplierKey(name), supplierKey(bare)].filter(Boolean))];
}

/** Identifiers of a recipient in 360Giving form, from its org id, charity and company numbers (local 360G- ids left out). */
export function recipientIds(orgId: string | null | undefined, charity: string | null | undefined, company: string | null | undefined): string[] {
  const ids = new Set<string>();
  const id = normaliseOrgId(orgId);
  if (id && !id.startsWith("360G-")) ids.add(id);
  const c = normaliseCharityNumber(charity);
  if (c) ids.add(charityOrgId(c));
  const n = normaliseCompanyNumber(company);
  if (n) ids.add(`GB-COH-${n}`);
  return [...ids];
}

function awardFrom(raw: Record<string, unknown>, file: string, row: number): Award {
  const get = (k: string) => (raw[k] === undefined || raw[k] === null ? "" : String(raw[k]).trim());
  const amount = Number(get("Amount Awarded"));
  const date = get("Award Date").slice(0, 10);
  if (!Number.isFinite(amount) || get("Amount Awarded") === "") throw new Error(`${file}, row ${row}: Amount Awarded "${get("Amount Awarded")}" is not a number`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`${file}, row ${row}: Award Date "${get("Award Date")}" is not a date (yyyy-mm-dd)`);
  const recipient = get("Recipient Org:Name");
  return {
    id: get("Identifier") || `${basename(file)}:${row}`,
    date,
    amount,
    recipient,
    programme: get("Grant Programme:Title") || null,
    ids: recipientIds(get("Recipient Org:Identifier"), get("Recipient Org:Charity Number"), get("Recipient Org:Company Number")),
    keys: recipient ? recipientKeys(recipient) : []
  };
}

/** A 360Giving JSON grant as the CSV form's column titles. */
interface GrantJson {
  id?: unknown;
  amountAwarded?: unknown;
  awardDate?: unknown;
  recipientOrganization?: {id?: unknown; name?: unknown; charityNumber?: unknown; companyNumber?: unknown}[];
  grantProgramme?: {title?: unknown}[];
}

function flatten(g: GrantJson): Record<string, unknown> {
  const org = g.recipientOrganization?.[0] ?? {};
  return {
    Identifier: g.id,
    "Amount Awarded": g.amountAwarded,
    "Award Date": g.awardDate,
    "Recipient Org:Identifier": org.id,
    "Recipient Org:Name": org.name,
    "Recipient Org:Charity Number": org.charityNumber,
    "Recipient Org:Company Number": org.companyNumber,
    "Grant Programme:Title": g.grantProgramme?.[0]?.title
  };
}

/** Every award in a register file (CSV or JSON), with a clear error naming the file and row of one that cannot be read. */
export async function readAwards(path: string): Promise<Award[]> {
  if (path.endsWith(".json")) {
    const doc = JSON.parse(readFileSync(path, "utf8")) as {grants?: GrantJson[]};
    if (!Array.isArray(doc.grants)) throw new Error(`${path}: no "grants" array (360Giving JSON)`);
    return doc.grants.map((g, i) => awardFrom(flatten(g), path, i + 1));
  }
  // Row numbers count the header as row 1, as the payments' ledger does.
  return (await readTable(path)).map((r, i) => awardFrom(r, path, i + 2));
}

/** The register files of each council with one: data/grants/<manifest name>/*.csv|json. */
export function grantRegisters(dataDir = "data"): {council_code: string; files: string[]}[] {
  const dir = join(dataDir, "grants");
  if (!existsSync(dir)) return [];
  const out: {council_code: string; files: string[]}[] = [];
  for (const name of readdirSync(dir).sort()) {
    const manifest = join(dataDir, "sources", `${name}.json`);
    if (!existsSync(manifest)) continue;
    const code = readManifest(manifest, dataDir).council.code;
    const files = readdirSync(join(dir, name)).filter((f) => /\.(csv|json)$/.test(f) && !f.endsWith("-metadata.json")).sort().map((f) => join(dir, name, f));
    if (files.length) out.push({council_code: code, files});
  }
  return out;
}

interface SupplierRow {
  supplier_key: string;
  supplier_name: string;
  ids: string[];
}

/** Compares one council's awards with its payments in the store. */
export async function compareGrants(code: string, awards: Award[], file: string, storeDir = "store", dataDir = "data"): Promise<GrantsComparison> {
  const where = `council_code = ${sqlLiteral(code)}`;
  const suppliers = (await queryRows((c) => `
    SELECT supplier_key, any_value(supplier_name) AS supplier_name,
      list_distinct(list_filter([matched_id, CASE WHEN charity_number IS NOT NULL THEN 'CHC:' || charity_number END, CASE WHEN company_number IS NOT NULL THEN 'COH:' || company_number END], (x) -> x IS NOT NULL)) AS ids
    FROM (SELECT * FROM ${c} WHERE ${where}) GROUP BY supplier_key, matched_id, charity_number, company_number`, storeDir, dataDir)) as unknown as SupplierRow[];
  const byId = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  for (const s of suppliers) {
    names.set(s.supplier_key, s.supplier_name);
    for (const raw of s.ids) {
      const id = raw.startsWith("CHC:") ? recipientIds(null, raw.slice(4), null)[0] : raw.startsWith("COH:") ? recipientIds(null, null, raw.slice(4))[0] : normaliseOrgId(raw);
      if (!id) continue;
      byId.set(id, (byId.get(id) ?? new Set()).add(s.supplier_key));
    }
  }
  const [span] = await queryRows((c) => `SELECT min(payment_date)::VARCHAR AS first, max(payment_date)::VARCHAR AS last FROM ${c} WHERE ${where}`, storeDir, dataDir);
  const from = span?.first ? String(span.first).slice(0, 10) : null;
  const to = span?.last ? String(span.last).slice(0, 10) : null;
  const inWindow = (a: Award) => from !== null && to !== null && a.date >= from && a.date <= to;

  const found = awards.filter(inWindow).map((a) => {
    const byIdentifier = new Set(a.ids.flatMap((id) => [...(byId.get(id) ?? [])]));
    const byName = new Set(a.keys.filter((k) => names.has(k)));
    const keys = byIdentifier.size ? byIdentifier : byName;
    return {a, keys: [...keys].sort(), matched_by: byIdentifier.size ? ("identifier" as const) : byName.size ? ("name" as const) : null};
  });
  const wanted = [...new Set(found.flatMap((f) => f.keys))];
  const payments = wanted.length
    ? await queryRows((c) => `SELECT supplier_key, payment_date::VARCHAR AS day, sum(amount_pence)::BIGINT AS pence FROM ${c}
        WHERE ${where} AND supplier_key IN (${wanted.map(sqlLiteral).join(", ")}) GROUP BY ALL`, storeDir, dataDir)
    : [];
  const yearOn = (iso: string) => `${Number(iso.slice(0, 4)) + 1}${iso.slice(4)}`;
  const list: AwardMatch[] = found.map(({a, keys, matched_by}) => {
    const paidPence = payments
      .filter((p) => keys.includes(String(p.supplier_key)) && String(p.day).slice(0, 10) >= a.date && String(p.day).slice(0, 10) < yearOn(a.date))
      .reduce((s, p) => s + Number(p.pence), 0);
    const matched = matched_by !== null && paidPence !== 0;
    return {id: a.id, date: a.date, amount: a.amount, recipient: a.recipient, programme: a.programme, matched_by: matched ? matched_by : null, suppliers: matched ? keys.map((k) => names.get(k)!) : [], paid: paidPence / 100};
  }).sort((x, y) => y.amount - x.amount || x.date.localeCompare(y.date) || x.id.localeCompare(y.id));

  const total = (rows: {amount: number}[]) => rows.reduce((s, r) => s + toPence(r.amount), 0) / 100;
  const matched = list.filter((m) => m.matched_by);
  const unmatched = list.filter((m) => !m.matched_by);
  const years = [...new Set(awards.map((a) => fyOf(a.date)))].sort();
  return {
    council_code: code,
    file,
    awards: awards.length,
    amount: total(awards),
    by_year: years.map((fy) => {
      const inYear = awards.filter((a) => fyOf(a.date) === fy);
      return {financial_year: fy, awards: inYear.length, amount: total(inYear), compared: inYear.some(inWindow)};
    }),
    payments_from: from,
    payments_to: to,
    compared: {awards: list.length, amount: total(list)},
    matched: {
      awards: matched.length,
      amount: total(matched),
      by_identifier: matched.filter((m) => m.matched_by === "identifier").length,
      by_name: matched.filter((m) => m.matched_by === "name").length,
      paid: matched.reduce((s, m) => s + toPence(m.paid), 0) / 100
    },
    unmatched: {awards: unmatched.length, amount: total(unmatched)},
    list
  };
}

/** grants.json: the comparison for every council with a register (one entry per register file). */
export async function grantsComparisons(storeDir = "store", dataDir = "data"): Promise<GrantsComparison[]> {
  const out: GrantsComparison[] = [];
  for (const {council_code, files} of grantRegisters(dataDir)) {
    for (const file of files) out.push(await compareGrants(council_code, await readAwards(file), file.slice(dataDir.length + 1), storeDir, dataDir));
  }
  return out;
}
