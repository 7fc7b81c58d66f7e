const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isLetter(c) || (c >= 48 && c <= 57);
const APOSTROPHES = new Set([0x27, 0x60, 0xb4, 0x2018, 0x2019, 0x02bc]);

/**
 * Supplier names as upper-case words: accents dropped, "&" and "+" read as AND, apostrophes dropped
 * ("Barnardo's" = "BARNARDOS"), dotted initials joined ("C.I.C." = "CIC"), any other punctuation a
 * single space, finance systems' abbreviations expanded ("TRST" = "TRUST"). The name rules read this form;
 * the supplier key is this form without legal forms and account tags.
 */
export function nameWords(name: string): string {
  let s = name;
  // Some published files carry undecoded escapes such as "BARNARDO\xB4S".
  if (s.includes("\\x")) s = s.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (/[^\x20-\x7e]/.test(s)) s = s.replace(/[\u00b4\u2018\u2019\u02bc]/g, "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  let out = "";
  let space = false;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) {
      if (space && out.length > 0) out += " ";
      space = false;
      out += c >= 97 ? String.fromCharCode(c - 32) : s[i];
    } else if (c === 0x26 || c === 0x2b) {
      out += out.length > 0 ? " AND" : "AND";
      space = true;
    } else if (
      APOSTROPHES.has(c) ||
      (c === 0x2e && isLetter(s.charCodeAt(i - 1)) && !isAlnum(s.charCodeAt(i - 2)) && isLetter(s.charCodeAt(i + 1)) && !isAlnum(s.charCodeAt(i + 2)))
    ) {
      continue;
    } else {
      space = true;
    }
  }
  return out.includes(" ") || ABBREVIATIONS.has(out) ? expandAbbreviations(out) : out;
}

/** Finance systems' abbreviations of the words of organisations' names, read as the words. */
const ABBREVIATIONS = new Map(Object.entries({
  TRST: "TRUST", TRT: "TRUST", SERVS: "SERVICES", SVS: "SERVICES", SVCS: "SERVICES", SRVS: "SERVICES", SVC: "SERVICE", MGT: "MANAGEMENT",
  ASSOC: "ASSOCIATION", ASSOCN: "ASSOCIATION", ASSN: "ASSOCIATION", COMM: "COMMUNITY", CMTY: "COMMUNITY", CTR: "CENTRE",
  CNTR: "CENTRE", CENTER: "CENTRE", CNCL: "COUNCIL", DIST: "DISTRICT", VOL: "VOLUNTARY", GRP: "GROUP", MCR: "MANCHESTER",
  FDN: "FOUNDATION", FNDN: "FOUNDATION", CHTY: "CHARITY", INTL: "INTERNATIONAL", NATL: "NATIONAL", YTH: "YOUTH",
  VOLUNT: "VOLUNTARY", CTTEE: "COMMITTEE", ORGN: "ORGANISATION", PROJ: "PROJECT", DEVT: "DEVELOPMENT", UNIV: "UNIVERSITY", HOSP: "HOSPITAL", COLG: "COLLEGE", COLL: "COLLEGE", COL: "COLLEGE", EDUC: "EDUCATION", BOR: "BOROUGH",
  // The other way: registers and councils write both "Saint" and "St"; the key keeps the short form.
  SAINT: "ST"
}));

function expandAbbreviations(words: string): string {
  const tokens = words.split(" ");
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const full = ABBREVIATIONS.get(tokens[i]!);
    if (full) {
      tokens[i] = full;
      changed = true;
    }
  }
  return changed ? tokens.join(" ") : words;
}

const COMPANY_FORM = /\b(?:LTD|LIMITED|PLC|LLP)$/;

/** Whether a name ends in a company's legal form ("Ltd", "Limited", "PLC", "LLP"). */
export function hasCompanyForm(name: string): boolean {
  return COMPANY_FORM.test(nameWords(name));
}

/** How a payment was made, written into the name: "(DD) Department for ...", "... (Direct Debit Payments)". */
const PAYMENT_METHOD = "(?:DD|D\\/D|DIRECT DEBITS?(?: PAYMENTS?)?|BACS|CHAPS|CHQ|CHEQUE|S\\/O|STANDING ORDER)(?:\\s+ONLY)?";
const LEADING_METHOD = new RegExp(`^\\s*[([]\\s*${PAYMENT_METHOD}\\s*[)\\]]\\s*`, "i");
const TRAILING_METHOD = new RegExp(`\\s*[([]\\s*${PAYMENT_METHOD}\\s*[)\\]]\\s*$`, "i");

