import {existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {councilYearsFullSql} from "./council-years.ts";
import {coverageMonthsSql} from "./coverage.ts";
import {CACHE_DIR, flaggedPaymentsFile, loadReferenceTables} from "./query.ts";
import {fingerprint} from "../fingerprint.ts";
import {readDeflators} from "../reference/deflators.ts";
import {readManifests, type Manifest} from "../sources/manifest.ts";
import {storedReports} from "../store/store.ts";

/** A council as the pages name and group it. */
export interface CouncilIdentity {
  code: string;
  /** As in the manifest: "Trafford Metropolitan Borough Council". */
  name: string;
  /** mySociety's short name: "Trafford". */
  short_name: string;
  /** CTY, NMD, UA, MD, LBO */
  type: string | null;
  /** "Metropolitan district" */
  type_name: string | null;
  /** "metropolitan districts", for "3rd of 9 metropolitan districts". */
  type_plural: string | null;
  region: string | null;
  /** ISO date the council was abolished, if it was. */
  end_date: string | null;
}

/** One financial year of a council, as the overview computes it (councilYearsFullSql), summed over sectors. */
export interface CouncilYear {
  financial_year: string;
  /** Months of the year covered by the council's published files (0..12); see coverageMonthsSql. */
  months: number;
  /** All twelve months covered. */
  full: boolean;
  /** "2019-04": first and last covered month, or null. */
  first_month: string | null;
  last_month: string | null;
  /** Pounds, cash, net of credit notes. */
  vcse: number;
  /** Every payment to every kind of supplier, pounds. */
  total: number;
  /** vcse / total, or null when total is not positive. */
  share: number | null;
  /** vcse in base-year prices (HM Treasury GDP deflator), or null when the year has no deflator. */
  vcse_real: number | null;
  /** ONS mid-year estimate, or null. */
  population: number | null;
  /** VCSE transactions (supplier-month totals are not counted). */
  vcse_payments: number;
  /** Distinct VCSE recipients. */
  vcse_recipients: number;
}

export interface CouncilRank {
  /** 1 = the most; competition ranking (1, 2, 2, 4). Null when the council has no full year. */
  by_vcse: number | null;
  by_share: number | null;
  /** Councils of the same type in the data with at least one full year. */
  peers: number;
}

export interface CouncilSummary extends CouncilIdentity {
  years: CouncilYear[];
  /** The latest financial year with 12 months of data, or null. */
  latest_full: string | null;
  /** The latest financial year with any data, or null. */
  latest: string | null;
  /**
   * The year a headline reports: latest_full, or failing that the year with the most months of data (the
   * latest of equals), or null.
   */
  headline_year: string | null;
  rank: CouncilRank;
}

export interface CouncilsSummary {
  /** ISO date the store last changed (store/state.json). */
  data_updated: string | null;
  /** Real-terms figures are in this financial year's prices. */
  base_year: string;
  councils: CouncilSummary[];
}

export type MonthStatus = "covered" | "gap" | "other_period";

export interface CouncilMonth {
  /** "2019-04" */
  month: string;
  financial_year: string;
  status: MonthStatus;
  payments: number;
  /** Pounds: all spending and VCSE spending dated in the month. */
  amount: number;
  vcse: number;
}

/** A VCSE recipient with its amount in each of CouncilDetail.years (null: no payment that year). */
export interface Recipient {
  /** The normalised supplier key, which links the same organisation across councils. */
  key: string;
  /** The name the council used most recently. */
  name: string;
  kind: string | null;
  amounts: (number | null)[];
}

export interface RecipientChangeList {
  count: number;
  /** Pounds: what the gained recipients were paid in the later year, or the lost ones in the earlier. */
  amount: number;
  top: {key: string; name: string; amount: number}[];
}

/** VCSE recipients paid in one full year and not in the next full year (lost), or the reverse (gained). */
export interface RecipientChange {
  from: string;
  to: string;
  gained: RecipientChangeList;
  lost: RecipientChangeList;
  continuing: {count: number; amount_from: number; amount_to: number};
}

export interface ServiceRow {
  financial_year: string;
  /** The council's own service or department label; "Not stated" when blank, "All other service areas" for the rest. */
  service: string;
  vcse: number;
  total: number;
}

export interface SourceFileRow {
  path: string;
  url: string | null;
  period: string;
  /** Payments kept in the store and their amount (pounds), duplicates included. */
  payments: number;
  amount: number;
  /** Rows rejected while reading (see the ingest report) and the amount of those that had one. */
  rejected: number;
  rejected_amount: number;
  /** Payments found again in an earlier file (pipeline/store/duplicates.ts) and left out of every total. */
  duplicates: number;
  duplicate_amount: number;
}

/** Everything one council page shows. Amounts are pounds, cash, summed exactly in pence first. */
export interface CouncilDetail {
  council: CouncilIdentity;
  /** Among councils of the same type in the data; see CouncilsSummary. */
  rank: CouncilRank;
  data_updated: string | null;
  base_year: string;
  source: {publisher: string; licence: string; landing_page: string | null; threshold: number | null; notes: string[]};
  years: CouncilYear[];
  latest_full: string | null;
  latest: string | null;
  headline_year: string | null;
  months: CouncilMonth[];
  /** Every VCSE recipient, largest in the headline year first. */
  recipients: Recipient[];
  changes: RecipientChange[];
  services: ServiceRow[];
  files: SourceFileRow[];
  /** Sums over every year. */
  quality: {
    individuals: {payments: number; amount: number};
    other_period: {payments: number; amount: number};
    duplicates: {payments: number; amount: number};
    rejected: {rows: number; amount: number};
  };
}

const TYPE_PLURALS: Record<string, string> = {
  MD: "metropolitan districts",
  NMD: "non-metropolitan districts",
  LBO: "London boroughs",
  UA: "unitary authorities",
  CTY: "county councils",
  SCA: "combined authorities"
};

const GSS = /^E0[6-9][0-9]{6}$/;
const SERVICES_PER_YEAR = 10;
const CHANGES_TOP = 10;

/** The manifest of a council, or an error naming the known codes. */
export function manifestFor(code: string, dataDir = "data"): Manifest {
  const manifests = readManifests(dataDir);
  const manifest = manifests.find((m) => m.council.code === code);
  if (!manifest || !GSS.test(code)) {
    throw new Error(`unknown council code ${JSON.stringify(code)}: data/sources has ${manifests.map((m) => m.council.code).sort().join(", ")}`);
  }
  return manifest;
}

/** Everything the council pages and the Councils page show, for every council in data/sources. */
export interface CouncilsData {
  summary: CouncilsSummary;
  details: Record<string, CouncilDetail>;
}

/**
 * One council's page: years, coverage by month, VCSE recipients, recipients gained and lost, service areas,
 * source files and data quality.
 */
export async function councilDetail(code: string, storeDir = "store", dataDir = "data"): Promise<CouncilDetail> {
  manifestFor(code, dataDir);
  const detail = (await cachedCouncilsData(storeDir, dataDir)).details[code];
  if (!detail) throw new Error(`council ${code} is in data/sources but not in the compacted data`);
  return detail;
}

/** Every council in data/sources with its years and its rank among councils of its type. */
export async function councilsSummary(storeDir = "store", dataDir = "data"): Promise<CouncilsSummary> {
  return (await cachedCouncilsData(storeDir, dataDir)).summary;
}


const REFERENCE_TABLES = ["local-authorities", "deflators", "population"];

/**
 * councilsData, kept in a file named for everything it depends on (the store's state, the manifests, the
 * reference data and the code that computes it). Framework runs a parameterised loader once per council, each
 * in its own process: without the file every one of them would load the reference tables and the payments again.
 */
export async function cachedCouncilsData(storeDir = "store", dataDir = "data"): Promise<CouncilsData> {
  const key = fingerprint([import.meta.filename], [join(storeDir, "state.json"), join(dataDir, "sources"), ...REFERENCE_TABLES.map((f) => join(dataDir, "reference", f))], process.cwd());
  const file = join(CACHE_DIR, `councils-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as CouncilsData;
  const data = await councilsData(storeDir, dataDir);
  mkdirSync(CACHE_DIR, {recursive: true});
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(data));
  renameSync(`${file}.${process.pid}.tmp`, file);
  return data;
}

/** Computes CouncilsData from the store: every query runs once over all councils. */
export async function councilsData(storeDir = "store", dataDir = "data"): Promise<CouncilsData> {
  const manifests = readManifests(dataDir);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await loadReferenceTables(connection, dataDir);
    const file = await flaggedPaymentsFile(connection, storeDir);
    await connection.run(`CREATE TEMP TABLE flagged AS SELECT * FROM read_parquet(${quote(file)})`);
    await connection.run("CREATE TEMP TABLE counted AS SELECT * EXCLUDE (duplicate) FROM flagged WHERE NOT duplicate");

    const ids = await identities(connection, manifests);
    const years = groupBy(
      await rows<Record<string, unknown>>(connection, `SELECT council_code, ${YEAR_COLUMNS} FROM (${councilYearsSql()}) ORDER BY financial_year`),
      (r) => r.council_code as string,
      toYear
    );
    const unranked = manifests.map((m) => {
      const y = years.get(m.council.code) ?? [];
      return {...ids.get(m.council.code)!, years: y, ...latestYears(y)};
    });
    const ranks = rankCouncils(unranked);
    const dataUpdated = storeUpdated(storeDir);
    const baseYear = readDeflators(dataDir).base_year;
    const summary: CouncilsSummary = {
      data_updated: dataUpdated,
      base_year: baseYear,
      councils: unranked.map((c) => ({...c, rank: ranks.get(c.code)!})).sort((a, b) => a.short_name.localeCompare(b.short_name))
    };

    const months = await councilMonths(connection);
    const recipientRows = await vcseRecipientRows(connection);
    const services = await servicesByYear(connection);
    const fileStats = await fileStatistics(connection);
    const quality = await qualityRows(connection);
    const reports = new Map(storedReports(storeDir).map((r) => [r.file, r]));

    const details: Record<string, CouncilDetail> = {};
    for (const manifest of manifests) {
      const code = manifest.council.code;
      const c = unranked.find((u) => u.code === code)!;
      const yearList = c.years.map((y) => y.financial_year);
      const recipients = vcseRecipients(recipientRows.get(code) ?? [], yearList, c.headline_year);
      const councilMonthsList = months.get(code) ?? [];
      const other = councilMonthsList.filter((m) => m.status === "other_period");
      const q = quality.get(code);
      const files = sourceFiles(manifest, fileStats.get(code) ?? new Map(), reports);
      details[code] = {
        council: ids.get(code)!,
        rank: ranks.get(code)!,
        data_updated: dataUpdated,
        base_year: baseYear,
        source: {
          publisher: manifest.publisher,
          licence: manifest.licence,
          landing_page: manifest.landing_page ?? null,
          threshold: manifest.threshold ?? null,
          notes: manifest.notes ?? []
        },
        years: c.years,
        latest_full: c.latest_full,
        latest: c.latest,
        headline_year: c.headline_year,
        months: councilMonthsList,
        recipients,
        changes: recipientChanges(recipients, yearList, new Set(c.years.filter((y) => y.full).map((y) => y.financial_year))),
        services: services.get(code) ?? [],
        files,
        quality: {
          individuals: {payments: q?.individual_payments ?? 0, amount: q?.individual_amount ?? 0},
          other_period: {payments: sum(other, (m) => m.payments), amount: pounds(sum(other, (m) => m.amount))},
          duplicates: {payments: q?.duplicate_payments ?? 0, amount: q?.duplicate_amount ?? 0},
          rejected: {rows: sum(files, (f) => f.rejected), amount: pounds(sum(files, (f) => f.rejected_amount))}
        }
      };
    }
    return {summary, details};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function rows<T>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))
  ) as T[];
}

function groupBy<R, T>(items: R[], key: (r: R) => string, map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(map(item));
    else out.set(k, [map(item)]);
  }
  return out;
}

function sum<T>(items: T[], value: (t: T) => number): number {
  return items.reduce((s, t) => s + value(t), 0);
}

/** Rounds a sum of pounds computed in floating point back to whole pence. */
function pounds(x: number): number {
  return Math.round(x * 100) / 100;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

const YEAR_COLUMNS = `
  financial_year, months, months = 12 AS full, first_month, last_month, vcse, total, share, vcse_real, population,
  vcse_payments, vcse_recipients`;

/** council x year, summed over sectors, from the overview's councilYearsFullSql over `counted`. */
function councilYearsSql(): string {
  return `
    WITH cy AS (${councilYearsFullSql("counted")})
    SELECT council_code, financial_year,
      any_value(months)::INTEGER AS months,
      left(any_value(first_month)::VARCHAR, 7) AS first_month,
      left(any_value(last_month)::VARCHAR, 7) AS last_month,
      coalesce(sum(amount) FILTER (WHERE sector = 'vcse'), 0)::DOUBLE AS vcse,
      any_value(council_total)::DOUBLE AS total,
      CASE WHEN any_value(council_total) > 0 THEN coalesce(sum(amount) FILTER (WHERE sector = 'vcse'), 0) / any_value(council_total) END AS share,
      CASE WHEN any_value(deflator) IS NOT NULL THEN coalesce(sum(amount_real) FILTER (WHERE sector = 'vcse'), 0) END AS vcse_real,
      any_value(population) AS population,
      coalesce(sum(payments) FILTER (WHERE sector = 'vcse'), 0)::INTEGER AS vcse_payments,
      coalesce(sum(suppliers) FILTER (WHERE sector = 'vcse'), 0)::INTEGER AS vcse_recipients
    FROM cy GROUP BY council_code, financial_year`;
}

function toYear(r: Record<string, unknown>): CouncilYear {
  return {
    financial_year: r.financial_year as string,
    months: r.months as number,
    full: r.full as boolean,
    first_month: (r.first_month as string | null) ?? null,
    last_month: (r.last_month as string | null) ?? null,
    vcse: r.vcse as number,
    total: r.total as number,
    share: (r.share as number | null) ?? null,
    vcse_real: (r.vcse_real as number | null) ?? null,
    population: (r.population as number | null) ?? null,
    vcse_payments: r.vcse_payments as number,
    vcse_recipients: r.vcse_recipients as number
  };
}

async function identities(connection: DuckDBConnection, manifests: Manifest[]): Promise<Map<string, CouncilIdentity>> {
  const found = await rows<Record<string, string | null>>(connection, "SELECT code, name, council_type, council_type_name, region, end_date FROM councils");
  const byCode = new Map(found.map((r) => [r.code!, r]));
  return new Map(
    manifests.map((m) => {
      const r = byCode.get(m.council.code);
      const type = r?.council_type ?? null;
      return [
        m.council.code,
        {
          code: m.council.code,
          name: m.council.name,
          short_name: r?.name ?? m.council.name,
          type,
          type_name: r?.council_type_name ?? null,
          type_plural: type ? (TYPE_PLURALS[type] ?? `${(r?.council_type_name ?? type).toLowerCase()} councils`) : null,
          region: r?.region ?? null,
          end_date: r?.end_date ?? null
        }
      ];
    })
  );
}

export function latestYears(years: CouncilYear[]): {latest_full: string | null; latest: string | null; headline_year: string | null} {
  const sorted = [...years].sort((a, b) => a.financial_year.localeCompare(b.financial_year));
  const latest_full = sorted.filter((y) => y.full).at(-1)?.financial_year ?? null;
  const most = Math.max(0, ...sorted.map((y) => y.months));
  return {
    latest_full,
    latest: sorted.filter((y) => y.months > 0).at(-1)?.financial_year ?? sorted.at(-1)?.financial_year ?? null,
    headline_year: latest_full ?? (most > 0 ? sorted.filter((y) => y.months === most).at(-1)!.financial_year : null)
  };
}

/** Competition ranks (1, 2, 2, 4) of each council's latest full year among councils of the same type. */
export function rankCouncils(councils: Omit<CouncilSummary, "rank">[]): Map<string, CouncilRank> {
  const out = new Map<string, CouncilRank>();
  const latest = (c: Omit<CouncilSummary, "rank">) => c.years.find((y) => y.financial_year === c.latest_full);
  for (const c of councils) {
    const mine = latest(c);
    const peers = councils.filter((p) => p.type === c.type && latest(p));
    const rank = (value: (y: CouncilYear) => number | null): number | null => {
      const v = mine ? value(mine) : null;
      if (v === null) return null;
      return 1 + peers.filter((p) => (value(latest(p)!) ?? -Infinity) > v).length;
    };
    out.set(c.code, {by_vcse: rank((y) => y.vcse), by_share: rank((y) => y.share), peers: peers.length});
  }
  return out;
}

function storeUpdated(storeDir: string): string | null {
  const path = join(storeDir, "state.json");
  return existsSync(path) ? statSync(path).mtime.toISOString().slice(0, 10) : null;
}

async function councilMonths(connection: DuckDBConnection): Promise<Map<string, CouncilMonth[]>> {
  const found = await rows<CouncilMonth & {council_code: string}>(
    connection,
    `SELECT council_code, left(month::VARCHAR, 7) AS month, financial_year, status, payments, amount, vcse_amount AS vcse
     FROM (${coverageMonthsSql("counted")}) ORDER BY council_code, 2`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...m}) => m);
}

interface RecipientYear {
  key: string;
  name: string;
  kind: string | null;
  financial_year: string;
  amount: number;
}

async function vcseRecipientRows(connection: DuckDBConnection): Promise<Map<string, RecipientYear[]>> {
  const found = await rows<RecipientYear & {council_code: string}>(
    connection,
    `SELECT council_code, supplier_key AS key,
       arg_max(supplier_name, payment_date) OVER (PARTITION BY council_code, supplier_key) AS name,
       mode(kind) OVER (PARTITION BY council_code, supplier_key) AS kind, financial_year, amount
     FROM (
       SELECT council_code, supplier_key, financial_year, mode(kind) AS kind, max(payment_date) AS payment_date,
         arg_max(supplier_name, payment_date) AS supplier_name, (sum(amount_pence) / 100)::DOUBLE AS amount
       FROM counted WHERE sector = 'vcse' AND NOT redacted GROUP BY ALL
     )`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}

/** Every VCSE recipient of a council with its amount per year, largest in the headline year first. */
function vcseRecipients(found: RecipientYear[], years: string[], headlineYear: string | null): Recipient[] {
  const byKey = new Map<string, Recipient>();
  for (const r of found) {
    let recipient = byKey.get(r.key);
    if (!recipient) {
      recipient = {key: r.key, name: r.name, kind: r.kind, amounts: years.map(() => null)};
      byKey.set(r.key, recipient);
    }
    recipient.amounts[years.indexOf(r.financial_year)] = r.amount;
  }
  const h = headlineYear ? years.indexOf(headlineYear) : -1;
  const total = (r: Recipient) => r.amounts.reduce<number>((s, a) => s + (a ?? 0), 0);
  return [...byKey.values()].sort(
    (a, b) => (b.amounts[h] ?? -Infinity) - (a.amounts[h] ?? -Infinity) || total(b) - total(a) || a.name.localeCompare(b.name)
  );
}

/** Gained and lost VCSE recipients between consecutive financial years that both have 12 months of data. */
export function recipientChanges(recipients: Recipient[], years: string[], fullYears: Set<string>): RecipientChange[] {
  const out: RecipientChange[] = [];
  const paid = (a: number | null | undefined): a is number => a !== null && a !== undefined && a > 0;
  for (let i = 1; i < years.length; i++) {
    const from = years[i - 1]!;
    const to = years[i]!;
    if (!fullYears.has(from) || !fullYears.has(to) || Number(to.slice(0, 4)) !== Number(from.slice(0, 4)) + 1) continue;
    const pick = (r: Recipient, j: number) => ({key: r.key, name: r.name, amount: r.amounts[j]!});
    const gained = recipients.filter((r) => paid(r.amounts[i]) && !paid(r.amounts[i - 1])).map((r) => pick(r, i));
    const lost = recipients.filter((r) => paid(r.amounts[i - 1]) && !paid(r.amounts[i])).map((r) => pick(r, i - 1));
    const continuing = recipients.filter((r) => paid(r.amounts[i]) && paid(r.amounts[i - 1]));
    const list = (items: {key: string; name: string; amount: number}[]): RecipientChangeList => ({
      count: items.length,
      amount: pounds(sum(items, (r) => r.amount)),
      top: items.sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name)).slice(0, CHANGES_TOP)
    });
    out.push({
      from,
      to,
      gained: list(gained),
      lost: list(lost),
      continuing: {
        count: continuing.length,
        amount_from: pounds(sum(continuing, (r) => r.amounts[i - 1]!)),
        amount_to: pounds(sum(continuing, (r) => r.amounts[i]!))
      }
    });
  }
  return out;
}

async function servicesByYear(connection: DuckDBConnection): Promise<Map<string, ServiceRow[]>> {
  const found = await rows<ServiceRow & {council_code: string}>(
    connection,
    `WITH s AS (
       SELECT council_code, financial_year, coalesce(nullif(trim(service), ''), 'Not stated') AS service,
         coalesce(sum(amount_pence) FILTER (WHERE sector = 'vcse' AND NOT redacted), 0) AS vcse_pence, sum(amount_pence) AS total_pence
       FROM counted GROUP BY ALL
     ),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY council_code, financial_year ORDER BY vcse_pence DESC, total_pence DESC, service) AS n FROM s
     )
     SELECT * FROM (
       SELECT council_code, financial_year, CASE WHEN n <= ${SERVICES_PER_YEAR} THEN service ELSE 'All other service areas' END AS service,
         (sum(vcse_pence) / 100)::DOUBLE AS vcse, (sum(total_pence) / 100)::DOUBLE AS total
       FROM ranked GROUP BY ALL
     ) ORDER BY council_code, financial_year, service = 'All other service areas', vcse DESC, total DESC`
  );
  return groupBy(found, (r) => r.council_code, ({council_code: _, ...r}) => r);
}

interface FileStats {
  payments: number;
  amount: number;
  duplicates: number;
  duplicate_amount: number;
}

async function fileStatistics(connection: DuckDBConnection): Promise<Map<string, Map<string, FileStats>>> {
  const found = await rows<FileStats & {council_code: string; source_file: string}>(
    connection,
    `SELECT council_code, source_file, count(*)::INTEGER AS payments, (sum(amount_pence) / 100)::DOUBLE AS amount,
       count(*) FILTER (WHERE duplicate)::INTEGER AS duplicates,
       (coalesce(sum(amount_pence) FILTER (WHERE duplicate), 0) / 100)::DOUBLE AS duplicate_amount
     FROM flagged GROUP BY ALL`
  );
  const out = new Map<string, Map<string, FileStats>>();
  for (const {council_code, source_file, ...stats} of found) {
    if (!out.has(council_code)) out.set(council_code, new Map());
    out.get(council_code)!.set(source_file, stats);
  }
  return out;
}

function sourceFiles(manifest: Manifest, stats: Map<string, FileStats>, reports: Map<string, {rejected: number; amount_rejected: string}>): SourceFileRow[] {
  return manifest.files.map((f) => {
    const s = stats.get(f.path);
    const report = reports.get(f.path);
    return {
      path: f.path,
      url: f.url ?? null,
      period: f.period,
      payments: s?.payments ?? 0,
      amount: s?.amount ?? 0,
      rejected: report?.rejected ?? 0,
      rejected_amount: report ? Number(report.amount_rejected) : 0,
      duplicates: s?.duplicates ?? 0,
      duplicate_amount: s?.duplicate_amount ?? 0
    };
  });
}

interface QualityRow {
  individual_payments: number;
  individual_amount: number;
  duplicate_payments: number;
  duplicate_amount: number;
}

async function qualityRows(connection: DuckDBConnection): Promise<Map<string, QualityRow>> {
  const found = await rows<QualityRow & {council_code: string}>(
    connection,
    `SELECT council_code,
       count(*) FILTER (WHERE (sector = 'individual' OR redacted) AND NOT duplicate)::INTEGER AS individual_payments,
       (coalesce(sum(amount_pence) FILTER (WHERE (sector = 'individual' OR redacted) AND NOT duplicate), 0) / 100)::DOUBLE AS individual_amount,
       count(*) FILTER (WHERE duplicate)::INTEGER AS duplicate_payments,
       (coalesce(sum(amount_pence) FILTER (WHERE duplicate), 0) / 100)::DOUBLE AS duplicate_amount
     FROM flagged GROUP BY ALL`
  );
  return new Map(found.map(({council_code, ...q}) => [council_code, q]));
}
