import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readFile, rename, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {CACHE_DIR, pruneCache} from "../cache-dir.ts";
import {normaliseOrgId} from "./identifiers.ts";
import {readTable} from "./read-tables.ts";
import {hasCompanyForm, supplierKey} from "./supplier-key.ts";
import type {Sector, VcseKind} from "../types.ts";

/** A register name's kind, or null when registers of different kinds carry the same name. */
export type RegisterKind = VcseKind | null;

/**
 * A name-only register's entry; `company` when a name under this key is a company's ("... Limited"); `sector` when
 * the name is a body's that is its own sector here (a school's, an NHS body's, a housing provider's), which
 * outranks any VCSE register carrying the same name.
 */
export interface RegisterName {
  kind: RegisterKind;
  register: string;
  company?: boolean;
  sector?: Sector;
}

export interface Registers {
  /** Supplier key -> entry, from registers that list names only (charities 2016, CICs, CASCs). */
  names: Map<string, RegisterName>;
  /** Org ids (charity, company, HESA, ...) of bodies that are registered charities or companies but their own sector here. */
  ownSector: Map<string, Sector>;
}

/** Index versions kept: a few, so that checkouts of different versions of this code do not rebuild each other's. */
const KEPT_VERSIONS = 3;
const FILES = ["charity-names-2016.csv.gz", "cic-names-2016.csv.gz", "cascs.csv", "rsp-charity-number.csv", "university-charity-number.csv", "organisation-company-numbers.csv", "mutual-companies.csv"];

/**
 * A charity's name ending in words that say only "a charity" or "in the UK". Not "Charitable Trust": "Balfour
 * Beatty Charitable Trust" is a grant-maker named for a company, not the company.
 */
const CHARITY_SUFFIX = /[\s,(-]+(?:THE )?(?:CHARITY|UK|U\.?K\.?|GB|GREAT BRITAIN|UNITED KINGDOM|ENGLAND)\)?\s*$/i;

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
  const code = await Promise.all(["./supplier-key.ts", "./identifiers.ts", "./registers.ts"].map((f) => readFile(new URL(f, import.meta.url))));
  const bufs = await Promise.all(FILES.map((f) => readFile(join(dir, f))));
  const hash = createHash("sha256");
  for (const b of [...code, ...bufs]) hash.update(b);
  const file = join(cacheDir, `registers-${hash.digest("hex").slice(0, 16)}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(await readFile(file, "utf8")) as {names: [string, RegisterName][]; ownSector: [string, Sector][]};
    return {names: new Map(cached.names), ownSector: new Map(cached.ownSector)};
  }
  const built = await buildRegisters(dir, bufs);
  await mkdir(cacheDir, {recursive: true});
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({names: [...built.names], ownSector: [...built.ownSector]}));
  await rename(tmp, file);
  await pruneCache(cacheDir, "registers-", ".json", KEPT_VERSIONS);
  return built;
}

async function buildRegisters(dir: string, bufs: Buffer[]): Promise<Registers> {
  const names: Registers["names"] = new Map();
  const ownSector: Registers["ownSector"] = new Map();
  const [charities, cics] = [lines(FILES[0]!, bufs[0]!), lines(FILES[1]!, bufs[1]!)];
  const [cascs, rsp, universities, organisations, mutuals] = await Promise.all(FILES.slice(2).map((f) => readTable(join(dir, f))));
  const add = (name: string, kind: VcseKind, register: string) => {
    const key = supplierKey(name);
    if (key.length < 4) return;
    let had = names.get(key);
    if (!had) names.set(key, (had = {kind, register}));
    else if (had.sector) return;
    else if (had.kind !== kind) had.kind = null;
    if (hasCompanyForm(name)) had.company = true;
  };
  /** A body of its own sector by name; `outranks` when its number proves the name is that body's, not a namesake's. */
  const ownName = (name: string, sector: Sector, register: string, outranks: boolean) => {
    const key = supplierKey(name);
    if (key.length < 4 || (!outranks && names.get(key)?.kind)) return;
    names.set(key, {kind: null, register, sector, ...(hasCompanyForm(name) ? {company: true} : {})});
  };
  /** "Thames Reach Charity" is listed under "Thames Reach" too, and "X (UK)" under "X", when that leaves two words or more. */
  const addCharity = (name: string) => {
    add(name, "charity", "charity-names-2016");
    const short = CHARITY_SUFFIX.exec(name);
    if (short && short.index > 0 && short.input.slice(0, short.index).trim().includes(" ")) add(name.slice(0, short.index), "charity", "charity-names-2016");
  };
  for (const line of charities) if (line) addCharity(unquote(line));
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
    if (!sector) continue;
    own(row.org_id_b, sector);
    ownName(row.org_name ?? "", sector, "organisation-company-numbers", false);
  }
  // A registered society is a mutual unless the registers know it as its own sector (a housing provider).
  for (const row of mutuals!) {
    const sector = ownSector.get(normaliseOrgId(row.org_id_b) ?? "");
    if (sector) ownName(row.org_name ?? "", sector, "mutual-companies", true);
    else add(row.org_name ?? "", "mutual", "mutual-companies");
  }
  return {names, ownSector};
}
