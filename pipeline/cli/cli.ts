import {readFileSync} from "node:fs";
import {EXITS, help, parse, UsageError, usageLine, wantsHelp, type Command} from "./args.ts";
import {nearest} from "./nearest.ts";
import {briefingCommand} from "./commands/briefing.ts";
import {classifyCommand} from "./commands/classify.ts";
import {discoverCommand} from "./commands/discover.ts";
import {fetchCommand} from "./commands/fetch.ts";
import {ingestCommand} from "./commands/ingest.ts";
import {inspectCommand} from "./commands/inspect.ts";
import {updateCommand} from "./commands/update.ts";
import {verifyCommand} from "./commands/verify.ts";

export const COMMANDS: Command[] = [discoverCommand, fetchCommand, ingestCommand, inspectCommand, classifyCommand, briefingCommand, updateCommand, verifyCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "usage: vcse-spend <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "  vcse-spend help <command>, vcse-spend <command> --help: a command's options, defaults and an example",
    "  vcse-spend --version: the version",
    "",
    "exit status:",
    ...Object.entries(EXITS).map(([code, text]) => `  ${code}  ${text}`),
    ""
  ].join("\n");
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {version: string};
  return pkg.version;
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const [meant] = nearest(name, COMMANDS.map((c) => c.name));
  throw new UsageError(`unknown command ${JSON.stringify(name)}${meant ? `: did you mean ${meant}?` : ""}`);
}

/** Runs one command; returns the exit status. Errors are reported as one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name = "", ...rest] = argv;
  let command: Command | undefined;
  try {
    if (name === "--version" || name === "-V") {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    if (name === "--help" || name === "-h" || (name === "help" && rest.length === 0)) {
      process.stdout.write(overview());
      return 0;
    }
    if (name === "") {
      process.stderr.write(overview());
      return 2;
    }
    if (name === "help") {
      process.stdout.write(help(find(rest[0]!)));
      return 0;
    }
    command = find(name);
    if (wantsHelp(rest)) {
      process.stdout.write(help(command));
      return 0;
    }
    return await command.run(parse(command, rest));
  } catch (e) {
    process.stderr.write(`vcse-spend: ${(e as Error).message}\n`);
    if (!(e instanceof UsageError)) return 1;
    process.stderr.write(command ? `${usageLine(command)}\n(vcse-spend help ${command.name} for more)\n` : overview());
    return 2;
  }
}
