/** Unpacks the charity table from the Commission's extract ZIP into its registers folder, with the register's date. */
import {createHash} from "node:crypto";
import {readdir, readFile, unlink} from "node:fs/promises";
import {basename, join} from "node:path";
import {unzipSync} from "fflate";
import {CCEW_TITLE, CURRENT_FILE, EXTRACT_ZIP, type CurrentExtract, type RegisterUse} from "../classify/current-register.ts";
import {writeFileAtomic} from "./lock-file.ts";
import type {LockEntry} from "./lock-file.ts";

const TABLE = "publicextract.charity.txt";
/** Columns the classifier cannot do without; a table lacking one is not the charity table. */
const REQUIRED = ["registered_charity_number", "charity_name", "charity_registration_status"];
const TABLE_FILE = /^publicextract\.charity\.[0-9a-f]{12}\.txt$/;
/** The columns kept, those present: what registry.ts reads, and the dates and types that say what a row is. */
const KEEP = [
  "date_of_extract", "organisation_number", "registered_charity_number", "linked_charity_number", "charity_name", "charity_type",
  "charity_registration_status", "date_of_registration", "date_of_removal", "charity_company_registration_number", "charity_is_cio"
];

/**
 * Unpacks the ZIP fetchSources left at `dir/publicextract.charity.zip` (described by its lock entry): the charity
 * table is written under a name of its content, then current.json is replaced to name it, then older tables are
 * removed. Throws, leaving current.json as it was, when the ZIP holds no charity table or cannot be unpacked.
 */
export async function unpackExtract(dir: string, entry: LockEntry): Promise<CurrentExtract> {
  const zip = await readFile(join(dir, EXTRACT_ZIP));
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {filter: (f) => /\.txt$/i.test(f.name)});
  } catch (err) {
    throw new Error(`cannot unpack the ZIP: ${(err as Error).message}`);
  }
  const names = Object.keys(files);
  const name = names.find((n) => basename(n).toLowerCase() === TABLE) ?? (names.length === 1 ? names[0] : undefined);
  if (!name) throw new Error(`the ZIP holds no ${TABLE} (it holds ${names.length ? names.join(", ") : "no text table"})`);
  const {columns, first, rows, text} = cutTable(files[name]!);
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) throw new Error(`${name} is not the charity table: its header has no ${missing.join(", ")} (it starts ${JSON.stringify(columns.slice(0, 4).join("\t"))})`);
  if (rows === 0) throw new Error(`${name} has a header and no rows`);

  const sha256 = createHash("sha256").update(text).digest("hex");
  const table = `publicextract.charity.${sha256.slice(0, 12)}.txt`;
  const current: CurrentExtract = {
    register: "ccew_extract",
    title: CCEW_TITLE,
    ...registerDate(columns, first, entry),
    url: entry.url,
    sha256,
    table,
    rows,
    fetched_at: entry.fetched_at,
    zip_sha256: entry.sha256
  };
  await writeFileAtomic(join(dir, table), text);
  await writeFileAtomic(join(dir, CURRENT_FILE), `${JSON.stringify(current, null, 1)}\n`);
  for (const f of await readdir(dir)) if (TABLE_FILE.test(f) && f !== table) await unlink(join(dir, f)).catch(() => undefined);
  return current;
}

/**
 * The table cut to the columns the classifier and the site read (the Commission's has 33, most of them addresses,
 * finances and activities text, ten times the size): tab-separated with its header row as the Commission writes it,
 * never quoted. Lines are read one by one from the bytes, so a table longer than a JavaScript string can be is cut too.
 */
function cutTable(bytes: Uint8Array): {columns: string[]; first: string[]; rows: number; text: string} {
  const decoder = new TextDecoder();
  const lineAt = (start: number) => {
    const i = bytes.indexOf(10, start);
    const end = i === -1 ? bytes.length : i;
    return {line: decoder.decode(bytes.subarray(start, end)).replace(/\r$/, ""), next: end + 1};
  };
  const header = lineAt(0);
  const columns = header.line.replace(/^\uFEFF/, "").split("\t").map((c) => c.trim());
  const keep = KEEP.map((c) => columns.indexOf(c)).filter((i) => i >= 0);
  const out = [keep.map((i) => columns[i]).join("\t")];
  let first: string[] = [];
  for (let start = header.next; start < bytes.length; ) {
    const {line, next} = lineAt(start);
    start = next;
    if (!line) continue;
    const cells = line.split("\t");
    if (out.length === 1) first = cells;
    out.push(keep.map((i) => cells[i] ?? "").join("\t"));
  }
  return {columns, first, rows: out.length - 1, text: out.join("\n") + "\n"};
}

/** The extract's own date_of_extract when it has one, else the server's Last-Modified, else when it was fetched. */
function registerDate(columns: string[], first: string[], entry: LockEntry): Pick<RegisterUse, "date" | "date_source"> {
  const own = isoDate(first[columns.indexOf("date_of_extract")]);
  if (columns.includes("date_of_extract") && own) return {date: own, date_source: "date_of_extract"};
  const modified = entry.last_modified ? new Date(entry.last_modified) : undefined;
  if (modified && Number.isFinite(modified.getTime())) return {date: modified.toISOString().slice(0, 10), date_source: "last_modified"};
  return {date: entry.fetched_at.slice(0, 10), date_source: "fetched_at"};
}

/** YYYY-MM-DD from "2026-12-02", "2026-12-02 00:00:00" or "02/12/2026"; undefined otherwise. */
function isoDate(value: string | undefined): string | undefined {
  const v = value?.trim() ?? "";
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const uk = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(v);
  return uk ? `${uk[3]}-${uk[2]}-${uk[1]}` : undefined;
}
