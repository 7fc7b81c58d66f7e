import {existsSync} from "node:fs";
import {dirname, join} from "node:path";
import {councilFlag} from "./council-flag.ts";
import {councilNames} from "./council-names.ts";
import {NAME_RULES, matchNameRule, ruleClassification} from "./name-rules.ts";
import {loadOverrides} from "./overrides.ts";
import {ALIAS_CONFIDENCE, loadRegistry} from "./registry.ts";
import {CCEW_TITLE, registerInUse, type RegisterUse} from "./current-register.ts";
import {hasCompanyForm, keyVariants, nameWords, supplierKey, tradingCompanyHeads} from "./supplier-key.ts";
import type {Classification} from "../types.ts";

export interface SupplierInput {
  name: string;
  supplier_id?: string | null;
  charity_number?: string | null;
  company_number?: string | null;
  council_flag?: string | null;
}

export interface Classifier {
  classify(input: SupplierInput): Classification;
  /** The charity register the classifier reads. */
  readonly register?: RegisterUse;
}

export interface ClassifierOptions {
  /** Folder holding charity-lookups/; default data/reference. */
  referenceDir?: string;
  /** Default overrides.csv beside the reference folder (data/overrides.csv); a missing default file means none. */
  overridesPath?: string;
  /** 360Giving registers of grants to the VCSE sector; default the Trafford register beside the reference folder. */
  grantRegisters?: string[];
  /** The Charity Commission's publicextract.charity table (tab-separated text), read instead of registersDir's. */
  ccewExtract?: string;
  /**
   * The folder `fetch --registers` fills (default cache/raw/registers): its extract, when it holds one, is read
   * before the embedded names. null: the embedded names only.
   */
  registersDir?: string | null;
  /** Trust a council's own label column; default true. */
  useCouncilFlags?: boolean;
  /** Trust charity numbers, company numbers and org ids; default true. */
  useIdentifiers?: boolean;
}

/** Exclusions that hold even against a charity number: a school, an NHS charity or a professional body is registered as a charity. */
const NEVER_VCSE = new Set(["statutory", "housing", "education", "not_vcse"]);
const LOCAL_AUTHORITY = NAME_RULES.find((r) => r.name === "local_authority")!;
const UNKNOWN: Classification = {sector: "unknown", kind: null, basis: "none", confidence: 0, matched_id: null};
const TRAFFORD_GRANTS = "grants/trafford/trafford_council_voluntary_sector_grants.csv";

/**
 * Loads the reference tables and returns a classifier. Strongest evidence first: override, council flag,
 * identifier, then the name. A name that says the body is never VCSE here (a statutory body, a housing
 * provider, a school, a professional body) outranks even a charity number, because such bodies are often
 * registered charities; every exclusion comes before register names, because a charity of the same name (an
 * NHS trust's charitable fund) is not who the council paid. Then register names, exact, then in part (a
 * "T/A" name's operator or trading name, without an acronym), then as a cut name's completion; then the name
 * rules that say VCSE; then a bare company number; then the rules that say private.
 */
