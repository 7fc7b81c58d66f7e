import {appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {DEFAULT_REGISTERS_DIR} from "../pipeline/classify/current-register.ts";
import {embeddedStoreKey} from "./embedded-store.ts";

/**
 * The embedded store the tests share is reused only under the same key: the key must change with anything that
 * changes what ingest makes of the embedded data, so a change is tested against a store built from it.
 */
describe("the shared embedded store's key", () => {
  const root = mkdtempSync(join(tmpdir(), "vcse-store-key-"));
  afterAll(() => rmSync(root, {recursive: true, force: true}));
  cpSync("pipeline", join(root, "pipeline"), {recursive: true});
  mkdirSync(join(root, "test"));
  for (const f of ["embedded-store.ts", "lock-dir.ts"]) cpSync(join("test", f), join(root, "test", f));
  cpSync("package-lock.json", join(root, "package-lock.json"));
  mkdirSync(join(root, "data/sources"), {recursive: true});
  mkdirSync(join(root, "data/spending"));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "data/sources/a.json"), "{}");
  writeFileSync(join(root, "data/spending/a.csv"), "Date,Supplier,Amount\n");
  writeFileSync(join(root, "src/index.md"), "# A page\n");

  it("changes with the ingest code, the data, the fetched register and the package versions, not with a page", () => {
    const keys = new Set<string>();
    const expectChanged = (what: string) => {
      const key = embeddedStoreKey(root);
      expect(keys.has(key), what).toBe(false);
      keys.add(key);
    };
    expectChanged("start");
    expect(embeddedStoreKey(root)).toBe([...keys][0]);
    appendFileSync(join(root, "src/index.md"), "More words.\n");
    appendFileSync(join(root, "pipeline/compact/council.ts"), "\n// a page's loader changed\n");
    expect(embeddedStoreKey(root), "a page and its loader").toBe([...keys][0]);
    appendFileSync(join(root, "pipeline/classify/name-rules.ts"), "\n// a rule changed\n");
    expectChanged("a module ingest imports");
    appendFileSync(join(root, "data/spending/a.csv"), "01/04/2024,Acme,1.00\n");
    expectChanged("a spending file");
    writeFileSync(join(root, "data/sources/a.json"), '{"files": []}');
    expectChanged("a manifest");
    mkdirSync(join(root, DEFAULT_REGISTERS_DIR), {recursive: true});
    writeFileSync(join(root, DEFAULT_REGISTERS_DIR, "register.json"), "{}");
    expectChanged("a fetched charity register");
    appendFileSync(join(root, "package-lock.json"), "\n");
    expectChanged("the locked packages");
    appendFileSync(join(root, "test/embedded-store.ts"), "\n// how the store is built changed\n");
    expectChanged("the code that builds the shared store");
  });
});
