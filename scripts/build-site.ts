// Builds the site into a new folder and switches dist to it atomically (pipeline/site/build-site.ts):
//   tsx scripts/build-site.ts [--out dist] [--store store] [-- build command...]
// The build command (default: observable build) writes into $VCSE_BUILD_OUT.
import {buildSite} from "../pipeline/site/build-site.ts";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const own = dash < 0 ? args : args.slice(0, dash);
const command = dash < 0 ? ["npx", "observable", "build"] : args.slice(dash + 1);
const value = (name: string) => {
  const i = own.indexOf(name);
  return i < 0 ? undefined : own[i + 1];
};
try {
  await buildSite({out: value("--out"), store: value("--store"), command, log: (line) => process.stderr.write(`${line}\n`)});
} catch (e) {
  process.stderr.write(`build-site: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
