import {join} from "node:path";
import {nameRule} from "./name-rules.ts";
import {charityOrgId, normaliseCharityNumber, normaliseCompanyNumber, normaliseOrgId} from "./identifiers.ts";
import {Aliases} from "./aliases.ts";
import {KeyIndex} from "./key-index.ts";
import {loadRegisters} from "./registers.ts";
import {forEachLeadingNumber, readTable, readText} from "./read-tables.ts";
import {supplierKey, withoutAcronym} from "./supplier-key.ts";
import type {Classification, VcseKind} from "../types.ts";

/** What an identifier says, and whether it settles the question or only says "a company". */
export interface IdentifierMatch {
  classification: Classification;
  decisive: boolean;
}

export interface RegistryOptions {
  /** Folder holding charity-lookups/. */
  referenceDir: string;
  /** 360Giving CSV files of grants to the VCSE sector: their recipients count as VCSE. */
  grantRegisters?: string[];
  /** The Charity Commission's `publicextract.charity` table as tab-separated text with its header row. */
  ccewExtract?: string;
  /** Where the registers' built index is cached (default: the project's cache folder). */
  cacheDir?: string;
}

export interface Registry {
  /** Registered charity numbers (England and Wales) known to the reference data. */
  readonly charityNumbers: ReadonlySet<number>;
  charityNumberStatus(n: number): "registered" | "newer" | "unknown";
  /** A charity number, company number or org id, classified; null when it proves nothing. */
  identify(ids: {supplier_id?: string | null; charity_number?: string | null; company_number?: string | null}): IdentifierMatch | null;
  /** The register entry for an exact supplier key; null when absent or when the key names two organisations. */
  lookupName(key: string): Classification | null;
  /**
   * The register entry whose name, without an acronym that spells out the rest of it, is this key
   * ("Families and Babies (FAB) Ltd" under "FAMILIES AND BABIES"); weaker evidence than lookupName, and null
   * when absent or ambiguous.
   */
  lookupAlias(key: string): Classification | null;
  /**
   * A name-only register (charities 2016, CICs, CASCs) entry for a key no numbered register holds; null when ambiguous.
   * For a supplier whose name ends in a company form, only a register name that is a company's counts.
   */
  lookupRegisterName(key: string, companyForm?: boolean): Classification | null;
  /**
   * The register entries whose keys this key is a proper prefix of, for a name a finance system cut at a fixed
   * width ("GREATER MANCHESTER COMBINED AUTHORI"): their classification when they all agree and are few enough
   * to be specific, with basis registry_name_prefix; null otherwise.
   */
  lookupPrefix(key: string): Classification | null;
  /** The one register name with the same letters in other words ("HOLLY BANK TRUST" for "HOLLYBANK TRUST"); null otherwise. */
  lookupSpacing(key: string): Classification | null;
  /**
   * The longest register name of two words or more that this key starts with, followed by a word or two more
   * (a former name's extra word, a place: "THAMES REACH BONDWAY"), unless `exclude` refuses that name; weaker
   * evidence, null when none.
   */
  lookupContaining(key: string, exclude?: (head: string) => boolean): Classification | null;
  /** How many distinct keys the name map holds, how many of those are ambiguous, and how many alias keys there are. */
  readonly nameStats: {keys: number; ambiguous: number; aliases: number};
}

