import {readdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {parsePeriod, type Period} from "../conform/parse-period.ts";
import {layoutFor, readManifest, type Layout} from "./manifest.ts";

export interface Listed {
  /** "data/sources/x.json, layout from 2019-04". */
  manifest: string;
  layout: Omit<Layout, "from">;
  period: Period | null;
}

/**
 * Finds the manifest that lists a file (by its resolved path) in a data folder, with the layout and period it
 * reads the file with. An invalid manifest lists nothing here: ingest is where it is reported.
 */
export function manifestFor(dataDir: string): (path: string) => Listed | undefined {
  const listed = new Map<string, Listed>();
  const dir = join(dataDir, "sources");
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    let manifest;
    try {
      manifest = readManifest(join(dir, name), dataDir);
    } catch {
      continue;
    }
    for (const file of manifest.files) {
      const {from, ...layout} = layoutFor(manifest, file);
      listed.set(resolve(dataDir, file.path), {manifest: `${join(dir, name)}, layout from ${from}`, layout, period: parsePeriod(file.period)});
    }
  }
  return (path) => listed.get(resolve(path));
}
