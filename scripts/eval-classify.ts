/**
 * Measures the supplier classifier against labels that councils wrote, not this project:
 *   (a) Wakefield's "Charity Registration" column: suppliers whose rows carry a registered charity number;
 *   (b) Trafford's 360Giving register of grants to the voluntary sector, and Trafford's spend with
 *       suppliers whose names match a recipient in it;
 *   (c) any other label column in the sample data (supplier-type flags; North Tyneside's SeRCOP
 *       "Voluntary Associations" expenditure code).
 * The label column is hidden from the classifier: it sees the supplier name only, with council flags and
 * identifiers switched off, and without the grant register when the register is what is being tested.
 *
 * Against overfitting, each labelled set with dates is split by time. Rules are developed against the
 * development split only (Wakefield's 2017-Q1..Q4 files, Trafford's grants awarded before 2020); the
 * held-out split (Wakefield's 2018-Q1..Q4 files, Trafford's grants from 2020) is reported but its
 * individual suppliers are never listed, so that nobody tunes a rule to them.
 *
 * npm run eval:classify [-- --json] [-- --explain] [-- --store DIR]
 *   --json     one JSON object (sets, targets, summary)
 *   --store    the ingested store whose council coding labels public bodies (default store; skipped if absent)
 *   --explain  the 25 largest false negatives and false positives by pounds of each development set (only those
 *              sets name suppliers: the others hold held-out suppliers too), with
 *              the sector, kind, basis, rule and confidence the classifier gave
 */
import {join} from "node:path";
import {loadClassifier} from "../pipeline/classify/classify.ts";
import {loadRegistry} from "../pipeline/classify/registry.ts";
import {DATA} from "./eval-classify/data-paths.ts";
import {otherFlags} from "./eval-classify/flag-columns.ts";
import {northTyneside} from "./eval-classify/north-tyneside.ts";
import {publicByCoding} from "./eval-classify/public-coding.ts";
import {printPublic, printSet, printSummary} from "./eval-classify/print.ts";
import {summarise} from "./eval-classify/summary.ts";
import {readGrants, trafford360, traffordSpend} from "./eval-classify/trafford.ts";
import {wakefield} from "./eval-classify/wakefield.ts";

async function main(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const explain = args.includes("--explain");
  const top = explain ? 25 : 10;
  const started = performance.now();
  // The label sources are hidden: no council flags, no identifiers; the Trafford grants register is
  // kept for Wakefield (it knows nothing of Wakefield's labels) and left out when Trafford is tested.
  const withGrants = await loadClassifier({useCouncilFlags: false, useIdentifiers: false});
  const loadSeconds = (performance.now() - started) / 1000;
  const [withoutGrants, registry] = await Promise.all([
    loadClassifier({useCouncilFlags: false, useIdentifiers: false, grantRegisters: []}),
    loadRegistry({referenceDir: join(DATA, "reference")})
  ]);
  const grants = await readGrants();
  const sets = [
    ...(await wakefield(withGrants, registry, top)),
    trafford360(withoutGrants, grants, top, "all"),
    trafford360(withoutGrants, grants, top, "dev"),
    trafford360(withoutGrants, grants, top, "heldout"),
    trafford360(withoutGrants, grants, top, "all", /^GB-CHC-/)
  ];
  const spend = await traffordSpend(withoutGrants, grants, top);
  sets.push(spend.report, await northTyneside(withGrants, top));
  const flags = await otherFlags();
  const publicBodies = await publicByCoding(withGrants, storeArg(args));
  const summary = summarise(sets);
  const targets = summary
    .filter((r) => r.target)
    .map((r) => ({set: r.set, split: r.split, precision_met: r.precision_met, recall_met: r.recall_met}));
  const wakefieldAll = sets.find((s) => s.name === "wakefield");
  if (json) {
    process.stdout.write(`${JSON.stringify({load_seconds: loadSeconds, sets, trafford_context: spend.context, other_flag_columns: flags.columns, public_by_coding: publicBodies, targets, summary}, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`classifier loaded (every reference table) in ${loadSeconds.toFixed(2)} s\n`);
  for (const s of sets) printSet(s, explain);
  process.stdout.write("\n== label columns in the sample data (Trafford has none)\n");
  if (flags.columns.length === 0) process.stdout.write("  none\n");
  for (const c of flags.columns) {
    process.stdout.write(`  ${c.file} "${c.column}": ${c.informative} informative values; e.g. ${JSON.stringify(c.values)}\n`);
  }
  printPublic(publicBodies);
  printSummary(summary, wakefieldAll);
  return 0;
}

function storeArg(args: string[]): string {
  const at = args.indexOf("--store");
  return at >= 0 && args[at + 1] ? args[at + 1]! : "store";
}

process.exitCode = await main(process.argv.slice(2));
