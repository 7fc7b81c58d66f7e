import type {DuckDBConnection} from "@duckdb/node-api";
import {AS_PUBLISHED} from "../conform/as-published.ts";
import {dateOf} from "../conform/conform.ts";
import {financialYear} from "../conform/financial-year.ts";
import {parseAmount} from "../conform/parse-amount.ts";
import {detectDateOrder, type DateOrder} from "../conform/parse-date.ts";
import {appendRows} from "../sql.ts";
import {outputStem} from "../store/store.ts";
import type {Field} from "../types.ts";
import {mendsShortRows, mendsWideRows, type Prepared} from "./fast-prepare.ts";
import {amountPartsSql, cellsSql, jsTrim, linesSql, maybeTotalsSql, simpleAmountSql} from "./fast-sql.ts";
import type {IngestStats} from "./ingest-stats.ts";

const MAPPED: Field[] = ["amount", "payment_date", "period", "supplier_name", ...AS_PUBLISHED];

export type GroupRow = [string, string | null, string | null, string | null, number, string | null];

/** What DuckDB found in a batch: what classifyBatch needs to make each file's report and suppliers. */
export interface Analysis {
  db: DuckDBConnection;
  part: Prepared[];
  /** Files with a line the line split reads differently from the CSV reader: read by fallback. */
  irregular: Set<number>;
  orders: Map<number, DateOrder>;
  totals: Map<number, [number, string, string | null, number, string, number][]>;
  leftovers: Map<number, [number, number, string][]>;
  groups: Map<number, [number, ...GroupRow][]>;
}

