import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParseRows} from "d3-dsv";
import {unzipSync} from "fflate";
import iconv from "iconv-lite";

/**
 * An independent reading of a council's raw files that counts each declared month once, for the test of a
 * council whose files overlap (an archive and a second copy of some of its months). Written here, not with
 * the pipeline's code: d3-dsv, fflate and iconv directly, columns by their header names, a plain amount reader.
 *
 * The overlap is decided by the manifest's declared periods, not by comparing rows: a file whose declared
 * month an earlier-listed file already declares does not count for that month (its rows dated in it are left
 * out); every other row with a supplier and a date counts in the financial year of its date.
 */

export interface MonthCopy {
  month: string;
  kept: string;
  left_out: string;
  /** Rows of each copy dated in the month. */
  rows: [number, number];
  /** The copies' amounts, sorted, with their signs dropped, are equal. */
  same_sizes: boolean;
  /** Sum of each copy's amounts in the month, pence. */
  pence: [bigint, bigint];
}

export interface MonthOnceReading {
  years: Map<string, bigint>;
  copies: MonthCopy[];
}

interface Columns {date: string; amount: string[]; supplier: string}

function text(path: string): string {
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith(".zip")) bytes = Object.values(unzipSync(bytes))[0]!;
  try {
    return new TextDecoder("utf-8", {fatal: true}).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return iconv.decode(Buffer.from(bytes), "windows-1252");
  }
}

/** "-£1,956.00", "£9,854.98", "1195.00" -> pence. */
function pence(cell: string): bigint | null {
  const s = cell.trim().replace(/[£,\s]/g, "");
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const value = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -value : value;
}

/** "01.04.2019" or "2019-04-01" -> "2019-04". */
function month(cell: string): string | null {
  const s = cell.trim();
  let m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[2]}`;
  m = /^(\d{4})-(\d{2})-\d{2}/.exec(s);
  return m ? `${m[1]}-${m[2]}` : null;
}

const financialYear = (m: string) => {
  const start = +m.slice(0, 4) - (+m.slice(5, 7) < 4 ? 1 : 0);
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
};

function declaredMonths(period: string): string[] {
  const [from, to = from] = period.split("..") as [string, string?];
  const out: string[] = [];
  for (let y = +from.slice(0, 4), m = +from.slice(5, 7); `${y}-${String(m).padStart(2, "0")}` <= to!; m === 12 ? ((m = 1), y++) : m++) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  return out;
}

/** Reads `files` (paths under dataDir, in the manifest's order) with the column names given. */
export function readMonthOnce(dataDir: string, files: {path: string; period: string}[], columns: Columns): MonthOnceReading {
  const owner = new Map<string, string>();
  const rowsOf = new Map<string, Map<string, bigint[]>>();
  for (const f of files) {
    for (const m of declaredMonths(f.period)) if (!owner.has(m)) owner.set(m, f.path);
    const [header, ...rows] = csvParseRows(text(join(dataDir, f.path)));
    const at = (names: string[]) => header!.findIndex((h) => names.includes(h.trim()));
    const [date, amount, supplier] = [at([columns.date]), at(columns.amount), at([columns.supplier])];
    if (date < 0 || amount < 0 || supplier < 0) throw new Error(`${f.path}: the oracle found no ${columns.date}, amount or ${columns.supplier} column`);
    const byMonth = new Map<string, bigint[]>();
    for (const row of rows) {
      const m = month(row[date] ?? "");
      if (!m || !row[supplier]?.trim()) continue;
      const p = pence(row[amount] ?? "");
      if (p === null) throw new Error(`${f.path}: the oracle cannot read the amount ${JSON.stringify(row[amount])}`);
      const list = byMonth.get(m);
      if (list) list.push(p);
      else byMonth.set(m, [p]);
    }
    rowsOf.set(f.path, byMonth);
  }
  const years = new Map<string, bigint>();
  const copies: MonthCopy[] = [];
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const sizes = (xs: bigint[]) => xs.map((x) => (x < 0n ? -x : x)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(",");
  for (const f of files) {
    const declared = new Set(declaredMonths(f.period));
    for (const [m, amounts] of rowsOf.get(f.path)!) {
      const first = owner.get(m)!;
      if (declared.has(m) && first !== f.path) {
        const kept = rowsOf.get(first)!.get(m) ?? [];
        copies.push({month: m, kept: first, left_out: f.path, rows: [kept.length, amounts.length], same_sizes: sizes(kept) === sizes(amounts), pence: [sum(kept), sum(amounts)]});
        continue;
      }
      years.set(financialYear(m), (years.get(financialYear(m)) ?? 0n) + sum(amounts));
    }
  }
  return {years, copies};
}
