const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isLetter(c) || (c >= 48 && c <= 57);
const APOSTROPHES = new Set([0x27, 0x60, 0xb4, 0x2018, 0x2019, 0x02bc]);

/**
 * Supplier names as upper-case words: accents dropped, "&" and "+" read as AND, apostrophes dropped
 * ("Barnardo's" = "BARNARDOS"), dotted initials joined ("C.I.C." = "CIC"), any other punctuation a
 * single space. The name rules read this form; the supplier key is this form without legal forms.
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
  return out;
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
 * after " - " that contains a digit ("(inv 123)", "- 2019"), without trailing legal forms ("Ltd",
 * "Limited", "PLC", "LLP", "CIC", "CIO", "Inc", a trailing ", The") and without a leading "The".
 */
export function supplierKey(name: string): string {
  let s = name.trim();
  for (let previous = ""; previous !== s; ) {
    previous = s;
    s = cutTrailingReference(s);
  }
  let words = nameWords(s);
  for (let previous = ""; previous !== words; ) {
    previous = words;
    words = cutLegalForm(words);
  }
  return words.startsWith("THE ") ? words.slice(4) : words;
}
