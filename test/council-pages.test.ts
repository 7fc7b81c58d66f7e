// The council pages' data prepared in one pass (pipeline/compact/council-pages.ts) and the archive Framework serves it from.
import {existsSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import JSZip from "jszip";
import {beforeAll, describe, expect, it} from "vitest";
import {councilsData, type CouncilsData} from "../pipeline/compact/council.ts";
import {councilDetail, councilPagesArchive, councilPagesDir, councilRecipients, councilsSummary} from "../pipeline/compact/council-pages.ts";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {readManifests} from "../pipeline/sources/manifest.ts";
import {tempDirs} from "./temp-dirs.ts";

const CODE = "E08000037";
const temp = tempDirs();

interface Loader {
  path: string;
  load(options: {useStale: boolean}, effects: unknown): Promise<string>;
}
// Framework's own resolver, as `observable build` uses it (the package ships no types for it).
const framework = "@observablehq/framework/dist/loader.js";
const {LoaderResolver} = (await import(framework)) as {LoaderResolver: new (o: {root: string; interpreters?: object}) => {find(path: string): Loader | undefined}};

describe("council pages prepared in one pass over a store (Gateshead, April 2019)", () => {
  let store: string;
  let expected: CouncilsData;
  const codes = readManifests("data").map((m) => m.council.code).sort();

  beforeAll(async () => {
    store = temp("vcse-council-pages-");
    await ingest({outDir: store, councils: [CODE]});
    // The independent computation: councilsData itself, straight from the store.
    expected = await councilsData(store);
  }, 300_000);

  it("writes two files per manifest (the page's data, every recipient) and the Councils list, each the JSON of councilsData's entry", async () => {
    const dir = await councilPagesDir(store);
    expect(readdirSync(dir).sort()).toEqual([...codes.flatMap((c) => [`${c}.json`, `${c}-recipients.json`]), "summary.json"].sort());
    for (const code of codes) {
      expect(readFileSync(join(dir, `${code}.json`), "utf8")).toBe(JSON.stringify(expected.details[code]));
      expect(await councilRecipients(code, store)).toEqual(expected.recipients[code]);
    }
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(JSON.stringify(expected.summary));
    expect(await councilDetail(CODE, store)).toEqual(expected.details[CODE]);
    expect((await councilsSummary(store)).councils.map((c) => c.code).sort()).toEqual(codes);
    await expect(councilDetail("E08999999", store)).rejects.toThrow(/unknown council code "E08999999"/);
  });

  it("packs the folder into one archive whose entries are the folder's files, byte for byte", async () => {
    const dir = await councilPagesDir(store);
    const archive = await councilPagesArchive(store);
    const zip = await JSZip.loadAsync(archive);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(readdirSync(dir).sort());
    for (const name of names) {
      const bytes = await zip.file(name)!.async("nodebuffer");
      expect(bytes.equals(readFileSync(join(dir, name)))).toBe(true);
    }
    // The same data makes the same bytes.
    expect(Buffer.from(await councilPagesArchive(store)).equals(Buffer.from(archive))).toBe(true);
  });

  it("is made again when the store's state changes, and the folder of the earlier state is removed", async () => {
    const before = await councilPagesDir(store);
    const state = join(store, "state.json");
    writeFileSync(state, `${readFileSync(state, "utf8")}\n`);
    const after = await councilPagesDir(store);
    expect(after).not.toBe(before);
    expect(existsSync(before)).toBe(false);
    expect(readFileSync(join(after, `${CODE}.json`), "utf8")).toBe(JSON.stringify(expected.details[CODE]));
  }, 300_000);

  it("is what Framework serves for every council page and the Councils list, unpacked from the one archive", async () => {
    const loaders = new LoaderResolver({root: resolve("src")});
    for (const code of [...codes, "summary"]) expect(loaders.find(`/data/council/${code}.json`)?.path).toBe("data/council.zip.ts");
    // No parameterised loader is left to run a process per council.
    expect(existsSync(resolve("src/data/council"))).toBe(false);
  });
});
