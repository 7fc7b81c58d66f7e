/**
 * The monthly update workflow (.github/workflows/update.yml) cannot run here: its YAML is parsed, its schedule and
 * Pages permissions checked, and every command it runs is checked against the project: each vcse-spend command line
 * parses with the command's own options, each npm script and file it names exists.
 */
import {existsSync, readFileSync} from "node:fs";
import yaml from "js-yaml";
import {describe, expect, it} from "vitest";
import {parse} from "../pipeline/cli/args.ts";
import {COMMANDS} from "../pipeline/cli/cli.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: {schedule?: {cron: string}[]; workflow_dispatch?: unknown};
  permissions: Record<string, string>;
  concurrency: {group: string; "cancel-in-progress": boolean};
  jobs: Record<string, {"runs-on": string; needs?: string; steps: Step[]; environment?: {name: string}}>;
}

const workflow = yaml.load(readFileSync(".github/workflows/update.yml", "utf8")) as Workflow;
const steps = workflow.jobs.update!.steps;

/** A shell line as words: quotes removed, ${{ … }} expressions kept as one word, a redirection and what follows dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\$\{\{[^}]*\}\})|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (/^[<>]|^\d>/.test(word)) break;
    out.push(word);
  }
  return out;
}

const commandLines = steps.flatMap((s) => (s.run ?? "").split("\n").map((l) => l.trim()).filter(Boolean));

describe("the monthly update workflow", () => {
  it("runs monthly and by hand, one run at a time, with the permissions Pages needs", () => {
    const crons = workflow.on.schedule!.map((s) => s.cron.split(/\s+/));
    expect(crons).toHaveLength(1);
    const [minute, hour, day, month, weekday] = crons[0]!;
    expect([minute, hour, day].every((f) => /^\d+$/.test(f!))).toBe(true);
    expect(Number(day)).toBeLessThanOrEqual(28);
    expect([month, weekday]).toEqual(["*", "*"]);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    expect(workflow.permissions).toMatchObject({pages: "write", "id-token": "write"});
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    expect(workflow.jobs.deploy).toMatchObject({needs: "update", environment: {name: "github-pages"}});
    expect(workflow.jobs.deploy!.steps.map((s) => s.uses?.split("@")[0])).toContain("actions/deploy-pages");
  });

  it("runs update with options it has, keeps the cache and store between runs, then builds and publishes dist/", () => {
    const cli = commandLines.map(words).filter((w) => w[0] === "node" && w[1] === "bin/vcse-spend.js");
    expect(cli.map((w) => w[2])).toEqual(["update"]);
    for (const w of cli) {
      const command = COMMANDS.find((c) => c.name === w[2])!;
      expect(command, w.join(" ")).toBeDefined();
      const {values} = parse(command, w.slice(3));
      expect(values).toMatchObject({sources: "data/discovered", cache: "cache/raw", out: "store"});
    }
    const update = cli[0]!;
    const cached = steps.filter((s) => s.uses?.startsWith("actions/cache/")).map((s) => ({action: s.uses!.split("@")[0], paths: s.with!.path!.split("\n").map((p) => p.trim()).filter(Boolean), if: s.if}));
    expect(cached.map((c) => c.action)).toEqual(["actions/cache/restore", "actions/cache/save"]);
    // What update reads and writes between runs: the manifests it discovered, the raw cache, the store.
    for (const c of cached) for (const option of ["sources", "cache", "out"]) expect(c.paths).toContain(update[update.indexOf(`--${option}`) + 1]);
    expect(cached[1]!.if).toBe("always()");
    const order = (match: (s: Step) => boolean) => steps.findIndex(match);
    const restore = order((s) => s.uses?.startsWith("actions/cache/restore") ?? false);
    const run = order((s) => s.run?.includes("vcse-spend.js update") ?? false);
    const build = order((s) => s.run?.includes("scripts/build-site.ts") ?? false);
    const upload = order((s) => s.uses?.startsWith("actions/upload-pages-artifact") ?? false);
    expect(restore).toBeGreaterThanOrEqual(0);
    expect([restore < run, run < build, build < upload]).toEqual([true, true, true]);
    expect(steps[upload]!.with!.path!.replace(/\/$/, "")).toBe("dist");
    // The build verifies the same store update wrote, and publishes where the artifact is taken from.
    const site = words(commandLines.find((l) => l.includes("scripts/build-site.ts"))!);
    expect(site[site.indexOf("--store") + 1]).toBe(update[update.indexOf("--out") + 1]);
    expect(site[site.indexOf("--out") + 1]).toBe("dist");
    // Not npm run build: it ingests data/sources alone, which would drop the discovered councils from the store.
    expect(commandLines).not.toContain("npm run build");
  });

  it("names only npm scripts and files the project has", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as {scripts: Record<string, string>}).scripts;
    for (const w of commandLines.map(words)) {
      if (w[0] === "npm" && w[1] === "run") expect(scripts, w.join(" ")).toHaveProperty(w[2]!);
      if (w[0] === "npx" && w[1] === "tsx") expect(existsSync(w[2]!), w[2]).toBe(true);
      if (w[0] === "node") expect(existsSync(w[1]!), w[1]).toBe(true);
    }
    expect(commandLines.some((l) => l === "npm ci")).toBe(true);
  });
});
