/**
 * What inspect shows is what ingest does: an embedded file is shown with its manifest's layout, and --map
 * overrides inference in ingest as in inspect. The --json report names the repairs made, per file and in total.
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {normaliseHeader} from "../../pipeline/conform/header-names.ts";

const work = mkdtempSync(join(tmpdir(), "vcse-cli-inspect-"));
afterAll(() => rmSync(work, {recursive: true, force: true}));

function cli(args: string[]) {
  const r = spawnSync("node", ["bin/vcse-spend.js", ...args], {encoding: "utf8", maxBuffer: 256 << 20});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

interface ManifestJson {
  layouts: {id?: string; from: string; columns: Record<string, string[]>}[];
  files: {period: string; path: string; layout?: string}[];
}

/** The layout a manifest file names, else the latest in force at its period: read here from the JSON, apart from the pipeline. */
function declared(m: ManifestJson, f: ManifestJson["files"][number]): Record<string, string[]> {
  if (f.layout) return m.layouts.find((l) => l.id === f.layout)!.columns;
  const open = m.layouts.filter((l) => !l.id).sort((a, b) => a.from.localeCompare(b.from));
  return (open.filter((l) => l.from <= f.period.slice(0, 7)).at(-1) ?? open[0]!).columns;
}

describe("vcse-spend inspect on every embedded file", () => {
  const embedded = readdirSync("data/sources").filter((n) => n.endsWith(".json")).flatMap((name) => {
    const m = JSON.parse(readFileSync(join("data/sources", name), "utf8")) as ManifestJson;
    return m.files.map((f) => ({manifest: name, path: join("data", f.path), columns: declared(m, f)}));
  });
  const run = cli(["inspect", "--json", ...embedded.map((e) => e.path)]);
  const report = JSON.parse(run.stdout) as {files: {file: string; manifest?: string; error?: string; tables: {header: string[]; error?: string; layout: Record<string, {column: string}>}[]}[]; manifest: unknown};

  it("shows each file with the layout its manifest reads it with", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(report.files).toHaveLength(embedded.length);
    let fields = 0;
    for (const [i, e] of embedded.entries()) {
      const f = report.files[i]!;
      expect(f.file).toBe(e.path);
      expect(f.manifest, e.path).toContain(e.manifest);
      for (const t of f.tables.filter((t) => !t.error)) {
        const header = new Set(t.header.map(normaliseHeader));
        for (const [field, names] of Object.entries(e.columns)) {
          const shown = t.layout[field]?.column;
          const present = names.some((n) => header.has(normaliseHeader(n)));
          expect(shown !== undefined, `${e.path} ${field}`).toBe(present);
          if (shown !== undefined) expect(names.map(normaliseHeader), `${e.path} ${field}`).toContain(normaliseHeader(shown));
          fields += present ? 1 : 0;
        }
        for (const field of Object.keys(t.layout)) expect(Object.keys(e.columns), `${e.path} ${field}`).toContain(field);
      }
    }
    expect(fields).toBeGreaterThan(embedded.length * 3);
    // Every file is a manifest's already: there is nothing to draft.
    expect(report.manifest).toBeNull();
  });

  it("says so in its plain output", () => {
    const one = embedded.find((e) => e.manifest === "gateshead.json")!;
    const plain = cli(["inspect", one.path]);
    expect(plain.stdout).toContain(`listed in ${join("data/sources", one.manifest)}`);
    expect(plain.stdout).toMatch(/expense_type +<- "Cipfsubs\(T\)"/);
  });
});

describe("ingest --map and the repairs in --json", () => {
  const rows = [["A Ltd", "120.00", "100.00"], ["B Trust", "60.0000000000001", "50.00"], ["C CIC", "1200.00", "999.9999999999"]];
  const path = join(work, "spend-2021-04.csv");
  writeFileSync(path, ["Payment Date,Supplier Name,Gross Amount,Net Amount", ...rows.map((r, i) => `0${i + 1}/04/2021,${r.join(",")}`)].join("\n") + "\n");
  const ingest = (extra: string[]) => {
    const r = cli(["ingest", "--council", "E07000120", "--files", path, "--out", mkdtempSync(join(work, "store-")), "--json", ...extra]);
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };

  const net = ingest([]);
  const gross = ingest(["--map", "amount=Gross Amount"]);

  it("infers net by default and reads the column --map names instead", () => {
    expect(net.total.amount_kept).toBe("1150.00");
    expect(gross.total.amount_kept).toBe("1380.00");
    expect(gross.files[0].layout).toMatchObject({"Gross Amount": "amount", "Supplier Name": "supplier_name"});
    expect(gross.files[0].layout_inference.amount.reason).toBe("named by --map");
  });

  it("counts the repairs per file and in total", () => {
    expect(net.files[0].repairs).toEqual({float_rounded: 1});
    expect(net.councils[0].repairs).toEqual({float_rounded: 1});
    expect(net.total.repairs).toEqual({float_rounded: 1});
    expect(gross.total.repairs).toEqual({float_rounded: 1});
  });
});