export async function loadClassifier(opts: ClassifierOptions = {}): Promise<Classifier> {
  const referenceDir = opts.referenceDir ?? "data/reference";
  const dataDir = dirname(referenceDir);
  const defaultGrants = join(dataDir, TRAFFORD_GRANTS);
  const inUse = opts.ccewExtract ? {use: givenExtract(), table: opts.ccewExtract} : registerInUse(opts.registersDir);
  const [overrides, registry] = await Promise.all([
    loadOverrides(opts.overridesPath ?? join(dataDir, "overrides.csv"), opts.overridesPath !== undefined),
    loadRegistry({
      referenceDir,
      grantRegisters: opts.grantRegisters ?? (existsSync(defaultGrants) ? [defaultGrants] : []),
      ccewExtract: inUse.table ?? undefined
    })
  ]);
  const isCouncil = councilNames(referenceDir);
  const useFlags = opts.useCouncilFlags ?? true;
  const useIds = opts.useIdentifiers ?? true;
  const cache = new Map<string, Classification>();

  /**
   * Weaker register evidence, for a name no rule excludes: the key among register names without their
   * acronym ("Families and Babies (FAB) Ltd"), then the supplier's own variants, the operator's or trading
   * name's key of a "T/A" name, the key without an acronym that repeats the words beside it ("CGL
   * (Change, Grow, Live)") or without a qualifier, each as a register name or alias; a register name spelled
   * with other spaces; a charity whose trading company this is. Scores at most ALIAS_CONFIDENCE.
   */
  const lookupVariants = (name: string, key: string): Classification | null => {
    let hit = registry.lookupAlias(key);
    for (const variant of hit ? [] : keyVariants(name)) {
      hit = registry.lookupName(variant) ?? registry.lookupAlias(variant) ?? registry.lookupRegisterName(variant);
      if (hit) break;
    }
    hit ??= registry.lookupSpacing(key);
    // A charity's trading company is the charity's, for this analysis; the name must be a charity's.
    for (const head of hit ? [] : tradingCompanyHeads(name)) {
      const parent = registry.lookupName(head) ?? registry.lookupRegisterName(head);
      if (parent?.sector === "vcse" && parent.kind === "charity") hit = parent;
      if (hit) break;
    }
    return hit && {...hit, confidence: Math.min(hit.confidence, ALIAS_CONFIDENCE)};
  };

  const decide = (input: SupplierInput, key: string): Classification => {
    const override = overrides.get(key);
    if (override) return override;
    if (useFlags) {
      const flag = councilFlag(input.council_flag);
      if (flag) return flag;
    }
    const named = key ? matchNameRule(input.name) : null;
    // A council as finance systems write it ("LB Camden") is a council, whatever weaker rule its words meet.
    const rule = !named?.exclusion && key && isCouncil(key) ? LOCAL_AUTHORITY : named;
    const byId = useIds ? registry.identify(input) : null;
    if (byId?.decisive) {
      // An identifier gives way only to a name that says it is a body that is never VCSE, registered or not.
      if (rule?.exclusion && NEVER_VCSE.has(rule.exclusion)) return ruleClassification(rule);
      return byId.classification;
    }
    if (!key) return byId?.classification ?? UNKNOWN;
    if (rule?.exclusion) return ruleClassification(rule);
    const byName = registry.lookupName(key) ?? lookupVariants(input.name, key);
    if (byName) return byName;
    // A name-only register cannot tell "Mindful Ltd" the company from "Mindful" the charity, unless the register's
    // name is a company's too ("Roundabout Limited", a charitable company).
    const companyForm = rule?.name === "company_form" || rule?.name === "trading_as";
    const byRegister = registry.lookupRegisterName(key, companyForm);
    if (byRegister) return byRegister;
    // A name with its legal form intact was not cut at a fixed width.
    const byPrefix = companyForm || hasCompanyForm(input.name) ? null : registry.lookupPrefix(key);
    if (byPrefix) return byPrefix;
    if (rule && rule.sector !== "private") return ruleClassification(rule);
    // Only a name no rule reads: "X Solicitors" or "X Ltd" starts with a charity's name but says it is a business,
    // and a VCSE rule's answer ("Citizens Advice Bureau") names no one register entry. Never a council's name.
    const byStart = rule ? null : registry.lookupContaining(key, isCouncil);
    if (byStart) return byStart;
    if (byId) return byId.classification;
    return rule ? ruleClassification(rule) : UNKNOWN;
  };

  return {
    register: inUse.use,
    classify(input) {
      // Cached by the name's words rather than its key: the key drops legal forms ("Ltd", "CIC"), which
      // the name rules read, and a cache by key would answer by whichever spelling came first.
      const ids = useIds ? `\u0000${input.supplier_id ?? ""}\u0000${input.charity_number ?? ""}\u0000${input.company_number ?? ""}` : "";
      const cacheKey = `${nameWords(input.name ?? "")}${ids}\u0000${useFlags ? (input.council_flag ?? "") : ""}`;
      let result = cache.get(cacheKey);
      if (!result) {
        result = decide(input, supplierKey(input.name ?? ""));
        cache.set(cacheKey, result);
      }
      return {...result};
    }
  };
}

/** An extract table named by path, not fetched: its date is not known. */
function givenExtract(): RegisterUse {
  return {register: "ccew_extract", title: CCEW_TITLE, date: "unknown", date_source: "none", url: null, sha256: ""};
}
