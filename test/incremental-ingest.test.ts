import {cpSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {ingest} from "../pipeline/ingest/ingest.ts";
import {tempDirs} from "./temp-dirs.ts";

/**
 * An ingest that reads only the changed files must report what a fresh ingest of the same files reports,
 * duplicates included: those are counted again only for councils with a changed file, and kept for the rest.
 */

const temp = tempDirs();

const header = "Date,Supplier Name,Net Amount,Ref";

function council(dataDir: string, code: string, name: string, files: Record<string, string[]>): void {
  writeFileSync(join(dataDir, "sources", `${code}.json`), JSON.stringify({
    council: {code, name}, publisher: "test", licence: "test",
    layouts: [{from: "2019-04", columns: {payment_date: ["Date"], supplier_name: ["Supplier Name"], amount: ["Net Amount"], transaction_ref: ["Ref"]}}],
    files: Object.keys(files).map((f) => ({period: "2019-04", path: `spending/${f}`}))
  }));
  for (const [file, lines] of Object.entries(files)) writeFileSync(join(dataDir, "spending", file), [header, ...lines].join("\n") + "\n");
}

describe("incremental ingest", () => {
  it("reports what a fresh ingest reports, duplicates included", async () => {
    const dataDir = temp("vcse-incremental-");
    mkdirSync(join(dataDir, "sources"));
    mkdirSync(join(dataDir, "spending"));
    cpSync("data/source.schema.json", join(dataDir, "source.schema.json"));
    const april = ["02/04/2019,Acme Ltd,100.00,R1", "03/04/2019,Village Hall,250.00,R2", "04/04/2019,Scout Group,75.00,R3"];
    council(dataDir, "E09000001", "City of London Corporation", {"a1.csv": april, "a2.csv": [...april.slice(0, 2), "05/04/2019,Hospice,10.00,R4"]});
    council(dataDir, "E09000002", "Barking and Dagenham", {"b1.csv": april});
    const store = temp("vcse-incremental-store-");

    const first = await ingest({dataDir, outDir: store});
    expect(first.total.duplicates).toBe(2);

    // Council B changes: council A's duplicates are kept from the first run, not counted again.
    council(dataDir, "E09000002", "Barking and Dagenham", {"b1.csv": [...april, "06/04/2019,Acme Ltd,1.00,R5"]});
    const second = await ingest({dataDir, outDir: store});
    // Beside what a fresh ingest reports, the changed file says what it replaced (a fresh ingest had nothing before).
    const b1 = second.files.find((f) => f.file === "spending/b1.csv")!;
    expect(b1.republished).toMatchObject({previous_kept: 3, rows_change: 1, amount_change: "1.00"});
    delete b1.republished;
    expect(second).toEqual(await ingest({dataDir, outDir: temp("vcse-incremental-fresh-")}));
    expect(second.total.duplicates).toBe(2);

    // Council A's second file no longer repeats the first: its duplicates go.
    council(dataDir, "E09000001", "City of London Corporation", {"a1.csv": april, "a2.csv": ["05/04/2019,Hospice,10.00,R4"]});
    const third = await ingest({dataDir, outDir: store});
    expect(third.files.find((f) => f.file === "spending/a2.csv")!.republished).toMatchObject({previous_kept: 3, rows_change: -2});
    for (const f of third.files) delete f.republished;
    expect(third).toEqual(await ingest({dataDir, outDir: temp("vcse-incremental-fresh-")}));
    expect(third.total.duplicates).toBe(0);
  }, 120_000);
});
