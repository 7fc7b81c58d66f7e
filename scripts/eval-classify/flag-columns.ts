import {readdir, readFile} from "node:fs/promises";
import {join} from "node:path";
import {councilFlag} from "../../pipeline/classify/council-flag.ts";
import {normaliseCharityNumber} from "../../pipeline/classify/identifiers.ts";
import {readPath} from "../../pipeline/read/read-file.ts";
import {SPENDING} from "./data-paths.ts";
import {csvFiles} from "./suppliers.ts";

const FLAG_COLUMN = /vcse|beneficiary\) type|beneficiary type|creditor type|supplier type|charity/i;

/** (c) Any other label column: which files have one, which values occur, whether any says something. */
export async function otherFlags(): Promise<{columns: {file: string; column: string; values: Record<string, number>; informative: number}[]}> {
  const columns: {file: string; column: string; values: Record<string, number>; informative: number}[] = [];
  for (const council of (await readdir(SPENDING)).sort()) {
    if (council === "trafford") continue;
    const dir = join(SPENDING, council);
    const files = [...(await csvFiles(dir)), ...(await csvFiles(join(dir, "clean")).catch(() => []))];
    for (const file of files) {
      const head = (await readFile(file, "latin1")).split(/\r\n|\n|\r/, 1)[0] ?? "";
      if (!FLAG_COLUMN.test(head)) continue;
      for (const table of await readPath(file)) {
        const header = table.records[0]?.cells ?? [];
        header.forEach((h, i) => {
          if (!FLAG_COLUMN.test(h)) return;
          const values: Record<string, number> = {};
          let informative = 0;
          for (const r of table.records.slice(1)) {
            const v = (r.cells[i] ?? "").trim();
            values[v] = (values[v] ?? 0) + 1;
            if (/charity/i.test(h) ? normaliseCharityNumber(v) : councilFlag(v)) informative++;
          }
          const common = Object.entries(values).sort((a, b) => b[1] - a[1]).slice(0, 6);
          columns.push({file: file.slice(SPENDING.length + 1), column: h, values: Object.fromEntries(common), informative});
        });
      }
    }
  }
  return {columns};
}
