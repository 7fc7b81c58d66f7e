import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readFile, readdir, rename, rm, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {CACHE_DIR} from "../cache-dir.ts";
import {normaliseOrgId} from "./identifiers.ts";
import {readTable} from "./read-tables.ts";
import {supplierKey} from "./supplier-key.ts";
import type {Sector, VcseKind} from "../types.ts";

/** A register name's kind, or null when registers of different kinds carry the same name. */
export type RegisterKind = VcseKind | null;

export interface Registers {
  /** Supplier key -> kind, from registers that list names only (charities 2016, CICs, CASCs). */
  names: Map<string, {kind: RegisterKind; register: string}>;
  /** Org ids (charity, company, HESA, ...) of bodies that are registered charities or companies but their own sector here. */
  ownSector: Map<string, Sector>;
}

const FILES = ["charity-names-2016.csv.gz", "cic-names-2016.csv.gz", "cascs.csv", "rsp-charity-number.csv", "university-charity-number.csv", "organisation-company-numbers.csv"];

function lines(path: string, buf: Buffer): string[] {
  const text = (path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
  return text.split(/\r?\n/);
}

/** A CSV line's field: names in the one-column registers are quoted only when they hold a comma or quote. */
function unquote(line: string): string {
  const s = line.trim();
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s;
}

/** The sector an org id's scheme stands for, for the bodies the registers list as their own sectors. */
function schemeSector(id: string): Sector | null {
  if (id.startsWith("GB-SHPE-")) return "housing_association";
  // A school with a company number is mostly an academy trust: public, never VCSE, though it is a charity.
  return /^GB-(?:EDU|NIEDU|SCOTEDU|WALEDU|NHS|HESA)-/.test(id) ? "public" : null;
}

/**
 * Reads data/reference/registers; an absent folder gives empty registers (fixtures for tests). Keying 200k names
 * takes seconds, so the built index is kept in the cache folder under the hash of the files and the code that keys them.
 */
export async function loadRegisters(referenceDir: string, cacheDir = CACHE_DIR): Promise<Registers> {
  const dir = join(referenceDir, "registers");
  if (!existsSync(dir)) return {names: new Map(), ownSector: new Map()};
  const [keyCode, ...bufs] = await Promise.all([readFile(new URL("./supplier-key.ts", import.meta.url)), ...FILES.map((f) => readFile(join(dir, f)))]);
  const hash = createHash("sha256").update(keyCode!);
  for (const b of bufs) hash.update(b);
  const file = join(cacheDir, `registers-${hash.digest("hex").slice(0, 16)}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(await readFile(file, "utf8")) as {names: [string, {kind: RegisterKind; register: string}][]; ownSector: [string, Sector][]};
    return {names: new Map(cached.names), ownSector: new Map(cached.ownSector)};
  }
  const built = await buildRegisters(dir, bufs as Buffer[]);
  await mkdir(cacheDir, {recursive: true});
  for (const old of await readdir(cacheDir)) if (old.startsWith("registers-") && join(cacheDir, old) !== file) await rm(join(cacheDir, old), {force: true});
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({names: [...built.names], ownSector: [...built.ownSector]}));
  await rename(tmp, file);
  return built;
}

async function buildRegisters(dir: string, bufs: Buffer[]): Promise<Registers> {
  const names: Registers["names"] = new Map();
  const ownSector: Registers["ownSector"] = new Map();
  const [charities, cics] = [lines(FILES[0]!, bufs[0]!), lines(FILES[1]!, bufs[1]!)];
  const [cascs, rsp, universities, organisations] = await Promise.all(FILES.slice(2).map((f) => readTable(join(dir, f))));
  const add = (name: string, kind: VcseKind, register: string) => {
    const key = supplierKey(name);
    if (key.length < 4) return;
    const had = names.get(key);
    if (!had) names.set(key, {kind, register});
    else if (had.kind !== kind) had.kind = null;
  };
  for (const line of charities) if (line) add(unquote(line), "charity", "charity-names-2016");
  for (const line of cics) if (line) add(unquote(line), "cic", "cic-names-2016");
  for (const row of cascs!) if (/^true$/i.test(row.active ?? "")) add(row.name ?? "", "sports_club", "cascs");

  const own = (raw: string | undefined, sector: Sector) => {
    const id = normaliseOrgId(raw);
    if (id) ownSector.set(id, sector);
  };
  for (const row of rsp!) {
    own(row.org_id_a, "housing_association");
    own(row.org_id_b, "housing_association");
    if (row.charity_number) own(`GB-CHC-${row.charity_number}`, "housing_association");
  }
  for (const row of universities!) own(row.org_id_b, "public");
  for (const row of organisations!) {
    const id = normaliseOrgId(row.org_id_a);
    const sector = id && schemeSector(id);
    if (sector) own(row.org_id_b, sector);
  }
  return {names, ownSector};
}
