import type {OptionDef} from "../args.ts";

export const DATA: OptionDef = {name: "data", type: "string", value: "DIR", default: "data", description: "the data folder (sources, reference lists)"};
export const SOURCES: OptionDef = {name: "sources", type: "string", value: "DIR", description: "read manifests from this folder instead of DATA/sources (e.g. the drafts discover writes)"};
export const JSON_OUT: OptionDef = {name: "json", type: "boolean", description: "print the machine-readable report on stdout"};
export const QUIET: OptionDef = {name: "quiet", short: "q", type: "boolean", description: "no progress on stderr (notes and errors still)"};
export const COUNCILS: OptionDef = {
  name: "council", type: "string", value: "CODE", repeatable: true,
  description: "only this council: a GSS code (E07000120) or a council's exact name"
};

export const MAP: OptionDef = {
  name: "map", type: "string", value: "FIELD=HEADER", repeatable: true,
  description: "read FIELD (amount, supplier_name, …) from the column named HEADER; the other columns are inferred around it"
};

export const REGISTERS: OptionDef = {
  name: "registers", type: "string", value: "DIR",
  description: "the folder fetch --registers fills (default cache/raw/registers); without an extract in it, the embedded register names"
};

/** A string option's value; parse() has checked its type. */
export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const WAIT: OptionDef = {name: "wait", type: "boolean", description: "if another fetch, ingest or update is writing the same folder (or, for update --site, another build the same site), wait for it to end (default: exit, naming it)"};

/** Takes the run lock of each folder the command writes, for the rest of the process; with --wait, waits its turn. */
export async function holdRunLocks(dirs: string[], command: string, values: Record<string, unknown>): Promise<void> {
  const {describe, takeRunLocks} = await import("../../run-lock.ts");
  await takeRunLocks(dirs, command, {wait: values.wait === true, onWait: (h) => process.stderr.write(`waiting for ${describe(h)} to end\n`)});
}