/** One batch of files sharing a delimiter, in SQL, up to fast_rows. */
export async function analyse(db: DuckDBConnection, part: Prepared[], stats: IngestStats): Promise<Analysis> {
  await loadFiles(db, part, part[0]!.delimiter, stats);
  let t = performance.now();
  const irregular = new Set((await db.runAndReadAll("SELECT DISTINCT f FROM fast_lines WHERE NOT regular")).getRows().map(([f]) => f as number));
  const taken = part.filter((p) => !irregular.has(p.index));
  const orders = await tabulate(db, taken);
  t = stats.phase("dates and amounts", t);
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_rows AS ${ROWS}; DROP TABLE fast_lines`);

  const totals = group(
    (await db.runAndReadAll(`
      SELECT f, class, fy, count(*)::INTEGER AS n, coalesce(sum(pence), 0)::VARCHAR AS pence, count(*) FILTER (WHERE from_period)::INTEGER AS from_period
      FROM fast_rows WHERE class <> 'js' GROUP BY ALL`)).getRows() as [number, string, string | null, number, string, number][]
  );
  const leftovers = group(
    (await db.runAndReadAll(`SELECT f, n::INTEGER AS n, line FROM fast_rows JOIN fast_raw USING (f, n) WHERE class = 'js' ORDER BY f, n`)).getRows() as [number, number, string][]
  );
  const groups = group(
    (await db.runAndReadAll(`
      SELECT f, sup, charity_number, company_number, council_flag, min(n)::INTEGER AS first, arg_min(supplier_id, n) AS supplier_id
      FROM fast_rows WHERE class = 'ok' GROUP BY ALL`)).getRows() as [number, ...GroupRow][]
  );
  stats.phase("rows", t);
  return {db, part, irregular, orders, totals, leftovers, groups};
}

/**
 * fast_files: each file's plan as columns (start line, cells needed, 1-based cell of each field, constants of
 * its payments); fast_lines: each line of each file with the cells conform reads (a, d, p, sup and the stored
 * fields), its width and whether it is blank, maybe a totals line, or an amount in the plainest form (simple,
 * in pence); regular is false on a line the CSV reader would read differently (see cellsSql).
 */
async function loadFiles(db: DuckDBConnection, part: Prepared[], delimiter: string, stats: IngestStats): Promise<void> {
  const started = performance.now();
  await db.run(`
    CREATE OR REPLACE TEMP TABLE fast_input (f INTEGER, content BLOB);
    CREATE OR REPLACE TEMP TABLE fast_files (f INTEGER, start INTEGER, needed INTEGER, header_width INTEGER, mends BOOLEAN, mends_wide BOOLEAN, ${MAPPED.map((m) => `${m} INTEGER`).join(", ")},
      council_code VARCHAR, council_name VARCHAR, source_file VARCHAR, source_sha256 VARCHAR, row_kind VARCHAR, stem VARCHAR)`);
  await appendRows(db, "fast_input", ["INTEGER", "BLOB"], part.map((p) => [p.index, p.text.utf8]));
  await appendRows(db, "fast_files", FILE_COLUMNS, part.map((p) => {
    const {job, sha256, recipe} = p.file;
    const map = p.plan.map;
    return [
      p.index, p.plan.start, Math.max(map.amount, map.supplier_name), p.plan.header.length, mendsShortRows(p.options), mendsWideRows(p.options),
      ...MAPPED.map((m) => (map[m] === undefined ? null : map[m]! + 1)),
      job.council.code, job.council.name, job.sourceFile, sha256, p.plan.rowKind, outputStem(job.sourceFile, sha256, recipe)
    ];
  }));
  const {cells, regular, blank, cell: read} = cellsSql(delimiter);
  const cell = (f: Field) => read(`ff.${f}`);
  let t = stats.phase("input", started);
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_raw AS ${linesSql("fast_input")}`);
  t = stats.phase("split lines", t);
  await db.run(`
    CREATE OR REPLACE TEMP TABLE fast_lines AS
    SELECT f, n, ${regular} AS regular, len(cells) AS width, ${blank} AS blank,
      ${cell("amount")} AS a, ${simpleAmountSql(amountPartsSql(cell("amount")))} AS simple,
      ${cell("payment_date")} AS d, ${cell("period")} AS p, ${cell("supplier_name")} AS sup,
      ${maybeTotalsSql(read("1"), cell("payment_date"), cell("period"), cell("supplier_name"))} AS totals,
      ${AS_PUBLISHED.map((f) => `nullif(${jsTrim(cell(f))}, '') AS ${f}`).join(", ")}
    FROM (SELECT r.f, n, line, quoted, ${cells} AS cells FROM (SELECT *, contains(line, '"') AS quoted FROM fast_raw) r) x
      JOIN fast_files ff USING (f)`);
  stats.phase("lines", t);
}

const FILE_COLUMNS = ["INTEGER", "INTEGER", "INTEGER", "INTEGER", "BOOLEAN", "BOOLEAN", ...MAPPED.map(() => "INTEGER"), "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"];

/**
 * fast_dates: conform's dateOf for each file's distinct pairs of date and period cells; fast_amounts:
 * parseAmount for each distinct amount cell not in the plainest form, where it reads one. Returns each file's
 * date order (detectDateOrder over a column's distinct values gives what it gives over all of them).
 */
