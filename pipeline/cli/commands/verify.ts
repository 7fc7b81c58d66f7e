import type {Command} from "../args.ts";
import {inputFolder} from "../validate.ts";
import {JSON_OUT, text} from "./options.ts";

export const verifyCommand: Command = {
  name: "verify",
  summary: "check every published Parquet file of the store against the size and sha256 it was written with, and the ledger",
  details:
    "Reads --out's state.json: each Parquet file it lists must have the size and sha256 recorded when it was written, each\n" +
    "source's ledger must add up (rows in = kept + rejected, and the pounds), and the rows its files hold must be the rows\n" +
    "its ledger kept and rejected. A damaged file is named with the source it came from: ingest or update writes it again.",
  options: [{name: "out", type: "string", value: "DIR", default: "store", description: "the store folder"}, JSON_OUT],
  example: "vcse-spend verify --out store",
  exits: {1: "a file is missing, truncated or altered, or a ledger does not add up (each named on stderr)"},
  async run({values}) {
    const dir = inputFolder(text(values.out)!, "--out");
    const {describeFaults, verifyStore} = await import("../../store/verify.ts");
    const report = await verifyStore(dir);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const faults = describeFaults(report);
    for (const line of faults) process.stderr.write(`${line}\n`);
    const unrecorded = report.unrecorded ? ` (${report.unrecorded} written before hashes were kept: rows counted only)` : "";
    process.stderr.write(`${report.sources} sources, ${report.files} files${unrecorded}: ${faults.length ? `${faults.length} fault(s)` : "all as written"}\n`);
    return faults.length ? 1 : 0;
  }
};
