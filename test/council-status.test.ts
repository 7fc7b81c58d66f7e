import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {councilStatus, type CouncilStatusDocument} from "../pipeline/compact/council-status.ts";
import {discoveredManifest} from "../pipeline/discover/discovered-manifest.ts";
import {parseCsv} from "../pipeline/read/parse-csv.ts";
import {AUDIT_LOG, appendAudit, auditEntry} from "../pipeline/update/audit-log.ts";
import {runCli} from "./run-cli.ts";
import {csv, payments, pounds} from "./spend-files.ts";
import {tempDirs} from "./temp-dirs.ts";

const temp = tempDirs();

/** The list of known pages, read here with the CSV reader alone: code -> whether a page or a dataset is known. */
function knownSources(): Map<string, boolean> {
  const [header, ...rows] = parseCsv(readFileSync("data/reference/transparency/council-spending-pages.csv", "utf8"), ",");
  const at = (name: string) => header!.cells.indexOf(name);
  return new Map(rows.map((r) => [r.cells[at("gss_code")]!, !!(r.cells[at("page_url")]?.trim() || r.cells[at("datagovuk_dataset")]?.trim())]));
}

describe("the status of every English council", () => {
  const IN_DATA = {code: "E07000223", name: "Adur District Council"};
  const DRAFT = {code: "E07000224", name: "Arun District Council"};
  const FAILED = "E07000170";
  const NO_FILES = "E07000105";
  const months = [payments(2024, 4), payments(2024, 5), payments(2024, 6)];
  let doc: CouncilStatusDocument;
  let dirs: {discovered: string; cache: string; store: string};

  beforeAll(async () => {
    const dir = temp("vcse-status-");
    dirs = {discovered: join(dir, "discovered"), cache: join(dir, "cache"), store: join(dir, "store")};
    const origin = {kind: "page" as const, url: "https://council.example/spending", pages: [], at: "2026-12-01T00:00:00Z"};
    const found = months.map((_, i) => ({url: `https://council.example/spend-2024-0${i + 4}.csv`, format: "csv" as const, period: `2024-0${i + 4}`, text: "CSV"}));
    const adur = discoveredManifest(IN_DATA, origin, found);
    mkdirSync(dirs.discovered, {recursive: true});
    writeFileSync(join(dirs.discovered, `${IN_DATA.code}.json`), JSON.stringify(adur));
    adur.files.forEach((f, i) => {
      mkdirSync(dirname(join(dirs.cache, f.path)), {recursive: true});
      writeFileSync(join(dirs.cache, f.path), csv(months[i]!, pounds));
    });
    writeFileSync(join(dirs.discovered, `${DRAFT.code}.json`), JSON.stringify(discoveredManifest(DRAFT, origin, found.slice(0, 2))));
    const ingested = await runCli(["ingest", "--council", IN_DATA.code, "--sources", dirs.discovered, "--cache", dirs.cache, "--out", dirs.store, "--json"]);
    expect(ingested.status, ingested.stderr).toBe(0);
    const base = {files: 0, discover: "found" as const};
    const councils = [
      {...base, council: FAILED, name: "Ashfield", status: "failed" as const, reason: "no file could be fetched: robots.txt disallows it"},
      {...base, council: NO_FILES, name: "Ashford", status: "skipped" as const, discover: "no_files", reason: "https://council.example/: 2 page(s) read, no spending file found"}
    ];
    appendAudit(dirs.store, auditEntry(new Date("2026-12-01T00:00:00Z"), new Date("2026-12-01T01:00:00Z"), councils, new Map()));
    // A line cut short by a crash after the run above: passed over.
    writeFileSync(join(dirs.store, AUDIT_LOG), readFileSync(join(dirs.store, AUDIT_LOG), "utf8") + '{"start":"2026-12-02');
    doc = await councilStatus(dirs.store, "data", dirs.discovered);
  }, 120_000);

  it("lists every English council once", () => {
    expect(doc.councils).toHaveLength(317);
    expect(new Set(doc.councils.map((c) => c.code)).size).toBe(317);
    expect(doc.councils.every((c) => /^E0[6-9]|^E10/.test(c.code))).toBe(true);
    expect(doc.last_update).toBe("2026-12-01T01:00:00.000Z");
  });

  it("says which years and months of a council are in the store, from its files", () => {
    const adur = doc.councils.find((c) => c.code === IN_DATA.code)!;
    expect(adur).toMatchObject({status: "in_data", years: ["2024-25"], first_month: "2024-04", last_month: "2024-06", files: 3, manifest: "draft", manifest_files: 3, why: null});
    expect(adur.kept).toBe(months.flat().length);
    expect(adur.page).toMatch(/^https:\/\/www\.adur-worthing\.gov\.uk\//);
  });

  it("says why a council has no data: a manifest not ingested, a failed update, no files, nothing known", () => {
    const by = new Map(doc.councils.map((c) => [c.code, c]));
    expect(by.get(DRAFT.code)).toMatchObject({status: "not_ingested", manifest: "draft", manifest_files: 2});
    expect(by.get("E07000120")).toMatchObject({status: "not_ingested", manifest: "reviewed", council_page: true});
    expect(by.get(DRAFT.code)!.council_page).toBe(false);
    expect(by.get(FAILED)!.status).toBe("failed");
    expect(by.get(FAILED)!.why).toContain("robots.txt disallows it");
    expect(by.get(NO_FILES)!.status).toBe("no_files");
    expect(by.get(NO_FILES)!.why).toContain("2 page(s) read");
    const known = knownSources();
    const manifests = new Set(doc.councils.filter((c) => c.manifest).map((c) => c.code));
    const nothing = doc.councils.filter((c) => !known.get(c.code) && !manifests.has(c.code));
    expect(nothing.length).toBeGreaterThan(0);
    expect(doc.councils.filter((c) => c.status === "no_source").map((c) => c.code).sort()).toEqual(nothing.map((c) => c.code).sort());
    expect(nothing.every((c) => c.page === null && c.dataset === null)).toBe(true);
    const untried = doc.councils.filter((c) => known.get(c.code) && !manifests.has(c.code) && ![FAILED, NO_FILES].includes(c.code));
    expect(untried.every((c) => c.status === "not_tried")).toBe(true);
    expect(doc.councils.filter((c) => c.status === "in_data")).toHaveLength(1);
  });
});