/** A code a finance system appends to a supplier's name: "****5215", "*1614*", "#BUPA". */
const APPENDED_CODE = /(?:\s*(?:\*+\s*[A-Za-z0-9]+\s*\**|#\s*[A-Za-z0-9]+))+\s*$/;
/** An account a payment went to, after the name: "RENT A/C", "INVOICE PAYMENTS", "MAIN ACCOUNT". */
const ACCOUNT_TAG = / (?:(?:(?:RENT|MAIN|CLIENT|CURRENT|DEPOSIT|BANK|INVOICES?|PAYMENTS?|SUNDRY|TRADING) )?(?:A C|A CS|ACC|ACCT|ACCOUNT)|INVOICES? PAYMENTS?|PAYMENTS? ACCOUNT)$/;

/** nameWords of a name without an appended code or account tag: the words the name rules read. */
export function ruleWords(name: string): string {
  const bare = name.replace(LEADING_METHOD, "").replace(TRAILING_METHOD, "") || name;
  const code = APPENDED_CODE.exec(bare);
  const words = nameWords(code && code.index > 0 ? bare.slice(0, code.index) : bare);
  const tag = ACCOUNT_TAG.exec(words);
  return tag && tag.index > 3 ? words.slice(0, tag.index) : words;
}

/** Cuts one trailing reference: a bracketed segment or a " - " segment that contains a digit. */
function cutTrailingReference(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  let start = -1;
  if (last === 0x29) start = s.lastIndexOf("(");
  else if (last === 0x5d) start = s.lastIndexOf("[");
  else start = s.lastIndexOf(" -");
  return start > 0 && /\d/.test(s.slice(start)) ? s.slice(0, start).trimEnd() : s;
}

const LEGAL_WORDS = new Set(["LIMITED", "LTD", "PLC", "LLP", "CIC", "CIO", "INC", "INCORPORATED", "THE"]);
const LEGAL_PHRASES = ["COMMUNITY INTEREST COMPANY", "COMMUNITY INTEREST CO", "CHARITABLE INCORPORATED ORGANISATION", "CHARITABLE INCORPORATED ORGANIZATION"];

function cutLegalForm(words: string): string {
  for (const phrase of LEGAL_PHRASES) {
    if (words === phrase) return "";
    if (words.endsWith(` ${phrase}`)) return words.slice(0, -phrase.length - 1);
  }
  const space = words.lastIndexOf(" ");
  return LEGAL_WORDS.has(words.slice(space + 1)) ? words.slice(0, Math.max(space, 0)) : words;
}

/**
 * The key that joins spellings of one supplier: nameWords without a trailing reference in brackets or
 * after " - " that contains a digit ("(inv 123)", "- 2019"), an appended code ("****5215", "#BUPA"), an
 * account tag ("RENT A/C", "INVOICE PAYMENTS"), trailing legal forms ("Ltd",
 * "Limited", "PLC", "LLP", "CIC", "CIO", "Inc", a trailing ", The") and without a leading "The".
 */
export function supplierKey(name: string): string {
  let s = name.replace(LEADING_METHOD, "").replace(TRAILING_METHOD, "").trim() || name.trim();
  for (let previous = ""; previous !== s; ) {
    previous = s;
    s = cutTrailingReference(s);
    const code = APPENDED_CODE.exec(s);
    if (code && code.index > 0) s = s.slice(0, code.index);
  }
  let words = nameWords(s);
  for (let previous = ""; previous !== words; ) {
    previous = words;
    words = cutLegalForm(words);
    const tag = ACCOUNT_TAG.exec(words);
    if (tag && tag.index > 3) words = words.slice(0, tag.index);
  }
  return words.startsWith("THE ") ? words.slice(4) : words;
}

/** "T/A", "T/AS" and "TRADING AS" between an operator's name and the name it trades under. */
const TRADING_AS_SEPARATOR = /\s+(?:T\s*\/\s*AS?|TRADING\s+AS)\s+/i;

/**
 * A name as published split at "T/A" or "TRADING AS" into the operator (the legal person paid) and the
 * name it trades under: "Witherslack Group Ltd T/A Hall Cliffe School" -> operator "Witherslack Group Ltd",
 * trading "Hall Cliffe School". Null when the name has no such separator or either side is empty.
 */
export function tradingNameParts(name: string): {operator: string; trading: string} | null {
  const m = TRADING_AS_SEPARATOR.exec(name);
  if (!m) return null;
  const operator = name.slice(0, m.index).trim();
  const trading = name.slice(m.index + m[0].length).trim();
  return operator && trading ? {operator, trading} : null;
}

/** Words an acronym may skip: "Families and Babies" is FAB or FAAB. */
const MINOR_WORDS = new Set(["AND", "OF", "THE", "FOR", "IN", "ON", "AT", "TO", "A"]);

function initials(words: string[], skipMinor: boolean): string {
  return words.filter((w) => !skipMinor || !MINOR_WORDS.has(w)).map((w) => w[0]).join("");
}

/** Whether a token is the acronym of words (at least three letters, with or without the minor words). */
function isAcronymOf(token: string, words: string[]): boolean {
  if (token.length < 3 || !/^[A-Z]+$/.test(token) || words.length < 2) return false;
  return token === initials(words, false) || token === initials(words, true);
}

/**
 * A key without an acronym that spells out the rest of it: "CGL CHANGE GROW LIVE" -> "CHANGE GROW LIVE",
 * "FAMILIES AND BABIES FAB" -> "FAMILIES AND BABIES"; null when the key has no such acronym at either end.
 * Only the spelled-out words are kept: an acronym alone names many bodies.
 */
export function withoutAcronym(key: string): string | null {
  const words = key.split(" ");
  if (words.length < 3) return null;
  let rest = words.slice(1);
  if (!isAcronymOf(words[0]!, rest)) {
    rest = words.slice(0, -1);
    if (!isAcronymOf(words[words.length - 1]!, rest)) return null;
  }
  // As in a key, no leading or trailing "The" ("TAG THE ACTIVE GROUP", "... MUSEUM TRUST THE BMMT").
  if (rest[0] === "THE") rest = rest.slice(1);
  if (rest[rest.length - 1] === "THE") rest = rest.slice(0, -1);
  return rest.length >= 2 ? rest.join(" ") : null;
}

/** A qualifier after a name, with no digit: "(Old Trafford Hub)", ": Talk, Listen, Change", " - Leeds". */
const QUALIFIER = /^(.+?)\s*(?:[([]([^()[\]\d]+)[)\]]|:\s+([^:\d]+)|\s-\s+([^\d]+))\s*$/;
/** The last word of a charity's trading company: "Barnardo Services Ltd" is the charity Barnardo's trading. */
const SUBSIDIARY = / (?:SERVICES|TRADING|TRADING COMPANY|ENTERPRISES)$/;

/**
 * Other keys under which a register may list a supplier, for when its own key finds nothing: the
 * operator's and the trading name's keys of a "T/A" name; a key without an acronym that only repeats
 * the words beside it; the name without a qualifier after it, and the qualifier alone when it is a name of
 * two words or more. Never the key itself; no duplicates.
 */
export function keyVariants(name: string): string[] {
  const key = supplierKey(name);
  const out: string[] = [];
  const add = (k: string | null) => {
    if (k && k !== key && !out.includes(k)) out.push(k);
  };
  add(withoutAcronym(key));
  const parts = tradingNameParts(name);
  if (parts) {
    for (const part of [parts.operator, parts.trading]) {
      const k = supplierKey(part);
      add(k);
      add(withoutAcronym(k));
    }
  }
  const q = QUALIFIER.exec(name.trim());
  if (q) {
    add(supplierKey(q[1]!));
    const qualifier = supplierKey(q[2] ?? q[3] ?? q[4] ?? "");
    if (qualifier.includes(" ")) add(qualifier);
  }
  return out;
}

/**
 * The charity a trading company's name may stand for: the name before the word that marks a charity's trading
 * company, as written and as a possessive ("Barnardo Services Ltd (Essex)" -> "BARNARDO", "BARNARDOS").
 */
export function tradingCompanyHeads(name: string): string[] {
  const q = QUALIFIER.exec(name.trim());
  const out: string[] = [];
  for (const k of [supplierKey(name), q ? supplierKey(q[1]!) : null]) {
    const head = k && tradingCompanyHead(k);
    if (!head) continue;
    for (const h of head.endsWith("S") ? [head] : [head, `${head}S`]) if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** The name before the word that marks a charity's trading company ("BARNARDO SERVICES" -> "BARNARDO"); null without one. */
export function tradingCompanyHead(key: string): string | null {
  const sub = SUBSIDIARY.exec(key);
  return sub && sub.index >= 6 ? key.slice(0, sub.index) : null;
}