async function tabulate(db: DuckDBConnection, files: Prepared[]): Promise<Map<number, DateOrder>> {
  const values = (await db.runAndReadAll(`
    SELECT 0 AS k, f, d, p FROM (SELECT DISTINCT l.f, d, p FROM fast_lines l JOIN fast_files ff ON ff.f = l.f WHERE n > ff.start)
    UNION ALL SELECT 1, NULL, a, NULL FROM (SELECT DISTINCT a FROM fast_lines l JOIN fast_files ff ON ff.f = l.f WHERE n > ff.start AND simple IS NULL)`)).getRows() as [number, number | null, string, string | null][];
  const byIndex = new Map(files.map((p) => [p.index, p]));
  const datesOf = group(values.filter(([k, f]) => k === 0 && byIndex.has(f!)).map(([, f, d, p]) => [f!, d, p!] as [number, string, string]));
  const orders = new Map<number, DateOrder>();
  const dates: unknown[][] = [];
  for (const p of files) {
    const pairs = datesOf.get(p.index) ?? [];
    const order: DateOrder = p.plan.map.payment_date === undefined ? "dmy" : detectDateOrder(pairs.map(([, d]) => d));
    orders.set(p.index, order);
    for (const [, d, period] of pairs) {
      const when = dateOf(d.trim(), period.trim(), p.plan.map, order, p.plan.dated, p.plan.latest);
      if (when.ok) dates.push([p.index, d, period, when.date, when.precision, financialYear(when.date), when.fromPeriod]);
    }
  }
  const amounts: unknown[][] = [];
  for (const [k, , a] of values) {
    if (k !== 1) continue;
    const amount = parseAmount(a.trim());
    // A repaired amount is left to conform, which counts the repair.
    if (amount.ok && !amount.repair) amounts.push([a, amount.pence]);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE fast_dates (f INTEGER, d VARCHAR, p VARCHAR, date VARCHAR, date_precision VARCHAR, fy VARCHAR, from_period BOOLEAN);
    CREATE OR REPLACE TEMP TABLE fast_amounts (a VARCHAR, pence BIGINT)`);
  await appendRows(db, "fast_dates", ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN"], dates);
  await appendRows(db, "fast_amounts", ["VARCHAR", "BIGINT"], amounts);
  return orders;
}

/**
 * fast_rows: the data lines with their amount and date and the cells stored, each classed 'blank' (conform
 * skips it), 'ok' (a plain payment: cells enough, an amount, a date, nothing like a totals line, not a row
 * narrower than the header that the layout's repair may mend) or 'js' (for conform to read). Made once per batch: the totals, the leftovers, the suppliers and the write all read it.
 */
const ROWS = `
  SELECT l.f, l.n, coalesce(l.simple, am.pence) AS pence, dt.date::DATE AS date, dt.date_precision, dt.fy, dt.from_period,
    l.sup, ${AS_PUBLISHED.map((f) => `l.${f}`).join(", ")},
    CASE WHEN l.blank THEN 'blank'
      WHEN l.width > ff.needed AND NOT (ff.mends AND l.width < ff.header_width) AND NOT (ff.mends_wide AND l.width > ff.header_width) AND coalesce(l.simple, am.pence) IS NOT NULL AND dt.date IS NOT NULL AND NOT l.totals THEN 'ok'
      ELSE 'js' END AS class
  FROM fast_lines l JOIN fast_files ff ON ff.f = l.f
    LEFT JOIN fast_amounts am ON am.a = l.a LEFT JOIN fast_dates dt ON dt.f = l.f AND dt.d = l.d AND dt.p = l.p
  WHERE l.n > ff.start`;

/** The plain rows as stored payments: the store's columns and the output stem of their file. */
export const PAYMENTS = `
  SELECT ff.council_code, ff.council_name, ff.source_file, ff.source_sha256, r.n::INTEGER AS source_row,
    r.date AS payment_date, r.date_precision, r.fy AS financial_year, r.pence AS amount_pence,
    c.supplier_name, c.supplier_key, r.supplier_id, r.charity_number, r.company_number, r.service, r.expense_type,
    r.purpose, r.transaction_ref, r.council_flag, c.redacted, ff.row_kind,
    c.sector, c.kind, c.basis, c.confidence, c.matched_id, ff.stem
  FROM fast_rows r JOIN fast_files ff ON ff.f = r.f
    JOIN fast_cls c ON c.f = r.f AND r.sup = c.sup AND r.charity_number IS NOT DISTINCT FROM c.charity_number
      AND r.company_number IS NOT DISTINCT FROM c.company_number AND r.council_flag IS NOT DISTINCT FROM c.council_flag
  WHERE r.class = 'ok'`;

/** Rows grouped by their first value (the file). */
function group<T extends [number | null, ...unknown[]]>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const key = row[0] as number;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(row);
  }
  return out;
}
