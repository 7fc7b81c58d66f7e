/**
 * Copies a publisher's files into data/sample/spending/<dir>/ stored compressed: one ZIP per file holding its
 * original bytes (fixed timestamp, so the ZIP is reproducible), and prints the manifest's files and the
 * provenance rows, with each inner file's sha256.
 *
 * tsx scripts/embed-compressed.ts SOURCE_DIR OUT_DIR
 *   SOURCE_DIR  a folder of the shared data with an index.json ({files: [{file, url, name}]}, name holding the
 *               period's dates as "(1 April 2013 - 27 April 2013)")
 */
import {createHash} from "node:crypto";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import {zipSync} from "fflate";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MTIME = new Date("2000-01-01T00:00:00Z");

/** "Period 2 2013/14 (28 April 2013 - 25 May 2013)" -> "2013-04..2013-05". */
function periodOf(name: string): string {
  const month = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3))) + 1;
  const dates = [...name.matchAll(/(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]{3,})\s*(\d{4})/g)].map((m) => `${m[3]}-${String(month(m[2]!)).padStart(2, "0")}`);
  if (dates.length !== 2 || dates.some((d) => d.endsWith("-00"))) throw new Error(`no date range in ${JSON.stringify(name)}`);
  return dates[0] === dates[1] ? dates[0]! : `${dates[0]}..${dates[1]}`;
}

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error("usage: tsx scripts/embed-compressed.ts SOURCE_DIR OUT_DIR");
const index = JSON.parse(readFileSync(join(source, "index.json"), "utf8")) as {files: {file: string; url: string; name: string}[]};
mkdirSync(out, {recursive: true});
const seen = new Set<string>();
const files: {period: string; path: string; url: string}[] = [];
const provenance: string[] = [];
for (const f of index.files) {
  if (seen.has(f.file)) continue;
  seen.add(f.file);
  const bytes = readFileSync(join(source, "clean", f.file));
  const zip = zipSync({[f.file]: [bytes, {mtime: MTIME, level: 9}]});
  const name = `${basename(f.file, ".csv")}.zip`;
  writeFileSync(join(out, name), zip);
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  files.push({period: periodOf(f.name), path: join(out.replace(/^data\//, ""), name), url: f.url});
  provenance.push(`| ${join(out.replace(/^data\/sample\//, ""), name)} | ${zip.length} | ${sha(zip).slice(0, 16)} | ${f.file} inside: ${bytes.length} bytes, sha256 ${sha(bytes)} |`);
}
process.stdout.write(`${JSON.stringify({files}, null, 2)}\n\n${provenance.join("\n")}\n`);
