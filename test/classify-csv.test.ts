import {describe, expect, it} from "vitest";
import {classifyCsv, csvCell} from "../pipeline/classify/classify-csv.ts";
import {loadClassifier, type Classifier, type SupplierInput} from "../pipeline/classify/classify.ts";
import {parseCsv} from "../pipeline/read/parse-csv.ts";

/** Echoes what it was given, so the tests see exactly which fields reached the classifier. */
const echo: Classifier = {
  classify: (input: SupplierInput) => ({
    sector: "unknown",
    kind: null,
    basis: "none",
    confidence: 0,
    matched_id: [input.supplier_id, input.charity_number, input.company_number, input.council_flag].map((v) => v ?? "").join("|")
  })
};

const rows = (csv: string) => parseCsv(csv, ",").map((r) => r.cells);

describe("classifyCsv", () => {
  it("reads one name per line, keeping order, commas and quotes, and skipping blank lines", () => {
    const out = classifyCsv('Zeta Ltd\r\n\r\nSmith, John\nAlpha "The Best" Ltd\n', echo);
    expect(out).toBe(
      ["name,sector,kind,basis,confidence,matched_id", "Zeta Ltd,unknown,,none,0,|||", '"Smith, John",unknown,,none,0,|||', '"Alpha ""The Best"" Ltd",unknown,,none,0,|||', ""].join("\n")
    );
  });

  it("reads a CSV whose header has a name column, passing the optional identifier columns", () => {
    const input = "Company_Number,NAME,charity_number,supplier_id,amount\n02206442,Acme,,S1,10\n,Age UK,1128267,,5\n";
    expect(rows(classifyCsv(input, echo))).toEqual([
      ["name", "sector", "kind", "basis", "confidence", "matched_id"],
      ["Acme", "unknown", "", "none", "0", "S1||02206442|"],
      ["Age UK", "unknown", "", "none", "0", "|1128267||"]
    ]);
  });

  it("neutralises cells that a spreadsheet would run as a formula", () => {
    const out = rows(classifyCsv("=HYPERLINK(\"http://x\")\n+44 Ltd\n-minus\n@at\n\tTabbed\n", echo));
    expect(out.slice(1).map((r) => r[0])).toEqual(["'=HYPERLINK(\"http://x\")", "'+44 Ltd", "'-minus", "'@at", "Tabbed"]);
    // Names are trimmed on input; a tab or CR can still reach csvCell through other columns.
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rcr")).toBe("\"'\rcr\"");
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it("classifies with the real classifier", async () => {
    const c = await loadClassifier({referenceDir: "data/reference"});
    const out = rows(classifyCsv("name,charity_number\nMind in Salford,\nMindful Ltd,\nSomething,216250\nLeeds City Council,\n", c));
    expect(out.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ["Mind in Salford", "vcse", "registry_name"],
      ["Mindful Ltd", "private", "name_rule"],
      ["Something", "vcse", "registry_id"],
      ["Leeds City Council", "public", "name_rule"]
    ]);
  });
});
