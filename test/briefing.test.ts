/**
 * vcse-spend briefing: a council's page printed to an A4 PDF from the built site. The PDF's text (pdftotext,
 * from Debian's poppler-utils) must hold the council's name and the headline figure worked out straight from
 * the store; it must fit two pages. Without pdftotext the test fails and says what to install.
 */
import {execFileSync, spawnSync} from "node:child_process";
import {existsSync, readFileSync, readdirSync} from "node:fs";
import {mkdir, mkdtemp, rm, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {briefing, openPrinter, type Printer} from "../pipeline/cli/briefing.ts";
import {formatPence, oracleHeadline} from "./council-oracle.ts";
import {BUILD_TIMEOUT_MS, DIST, OUTPUT, ROOT, ensureBuilt} from "./browser/council-build.ts";

function pdftotext(path: string): string {
  const found = spawnSync("pdftotext", ["-v"], {encoding: "utf8"});
  if (found.error) throw new Error("pdftotext not found: install Debian's poppler-utils (apt-get install -y poppler-utils)");
  return execFileSync("pdftotext", [path, "-"], {encoding: "utf8"});
}

function pdfPages(path: string): number {
  const info = execFileSync("pdfinfo", [path], {encoding: "utf8"});
  const pages = /^Pages:\s+(\d+)/m.exec(info);
  if (!pages) throw new Error(`pdfinfo gave no page count:\n${info}`);
  return Number(pages[1]);
}

describe("briefing PDF", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, BUILD_TIMEOUT_MS + 60_000);

  const withFullYear = ["E08000036", "E08000009"];
  for (const code of withFullYear) {
    it(`${code}: holds the council's name and its headline figure, on at most two A4 pages`, async () => {
      await mkdir(OUTPUT, {recursive: true});
      const out = join(OUTPUT, `briefing-${code}.pdf`);
      await briefing(code, out, {dist: DIST, dataDir: join(ROOT, "data")});
      expect((await stat(out)).size).toBeGreaterThan(10_000);
      const expected = await oracleHeadline(code, join(ROOT, "store"), join(ROOT, "data"));
      expect(expected.year).not.toBeNull();
      const text = pdftotext(out).replace(/\s+/g, " ");
      expect(text).toContain(expected.name);
      expect(text).toContain(formatPence(expected.vcse_pence!));
      expect(text).toContain(`VCSE spending, ${expected.year}`);
      expect(text).toMatch(/Open Government Licence/);
      expect(text).toMatch(/Briefing printed \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(pdfPages(out)).toBeLessThanOrEqual(2);
      expect(execFileSync("pdfinfo", [out], {encoding: "utf8"})).toMatch(/Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/);
    });
  }

  // Every council in data/sources, whatever its notes, files and old-data warning: at most two A4 pages. These share
  // one Chromium (the two above each start their own, as the command does).
  let printer: Printer | undefined;
  afterAll(() => printer?.close());
  const councils = readdirSync(join(ROOT, "data/sources")).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(ROOT, "data/sources", f), "utf8")).council.code as string);
  for (const code of councils.filter((c) => !withFullYear.includes(c))) {
    it(`${code}: prints on at most two A4 pages`, async () => {
      await mkdir(OUTPUT, {recursive: true});
      const out = join(OUTPUT, `briefing-${code}.pdf`);
      printer ??= await openPrinter();
      await briefing(code, out, {dist: DIST, dataDir: join(ROOT, "data"), printer});
      expect(pdfPages(out)).toBeLessThanOrEqual(2);
    });
  }

  it("says to build first when there is no built site", async () => {
    const empty = await mkdtemp(join(tmpdir(), "vcse-no-dist-"));
    try {
      await expect(briefing("E08000009", join(empty, "out.pdf"), {dist: empty, dataDir: join(ROOT, "data")})).rejects.toThrow(/run npm run build first/);
      expect(existsSync(join(empty, "out.pdf"))).toBe(false);
    } finally {
      await rm(empty, {recursive: true, force: true});
    }
  });

  it("rejects a council code that is not in data/sources", async () => {
    await expect(briefing("E08999999", join(tmpdir(), "never.pdf"), {dist: DIST, dataDir: join(ROOT, "data")})).rejects.toThrow(/unknown council code "E08999999"/);
    await expect(briefing("../../etc", join(tmpdir(), "never.pdf"), {dist: DIST, dataDir: join(ROOT, "data")})).rejects.toThrow(/unknown council code/);
  });
});
