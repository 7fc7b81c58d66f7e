/**
 * Copies a publisher's files into data/sample/spending/<dir>/ stored compressed: one ZIP per file holding its
 * original bytes (fixed timestamp, so the ZIP is reproducible), and prints the manifest's files and the
 * provenance rows, with each inner file's sha256.
 *
 * tsx scripts/embed-compressed.ts SOURCE_DIR OUT_DIR
 *   SOURCE_DIR  a folder of the shared data, either with an index.json ({files: [{file, url, name}]}, name
 *               holding the period's dates as "(1 April 2013 - 27 April 2013)", files under clean/), or a
 *               plain folder of CSV files whose names give their month ("apr-2011.csv", "april-2015.csv"; no url)
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import {zipSync} from "fflate";
import {periodFromName} from "../pipeline/sources/period-from-name.ts";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MTIME = new Date("2000-01-01T00:00:00Z");

/** "Period 2 2013/14 (28 April 2013 - 25 May 2013)" -> "2013-04..2013-05". */
function periodOf(name: string): string {
  const month = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3))) + 1;
  const dates = [...name.matchAll(/(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]{3,})\s*(\d{4})/g)].map((m) => `${m[3]}-${String(month(m[2]!)).padStart(2, "0")}`);
  if (dates.length !== 2 || dates.some((d) => d.endsWith("-00"))) throw new Error(`no date range in ${JSON.stringify(name)}`);
  return dates[0] === dates[1] ? dates[0]! : `${dates[0]}..${dates[1]}`;
}

/** A period as the manifest writes it, from a file's name alone. */
function periodOfName(file: string): string {
  const period = periodFromName(file);
  if (!period) throw new Error(`no period in the file name ${JSON.stringify(file)}`);
  const first = period.start.slice(0, 7);
  const [y, m] = first.split("-").map(Number);
  const last = new Date(Date.UTC(y!, m! - 1 + period.months - 1, 1)).toISOString().slice(0, 7);
  return first === last ? first : `${first}..${last}`;
}

interface Entry {file: string; path: string; period: string; url?: string}

function entries(source: string): Entry[] {
  const index = join(source, "index.json");
  if (existsSync(index)) {
    const listed = (JSON.parse(readFileSync(index, "utf8")) as {files: {file: string; url: string; name: string}[]}).files;
    const seen = new Set<string>();
    return listed.filter((f) => !seen.has(f.file) && seen.add(f.file)).map((f) => ({file: f.file, path: join(source, "clean", f.file), period: periodOf(f.name), url: f.url}));
  }
  const files = readdirSync(source).filter((f) => /\.csv$/i.test(f)).map((f) => ({file: f, path: join(source, f), period: periodOfName(f)}));
  return files.sort((a, b) => a.period.localeCompare(b.period) || a.file.localeCompare(b.file));
}

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error("usage: tsx scripts/embed-compressed.ts SOURCE_DIR OUT_DIR");
mkdirSync(out, {recursive: true});
const files: {period: string; path: string; url?: string}[] = [];
const provenance: string[] = [];
for (const f of entries(source)) {
  const bytes = readFileSync(f.path);
  const zip = zipSync({[f.file]: [bytes, {mtime: MTIME, level: 9}]});
  const name = `${basename(f.file, ".csv")}.zip`;
  writeFileSync(join(out, name), zip);
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  files.push({period: f.period, path: join(out.replace(/^data\//, ""), name), ...(f.url ? {url: f.url} : {})});
  provenance.push(`| ${join(out.replace(/^data\/sample\//, ""), name)} | ${zip.length} | ${sha(zip).slice(0, 16)} | ${f.file} inside: ${bytes.length} bytes, sha256 ${sha(bytes)} |`);
}
process.stdout.write(`${JSON.stringify({files}, null, 2)}\n\n${provenance.join("\n")}\n`);
