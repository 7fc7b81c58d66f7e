import {readFileSync} from "node:fs";
import {findHeader} from "../conform/find-header.ts";
import {readBytes} from "../read/read-file.ts";
import {FIELDS, type Field} from "../types.ts";
import {UsageError} from "./args.ts";
import {nearest} from "./nearest.ts";

/** `--map FIELD=HEADER` values as field -> header; a field that is not a canonical one is refused with the one meant. */
export function parseMap(values: string[]): Partial<Record<Field, string>> {
  const map: Partial<Record<Field, string>> = {};
  for (const value of values) {
    const at = value.indexOf("=");
    const [field, header] = at < 0 ? [value, ""] : [value.slice(0, at).trim(), value.slice(at + 1).trim()];
    if (!header) throw new UsageError(`--map ${value}: expected FIELD=HEADER, e.g. --map amount="Net Amount"`);
    if (!(FIELDS as readonly string[]).includes(field)) {
      const [meant] = nearest(field, FIELDS);
      throw new UsageError(`--map ${value}: ${field} is not a field${meant ? `; did you mean ${meant}?` : ""} (fields: ${FIELDS.join(", ")})`);
    }
    if (map[field as Field] !== undefined) throw new UsageError(`--map ${value}: ${field} is mapped twice`);
    map[field as Field] = header;
  }
  return map;
}

/**
 * Refuses a map naming a header that a file's header row does not have (trimmed, case ignored), naming the file
 * as given and the headers it has. Files that cannot be read, or have no header row, are left to ingest to report.
 */
export function checkMapped(files: string[], map: Partial<Record<Field, string>>): void {
  for (const path of files) {
    let tables;
    try {
      tables = readBytes(readFileSync(path), path);
    } catch {
      continue;
    }
    for (const table of tables) {
      const header = findHeader(table.records);
      if (!header) continue;
      const have = new Set(header.names.map((n) => n.trim().toLowerCase()));
      for (const [field, name] of Object.entries(map)) {
        if (have.has(name.trim().toLowerCase())) continue;
        const where = table.entry === path ? path : table.entry;
        throw new UsageError(`--map ${field}=${name}: ${where} has no column ${JSON.stringify(name)}; its headers: ${header.names.map((n) => JSON.stringify(n)).join(", ")}`);
      }
    }
  }
}
