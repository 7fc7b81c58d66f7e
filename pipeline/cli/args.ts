import {parseArgs, type ParseArgsConfig} from "node:util";
import {nearest} from "./nearest.ts";

export interface OptionDef {
  name: string;
  type: "string" | "boolean";
  description: string;
  /** What the value is, in usage lines: CODE, DIR, FILE. */
  value?: string;
  short?: string;
  default?: string;
  repeatable?: boolean;
  required?: boolean;
}

export interface CommandDef {
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** More about what it does, for its help. */
  details?: string;
  options: OptionDef[];
  /** The arguments that are not options (FILE...), with how many are allowed. */
  positionals?: {name: string; description: string; min: number; max: number};
  example: string;
  /** Exit statuses beyond the shared ones, or a command's own wording of them. */
  exits?: Record<number, string>;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

export interface Command extends CommandDef {
  run(args: Parsed): Promise<number>;
}

/** A mistake in how the command was called: exit 2 with the command's usage, before any work. */
export class UsageError extends Error {}

export const EXITS: Record<number, string> = {
  0: "done",
  1: "some input could not be read or fetched (each named on stderr)",
  2: "usage: an unknown option, a missing or malformed value, a path or council that does not exist"
};

export const HELP: OptionDef = {name: "help", short: "h", type: "boolean", description: "print this help and exit"};

/** Parses argv against a command's definition (node's util.parseArgs, strict), with a suggestion for a near miss. */
export function parse(def: CommandDef, argv: string[]): Parsed {
  const options: ParseArgsConfig["options"] = {};
  for (const o of [...def.options, HELP]) {
    options[o.name] = {type: o.type, multiple: o.repeatable === true, ...(o.short ? {short: o.short} : {}), ...(o.default !== undefined ? {default: o.default} : {})};
  }
  let parsed;
  try {
    parsed = parseArgs({args: argv, options, strict: true, allowPositionals: true});
  } catch (e) {
    const code = (e as {code?: string}).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw unknownOption(def, argv);
    const first = (e as Error).message.split("\n")[0]!;
    const m = /^Option '(-[^' ]+)(?: <value>)?' (argument missing|argument is ambiguous|does not take an argument)/.exec(first);
    throw new UsageError(!m ? first : m[2] === "does not take an argument" ? `${m[1]} takes no value` : `${m[1]} needs a value`);
  }
  const {values, positionals} = parsed;
  for (const o of def.options) {
    if (o.required && values[o.name] === undefined) throw new UsageError(`missing --${o.name} ${o.value ?? ""}`.trim());
    const given = values[o.name];
    if (!o.repeatable && o.type === "string" && typeof given === "string" && given.trim() === "") throw new UsageError(`--${o.name} needs a value`);
  }
  const p = def.positionals ?? {name: "", description: "", min: 0, max: 0};
  if (positionals.length > p.max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[p.max])}`);
  if (positionals.length < p.min) throw new UsageError(`missing ${p.name}`);
  return {values: values as Values, positionals};
}

/** The first option in argv the definition does not know, with the one probably meant. */
function unknownOption(def: CommandDef, argv: string[]): UsageError {
  const {tokens} = parseArgs({args: argv, strict: false, allowPositionals: true, tokens: true});
  const known = new Set([...def.options, HELP].flatMap((o) => [o.name, o.short]));
  const token = tokens.find((t) => t.kind === "option" && !known.has(t.name));
  const given = token?.kind === "option" ? token.rawName : "?";
  const names = [...def.options, HELP].map((o) => `--${o.name}`);
  const [meant] = nearest(given.replace(/=.*/, ""), names);
  return new UsageError(meant ? `${given}: did you mean ${meant}?` : `unknown option ${given}`);
}

/** Whether argv asks for help (before a `--`), however the rest of it is written. */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export function usageLine(def: CommandDef): string {
  const parts = def.options.filter((o) => o.required).map((o) => `--${o.name} ${o.value ?? ""}`.trim());
  if (def.options.some((o) => !o.required)) parts.push("[options]");
  const p = def.positionals;
  if (p) parts.push(p.min === 0 ? `[${p.name}...]` : p.max > 1 ? `${p.name}...` : p.name);
  return `usage: vcse-spend ${def.name} ${parts.join(" ")}`.trimEnd();
}

/** The full help of a command: usage, what it does, options with defaults, exit statuses, an example. */
export function help(def: CommandDef): string {
  const rows = [...def.options, HELP].map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`;
    const notes = [o.repeatable ? "repeatable" : "", o.required ? "required" : "", o.default !== undefined ? `default: ${o.default}` : ""].filter(Boolean);
    return [flag, `${o.description}${notes.length ? ` (${notes.join("; ")})` : ""}`];
  });
  if (def.positionals) rows.unshift([`    ${def.positionals.name}`, def.positionals.description]);
  const width = Math.max(...rows.map(([flag]) => flag!.length)) + 2;
  const exits = {...EXITS, ...def.exits};
  return [
    usageLine(def),
    "",
    def.summary,
    ...(def.details ? [def.details] : []),
    "",
    "options:",
    ...rows.map(([flag, text]) => `  ${flag!.padEnd(width)}${text}`),
    "",
    "exit status:",
    ...Object.entries(exits).map(([code, text]) => `  ${code}  ${text}`),
    "",
    "example:",
    `  ${def.example}`,
    ""
  ].join("\n");
}
