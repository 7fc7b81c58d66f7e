/**
 * The command line's foundation, as a careful user meets it: help that touches nothing, strict options with
 * suggestions, council codes checked against the council list, binary input refused, documented exit statuses.
 */
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

const work = mkdtempSync(join(tmpdir(), "vcse-cli-foundation-"));
afterAll(() => rmSync(work, {recursive: true, force: true}));

function cli(args: string[], input?: string | Buffer) {
  const r = spawnSync("node", ["bin/vcse-spend.js", ...args], {input, maxBuffer: 64 << 20});
  return {status: r.status, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8")};
}

/** Every file under dir with its size and content hash: what "untouched" means. */
function snapshot(dir: string): string {
  if (!existsSync(dir)) return "absent";
  const hash = createHash("sha256");
  for (const name of (readdirSync(dir, {recursive: true}) as string[]).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) hash.update(name).update(readFileSync(path));
  }
  return hash.digest("hex");
}

const file = "data/sample/spending/hyndburn/1705.csv";
const commands = ["fetch", "ingest", "inspect", "classify", "briefing"];

describe("a store made by one ad hoc ingest", () => {
  const store = join(work, "store");
  beforeAll(() => {
    const r = cli(["ingest", "--council", "E07000120", "--files", file, "--out", store, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
  });

  it("is left byte for byte as it was by ingest --help, -h and help ingest, which print usage and exit 0", () => {
    const before = snapshot(store);
    expect(before).not.toBe("absent");
    for (const args of [["ingest", "--help"], ["ingest", "-h", "--out", store], ["help", "ingest"], ["ingest", "--council", "E07000120", "--files", file, "--out", store, "--help"]]) {
      const r = cli(args);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^usage: vcse-spend ingest/);
      expect(r.stdout).toContain("--out DIR");
      expect(r.stdout).toContain("example:");
    }
    expect(snapshot(store)).toBe(before);
  });

  it("is left untouched by an unknown option, which exits 2 with a suggestion before any file is read", () => {
    const before = snapshot(store);
    const r = cli(["ingest", "--counci", "E07000120", "--files", file, "--out", store]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--counci: did you mean --council?");
    expect(r.stderr).toContain("usage: vcse-spend ingest");
    expect(snapshot(store)).toBe(before);
  });
});

describe("validated values", () => {
  it("a mistyped council code exits 2 naming the nearest councils, and stores nothing", () => {
    const out = join(work, "typo");
    const r = cli(["ingest", "--council", "E0700120", "--files", file, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E0700120: no such council; nearest: .*E07000120 Hyndburn/);
    expect(existsSync(join(out, "state.json"))).toBe(false);
  });

  it("a file that does not exist is refused at the start, named as the user wrote it", () => {
    const r = cli(["ingest", "--council", "E07000120", "--files", "../nowhere/spend.csv", "--out", join(work, "missing")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("../nowhere/spend.csv");
  });

  it("an output folder that is a file is refused", () => {
    const r = cli(["ingest", "--council", "E07000120", "--files", file, "--out", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(file);
  });
});

describe("help everywhere, and the version", () => {
  it("vcse-spend --help lists every command; each command's help has its usage, options and an example", () => {
    const top = cli(["--help"]);
    expect(top.status).toBe(0);
    for (const c of commands) {
      expect(top.stdout).toContain(`  ${c}`);
      const h = cli([c, "--help"]);
      expect(h.status, c).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: vcse-spend ${c}`));
      expect(h.stdout).toContain("exit status:");
      expect(h.stdout).toContain("example:");
      expect(cli(["help", c]).stdout).toBe(h.stdout);
    }
  });

  it("--version prints package.json's version", () => {
    const r = cli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it("no command exits 2 with the overview on stderr; an unknown command suggests the nearest", () => {
    expect(cli([]).status).toBe(2);
    const r = cli(["ingets"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("did you mean ingest?");
  });
});

describe("standard input and output", () => {
  it("classify refuses binary input with a message, and writes nothing on stdout", () => {
    const r = cli(["classify"], Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not text/);
    expect(r.stdout).toBe("");
  });

  it("ingest --json writes only the JSON object on stdout; progress and notes go to stderr", () => {
    const copy = join(work, "copy.csv");
    cpSync(file, copy);
    const r = cli(["ingest", "--council", "E07000120", "--files", copy, "--out", join(work, "json"), "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.total.rows_in).toBe(report.total.kept + report.total.rejected);
  });
});
