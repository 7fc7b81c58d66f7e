import {readFile} from "node:fs/promises";
import {parseCsv} from "../read/parse-csv.ts";
import {supplierKey} from "./supplier-key.ts";
import type {Classification, Sector, VcseKind} from "../types.ts";

const SECTORS: readonly Sector[] = ["vcse", "public", "housing_association", "private", "individual", "unknown"];
const KINDS: readonly VcseKind[] = ["charity", "cic", "community_group", "faith_group", "mutual", "sports_club", "other_non_profit"];

/**
 * Reads an overrides CSV (header `supplier,sector,kind,note`) into classifications by supplier key.
 * `supplier` may be a key or a name as published; both are reduced to the key. Every row needs a note,
 * because an override is a claim someone has to be able to check.
 */
export function parseOverrides(text: string, source = "overrides.csv"): Map<string, Classification> {
  const records = parseCsv(text.replace(/^\uFEFF/, ""), ",");
  const header = records[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${source}: header must have supplier,sector,kind,note; got ${JSON.stringify(header.join(","))}`);
    return i;
  };
  const [iSupplier, iSector, iKind, iNote] = [at("supplier"), at("sector"), at("kind"), at("note")];
  const result = new Map<string, Classification>();
  for (const record of records.slice(1)) {
    const cells = record.cells.map((c) => c.trim());
    if (cells.every((c) => c === "")) continue;
    const where = `${source}:${record.line}`;
    const supplier = cells[iSupplier] ?? "";
    const sector = (cells[iSector] ?? "") as Sector;
    const kind = (cells[iKind] ?? "") as VcseKind | "";
    const key = supplierKey(supplier);
    if (!key) throw new Error(`${where}: empty supplier`);
    if (!SECTORS.includes(sector)) throw new Error(`${where}: sector must be one of ${SECTORS.join(", ")}; got ${JSON.stringify(sector)}`);
    if (kind && (sector !== "vcse" || !KINDS.includes(kind))) {
      throw new Error(`${where}: kind must be empty or, for vcse, one of ${KINDS.join(", ")}; got ${JSON.stringify(kind)}`);
    }
    if (!cells[iNote]) throw new Error(`${where}: every override needs a note saying why`);
    const classification: Classification = {sector, kind: kind || null, basis: "override", confidence: 1, matched_id: key};
    const previous = result.get(key);
    if (previous && (previous.sector !== sector || previous.kind !== classification.kind)) {
      throw new Error(`${where}: ${JSON.stringify(key)} is overridden twice with different answers`);
    }
    result.set(key, classification);
  }
  return result;
}

/** Loads overrides from a file; a missing file is an error only when `required`. */
export async function loadOverrides(path: string, required = true): Promise<Map<string, Classification>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw e;
  }
  return parseOverrides(text, path);
}