const ID_CONFIDENCE = 0.95;
const SECONDARY_ID_CONFIDENCE = 0.9;
const NAME_CONFIDENCE = 0.85;
const GRANT_NAME_CONFIDENCE = 0.8;
const AMBIGUOUS_CHARITY_CONFIDENCE = 0.75;
const REGISTER_NAME_CONFIDENCE = 0.8;
/** A cut name is specific enough to complete from the registers from this many characters, with at most so many completions. */
const PREFIX_MIN_LENGTH = 18;
const PREFIX_MAX_COMPLETIONS = 3;
const PREFIX_WORD_CUT_LENGTH = 28;
const PREFIX_CONFIDENCE = 0.7;
/** Fewer letters than this spell too many names to match with other spaces. */
const SPACING_MIN_LETTERS = 10;
/** A register name a supplier's name starts with: long enough to be specific, and followed by little. */
const CONTAINING_MIN_LENGTH = 12;
const CONTAINING_MAX_EXTRA_WORDS = 2;
const CONTAINING_CONFIDENCE = 0.65;
/** Words that name a kind of body or place: "X Centre", "X Trust" or "X School" is another body than "X". */
const KIND_WORDS = new Set([
  "ACADEMY", "APPEAL", "ASSOCIATION", "CAFE", "CARE", "CENTRE", "CHAPEL", "CHARITY", "CHURCH", "CLUB", "COLLEGE", "COMMITTEE",
  "COMPANY", "FOUNDATION", "FRIENDS", "FUND", "GROUP", "HALL", "HOME", "HOMES", "HOSPICE", "HOUSE", "HOUSING", "INSTITUTE",
  "MUSEUM", "NURSERY", "PARTNERSHIP", "PLAYGROUP", "PRESCHOOL", "PROJECT", "SCHOOL", "SERVICES", "SOCIETY", "THEATRE", "TRUST", "UNIT",
  // and a business's
  "ASSOCIATES", "CONSULTANCY", "CONSULTANTS", "HOLDINGS", "PARTNERS", "SOLUTIONS", "SYSTEMS", "TECHNOLOGIES", "TRADING", "VENTURES"
]);
const MINOR_END = / (?:OF|AND|FOR|THE|IN|ON|AT|TO)$/;
/** Words a charitable company's name keeps when a finance system adds "Ltd": "Seashell Trust Ltd" is the Seashell Trust. */
const VOLUNTARY_FORM = /\b(?:TRUST|FOUNDATION|FELLOWSHIP|MISSION|CHARITY|CHARITABLE)$/;
/**
 * A name of two words or more that a name-only register holds without a company form, written with one ("Film
 * London Ltd", "Walk The Plank Ltd"): a charitable company whose finance-system name gained "Ltd". One word is a
 * brand many bodies share ("Voyage Ltd" is not the charity Voyage), and so is a name that gives its kind of body
 * ("Little Acorns Nursery Ltd" is one of many nurseries of that name, most of them businesses).
 */
const COMPANY_FORM_NAME_CONFIDENCE = 0.7;
/** A register name matched only without an acronym, or a supplier's name only in part ("T/A"). */
export const ALIAS_CONFIDENCE = 0.8;

function classification(sector: Classification["sector"], kind: VcseKind | null, confidence: number, id: string, basis: Classification["basis"] = "registry_id"): Classification {
  return {sector, kind, basis, confidence, matched_id: id};
}

const PUBLIC_SCHEMES = new Set(["GB-LAE", "GB-LAS", "GB-LANI", "GB-PLA", "GB-GOR", "GB-GOV", "GB-NHS", "GB-EDU", "GB-UKPRN", "GB-SCOTEDU", "GB-WALEDU", "GB-NIEDU", "GB-HESA"]);

interface NameEntry {
  ids: Set<string>;
  /** Kind a grant register's recipient name suggests, for recipients without a registry id. */
  grantKind?: VcseKind;
}

