import {readFileSync} from "node:fs";
import type {Command} from "../args.ts";
import {inputFolder} from "../validate.ts";
import {DATA, REGISTERS, text} from "./options.ts";

/** Invalid UTF-8 sequences tolerated in a text stream (a stray Latin-1 "£"), beyond which it is not text. */
const BAD_SEQUENCES = 3;

export class NotTextError extends Error {}

/** Standard input as text, or NotTextError: a NUL byte or more than a few invalid UTF-8 sequences. */
export function stdinText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new NotTextError(`standard input is not text: a NUL byte at offset ${nul} (a binary file?)`);
  const text = new TextDecoder("utf-8").decode(bytes);
  const bad = text.split("\uFFFD").length - 1 - (Buffer.from(bytes).toString("latin1").match(/\xef\xbf\xbd/g)?.length ?? 0);
  if (bad > BAD_SEQUENCES) throw new NotTextError(`standard input is not UTF-8 text: ${bad} invalid byte sequences`);
  return text;
}

export const classifyCommand: Command = {
  name: "classify",
  summary: "classify supplier names read from standard input; CSV to stdout",
  details:
    "Input: one name per line, or CSV with a name column and optionally supplier_id, charity_number, company_number,\n" +
    "council_flag. Output: CSV name,sector,kind,basis,confidence,matched_id, one row per input row, in input order.",
  options: [REGISTERS, DATA],
  example: "printf 'Age UK\\nTesco Stores Ltd\\n' | vcse-spend classify",
  exits: {1: "standard input is not text (a NUL byte, or invalid UTF-8 beyond a few bytes)"},
  async run({values}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const registersDir = values.registers === undefined ? undefined : inputFolder(text(values.registers)!, "--registers");
    if (process.stdin.isTTY) process.stderr.write("reading supplier names from standard input (end with Ctrl-D)\n");
    let input;
    try {
      input = stdinText(readFileSync(0));
    } catch (e) {
      if (!(e instanceof NotTextError)) throw e;
      process.stderr.write(`vcse-spend classify: ${e.message}\n`);
      return 1;
    }
    const {loadClassifier} = await import("../../classify/classify.ts");
    const {classifyCsv} = await import("../../classify/classify-csv.ts");
    process.stdout.write(classifyCsv(input, await loadClassifier({referenceDir: `${dataDir}/reference`, registersDir})));
    return 0;
  }
};
