import {execFile} from "node:child_process";
import {promisify} from "node:util";

const run = promisify(execFile);

/**
 * Runs the command line as a user would, without blocking this process (its test servers must answer); never
 * throws, so a failing status is asserted with its stderr.
 */
export async function runCli(args: string[]): Promise<{status: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run("node", ["bin/vcse-spend.js", ...args], {maxBuffer: 64 << 20});
    return {status: 0, stdout, stderr};
  } catch (e) {
    const err = e as {code: number; stdout: string; stderr: string};
    return {status: err.code, stdout: err.stdout, stderr: err.stderr};
  }
}