export async function loadRegistry(opts: RegistryOptions): Promise<Registry> {
  const dir = join(opts.referenceDir, "charity-lookups");
  const [scale, cio, companies, names, mergers, reregistrations, dual, grants, extract] = await Promise.all([
    readText(join(dir, "charity_scale.csv")),
    readText(join(dir, "cio_company_numbers.csv")),
    readTable(join(dir, "charity-company-numbers.csv")),
    readTable(join(dir, "charity-names.csv")),
    readTable(join(dir, "ccew-register-of-mergers.csv")),
    readTable(join(dir, "charity-reregistrations.csv")),
    readTable(join(dir, "dual-registered-uk-charities.csv")),
    Promise.all((opts.grantRegisters ?? []).map((p) => readTable(p))),
    opts.ccewExtract ? readTable(opts.ccewExtract, "\t", true) : Promise.resolve([])
  ]);
  const registers = await loadRegisters(opts.referenceDir, opts.cacheDir);

  const charityNumbers = new Set<number>();
  let highest = 0;
  forEachLeadingNumber(scale, (n) => {
    if (n < 200000) return;
    charityNumbers.add(n);
    if (n > highest) highest = n;
  });

  const aliases = new Aliases();
  /** Company number -> charity org id, for charitable companies and CIOs. */
  const charityCompanies = new Map<string, string>();
  const names_ = new Map<string, NameEntry>();
  /** Keys of register names without an acronym that spells out the rest of them. */
  const aliases_ = new Map<string, NameEntry>();
  const addKey = (map: Map<string, NameEntry>, key: string, id: string, grantKind?: VcseKind) => {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = {ids: new Set()}));
    entry.ids.add(id);
    if (grantKind) entry.grantKind = grantKind;
  };
  const addName = (name: string, id: string | null, grantKind?: VcseKind, key = supplierKey(name)) => {
    if (!id) return;
    if (key.length < 2) return;
    addKey(names_, key, id, grantKind);
    const short = withoutAcronym(key);
    if (short) addKey(aliases_, short, id, grantKind);
  };
  const charityId = (value: string | undefined) => {
    const n = normaliseCharityNumber(value);
    return n ? charityOrgId(n) : null;
  };
  const linkCompany = (company: string | undefined, charity: string | null) => {
    const c = normaliseCompanyNumber(company);
    if (c && charity) charityCompanies.set(c, charity);
  };
  /** The representative of an id, reading a charitable company's number as its charity number. */
  const canonical = (id: string) => aliases.find((id.startsWith("GB-COH-") && charityCompanies.get(id.slice(7))) || id);

  for (let start = cio.indexOf("\n") + 1; start > 0 && start < cio.length; ) {
    const end = cio.indexOf("\n", start);
    const line = cio.slice(start, end === -1 ? cio.length : end).trimEnd();
    const comma = line.indexOf(",");
    if (comma > 0) linkCompany(line.slice(0, comma), charityId(line.slice(comma + 1)));
    start = end === -1 ? cio.length : end + 1;
  }
  for (const row of companies) {
    const charity = normaliseOrgId(row.org_id_a);
    const company = normaliseOrgId(row.org_id_b);
    if (charity && company?.startsWith("GB-COH-")) linkCompany(company, charity);
    addName(row.name ?? "", charity);
  }
  for (const row of reregistrations) {
    const from = charityId(row["Old charity number"]);
    const to = charityId(row["New charity number"]);
    if (from && to) aliases.union(from, to);
    addName(row.Name ?? "", to);
  }
  for (const row of dual) {
    const sc = charityId(row["Scottish Charity Number"]);
    const ew = charityId(row["E&W Charity Number"]);
    if (sc && ew) aliases.union(sc, ew);
    addName(row["Charity Name (E&W)"] ?? "", ew ?? sc);
  }
  for (const row of names) {
    const id = normaliseOrgId(row.org_id);
    for (const alt of (row.alternative_name ?? "").split(";")) addName(alt.replace(/^\s*or,?\s+/i, ""), id);
  }
  for (const row of mergers) {
    const from = charityId(row.transferor_regno);
    const to = charityId(row.transferee_regno);
    const fromName = row.transferor_name ?? "";
    const toName = row.transferee_name ?? "";
    const fromKey = supplierKey(fromName);
    const toKey = supplierKey(toName);
    // The same name on both sides is one organisation re-registered (often as a CIO), not a merger of two.
    if (from && to && fromKey === toKey) aliases.union(from, to);
    addName(fromName, from, undefined, fromKey);
    addName(toName, to, undefined, toKey);
  }

  const extractRegistered = new Set<string>();
  const removed: [string, string, string][] = [];
  // Each name's key once: the extract has hundreds of thousands of rows.
  for (const row of extract) {
    const n = normaliseCharityNumber(row.registered_charity_number);
    const name = row.charity_name ?? "";
    if (!n || !name) continue;
    const id = charityOrgId(n);
    const key = supplierKey(name);
    linkCompany(row.charity_company_registration_number, id);
    if (/^(?:R|REGISTERED)$/i.test((row.charity_registration_status ?? "").trim())) {
      charityNumbers.add(Number(n));
      if (Number(n) > highest) highest = Number(n);
      addName(name, id, undefined, key);
      extractRegistered.add(key);
    } else removed.push([name, id, key]);
  }
  // A removed charity's name counts only where no registered charity carries it.
  for (const [name, id, key] of removed) if (!extractRegistered.has(key)) addName(name, id, undefined, key);

  for (const rows of grants) {
    for (const row of rows) {
      const name = row["Recipient Org:Name"] ?? "";
      const id = normaliseOrgId(row["Recipient Org:Identifier"]);
      if (!id || !name) continue;
      const charity = charityId(row["Recipient Org:Charity Number"]);
      linkCompany(row["Recipient Org:Company Number"], charity);
      if (charity) aliases.union(id, charity);
      const company = normaliseCompanyNumber(row["Recipient Org:Company Number"]);
      if (company) aliases.union(id, charityCompanies.get(company) ?? `GB-COH-${company}`);
      const rule = nameRule(name);
      const kind = rule?.sector === "vcse" && rule.kind ? rule.kind : id.startsWith("360G-") ? "community_group" : "other_non_profit";
      addName(name, id, kind);
    }
  }

  const charityNumberStatus = (n: number): "registered" | "newer" | "unknown" => {
    if (charityNumbers.has(n)) return "registered";
    // The lookup is a snapshot: a well-formed number above its highest was registered after it.
    return n > highest && n <= 1299999 ? "newer" : "unknown";
  };

  const classifyOrgId = (raw: string): IdentifierMatch | null => {
    const id = normaliseOrgId(raw);
    if (!id) return null;
    const own = registers.ownSector.get(id);
    if (own) return {classification: classification(own, null, ID_CONFIDENCE, id), decisive: true};
    const scheme = /^[A-Z]+-[A-Z]+(?=-)/.exec(id)?.[0] ?? "";
    if (scheme === "GB-CHC") {
      const status = charityNumberStatus(Number(id.slice(7)));
      if (status === "unknown") return null;
      return {classification: classification("vcse", "charity", status === "registered" ? ID_CONFIDENCE : NAME_CONFIDENCE, id), decisive: true};
    }
    if (scheme === "GB-SC" || scheme === "GB-NIC") return {classification: classification("vcse", "charity", SECONDARY_ID_CONFIDENCE, id), decisive: true};
    if (scheme === "GB-COH") {
      const number = id.slice(7);
      const charity = charityCompanies.get(number);
      if (charity) return {classification: classification("vcse", "charity", ID_CONFIDENCE, canonical(charity)), decisive: true};
      const prefix = number.slice(0, 2);
      if (prefix === "CE" || prefix === "CS") return {classification: classification("vcse", "charity", SECONDARY_ID_CONFIDENCE, id), decisive: true};
      if (prefix === "RS" || prefix === "IP" || prefix === "SP" || prefix === "NP") {
        return {classification: classification("vcse", "mutual", SECONDARY_ID_CONFIDENCE, id), decisive: true};
      }
      if (prefix === "OC" || prefix === "SO" || prefix === "NC") return {classification: classification("private", null, SECONDARY_ID_CONFIDENCE, id), decisive: true};
      if (prefix === "RC" || prefix === "SZ" || prefix === "ZC") return null;
      return {classification: classification("private", null, 0.7, id), decisive: false};
    }
    if (scheme === "GB-MPR") return {classification: classification("vcse", "mutual", SECONDARY_ID_CONFIDENCE, id), decisive: true};
    if (scheme === "GB-SHPE") return {classification: classification("housing_association", null, ID_CONFIDENCE, id), decisive: true};
    if (PUBLIC_SCHEMES.has(scheme)) return {classification: classification("public", null, ID_CONFIDENCE, id), decisive: true};
    return null;
  };

  const identify: Registry["identify"] = (ids) => {
    const charity = normaliseCharityNumber(ids.charity_number);
    const company = normaliseCompanyNumber(ids.company_number);
    const candidates = [
      ids.supplier_id && normaliseOrgId(ids.supplier_id),
      charity && charityOrgId(charity),
      company && `GB-COH-${company}`
    ];
    let weak: IdentifierMatch | null = null;
    for (const id of candidates) {
      if (!id) continue;
      const match = classifyOrgId(id);
      if (match?.decisive) return match;
      weak ??= match;
    }
    return weak;
  };

  const isCharityId = (id: string) => id.startsWith("GB-CHC-") || id.startsWith("GB-SC-") || id.startsWith("GB-NIC-");
  /** Classifications by key; `confidence` caps what a single entry scores. */
  const resolve = (entries: Map<string, NameEntry>, confidence: number) => {
    const lookups = new Map<string, Classification | null>();
    let ambiguous = 0;
    for (const [key, entry] of entries) {
      const roots = new Set([...entry.ids].map(canonical));
      if (roots.size !== 1) {
        ambiguous++;
        // Two charities can share a name ("Choice Support"): which one is unknown, that it is a charity is not.
        const allCharities = [...roots].every(isCharityId);
        const ids = [...roots].sort().join("|");
        lookups.set(key, allCharities ? classification("vcse", "charity", Math.min(confidence, AMBIGUOUS_CHARITY_CONFIDENCE), ids, "registry_name") : null);
        continue;
      }
      const id = [...roots][0]!;
      const byId = classifyOrgId(id);
      const own = registers.ownSector.get(id);
      if (own) {
        lookups.set(key, classification(own, null, confidence, id, "registry_name"));
      } else if (isCharityId(id)) {
        lookups.set(key, classification("vcse", "charity", confidence, id, "registry_name"));
      } else if (byId?.decisive) {
        lookups.set(key, {...byId.classification, basis: "registry_name", confidence});
      } else if (entry.grantKind) {
        lookups.set(key, classification("vcse", entry.grantKind, Math.min(confidence, GRANT_NAME_CONFIDENCE), id, "registry_name"));
      } else lookups.set(key, null);
    }
    return {lookups, ambiguous};
  };
  const {lookups, ambiguous} = resolve(names_, NAME_CONFIDENCE);
  const aliasLookups = resolve(aliases_, ALIAS_CONFIDENCE).lookups;
  /** A name-only register entry: weaker than a name with a number, and null when two registers of different kinds share it. */
  const registerName = (key: string): Classification | null => {
    const hit = registers.names.get(key);
    if (!hit || (!hit.kind && !hit.sector)) return null;
    return {sector: hit.sector ?? "vcse", kind: hit.kind, basis: "registry_name", confidence: REGISTER_NAME_CONFIDENCE, matched_id: `${hit.register}:${key}`};
  };
  // A short single word ("Costa", "Oasis", "Gap") is a brand many bodies share, not a name that identifies one.
  const generic = (key: string) => key.length <= 5 && !key.includes(" ");

  let index: KeyIndex | undefined;
  const keyIndex = () => (index ??= new KeyIndex([...lookups.keys(), ...registers.names.keys()]));
  /** The classification a register key carries, by number first, then name-only. */
  const entry = (k: string) => (lookups.has(k) ? lookups.get(k)! : registerName(k));
  const prefixMatch = (key: string): Classification | null => {
    if (key.length < PREFIX_MIN_LENGTH || !key.includes(" ")) return null;
    let found: Classification | null = null;
    const ids: string[] = [];
    for (const k of keyIndex().completions(key)) {
      // A whole word that starts a longer name ("Wakefield Cathedral" of "... Cathedral Music Trust") is a name
      // of its own unless it is long enough to be a cut; a cut inside a word is a cut.
      if (k[key.length] === " " && key.length < PREFIX_WORD_CUT_LENGTH) return null;
      const hit = entry(k);
      if (!hit || ids.length >= PREFIX_MAX_COMPLETIONS) return null;
      if (found && (found.sector !== hit.sector || found.kind !== hit.kind)) return null;
      found ??= hit;
      ids.push(hit.matched_id ?? k);
    }
    return found && {...found, basis: "registry_name_prefix", confidence: PREFIX_CONFIDENCE, matched_id: ids.join("|")};
  };
  const spacingMatch = (key: string): Classification | null => {
    if (key.replaceAll(" ", "").length < SPACING_MIN_LETTERS) return null;
    const k = keyIndex().sameLetters(key);
    const hit = k && !generic(k) ? entry(k) : null;
    return hit && {...hit, confidence: Math.min(hit.confidence, ALIAS_CONFIDENCE)};
  };
  const containingMatch = (key: string, exclude?: (head: string) => boolean): Classification | null => {
    const head = keyIndex().longestWordPrefix(key, 2);
    // A register name that ends in "of" or "and" was itself cut ("INSTITUTE OF").
    if (!head || head.length < CONTAINING_MIN_LENGTH || MINOR_END.test(head) || exclude?.(head)) return null;
    const extra = key.slice(head.length + 1).split(" ");
    if (extra.length > CONTAINING_MAX_EXTRA_WORDS || extra.some((w) => KIND_WORDS.has(w))) return null;
    const hit = entry(head);
    return hit && {...hit, confidence: Math.min(hit.confidence, CONTAINING_CONFIDENCE)};
  };

  return {
    charityNumbers,
    charityNumberStatus,
    identify,
    lookupName: (key) => (generic(key) ? null : (lookups.get(key) ?? null)),
    lookupRegisterName: (key, companyForm = false) => {
      if (generic(key) || lookups.has(key)) return null;
      if (!companyForm || registers.names.get(key)?.company || VOLUNTARY_FORM.test(key)) return registerName(key);
      if (!key.includes(" ") || key.split(" ").some((w) => KIND_WORDS.has(w))) return null;
      const hit = registerName(key);
      return hit && {...hit, confidence: COMPANY_FORM_NAME_CONFIDENCE};
    },
    lookupPrefix: prefixMatch,
    lookupSpacing: spacingMatch,
    lookupContaining: (key, exclude) => (lookups.has(key) || registers.names.has(key) ? null : containingMatch(key, exclude)),
    lookupAlias: (key) => (generic(key) ? null : (aliasLookups.get(key) ?? null)),
    nameStats: {keys: lookups.size, ambiguous, aliases: aliasLookups.size}
  };
}
