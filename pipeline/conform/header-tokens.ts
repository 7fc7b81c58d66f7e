import {normaliseHeader} from "./header-names.ts";

/**
 * Short forms finance systems write into column names, as the words they stand for: "Strgrpcc" is a structure
 * group's cost centre, "Cipfsubs" a CIPFA subjective (the expense type), "A/C" an account.
 */
const ABBREVIATIONS: Record<string, string[]> = {
  cc: ["cost", "centre"], ccentre: ["cost", "centre"], grp: ["group"], str: ["structure"], struct: ["structure"],
  cipf: ["cipfa"], cipfa: ["cipfa"], subs: ["subjective"], subjective: ["subjective"], acct: ["account"], acc: ["account"], ac: ["account"],
  descr: ["description"], descript: ["description"], dir: ["directorate"], serv: ["service"], srv: ["service"], svc: ["service"],
  exp: ["expense"], pmt: ["payment"], txn: ["transaction"], supp: ["supplier"], cred: ["creditor"], benef: ["beneficiary"],
  nom: ["nominal"], nl: ["nominal", "ledger"], comp: ["company"], regn: ["registration"], cat: ["category"], num: ["number"], org: ["organisation"], vend: ["vendor"], inv: ["invoice"]
};

/** Words a run-together token may be made of, besides the field words the caller knows. */
const COMMON = ["ex", "excl", "inc", "incl", "code", "id", "type", "name", "date", "vat", "tax", "year", "address", "postcode", "group", "level", "text", "label", "element", "cost", "centre"];

/** A header's last word that names the text behind a code: "Account Code Description" is a description, not a code. */
const DESCRIBES = new Set(["description", "desc", "descr", "descript", "label", "text", "name"]);
const CODE_WORDS = new Set(["id", "code", "no", "number"]);

export interface HeaderTokens {
  tokens: string[];
  /** The column is the text behind a code ("Supplier ID(T)", "Cost Centre Code Description"): code words dropped. */
  text: boolean;
}

/**
 * A header cell as the words it means: normalised, a trailing "(T)" text marker taken off, single letters run
 * together ("G/L" -> "gl"), and tokens no list knows split into known words and short forms ("strgrpcc" ->
 * structure group cost centre). `known` says whether a token is a word the caller scores.
 */
export function headerTokens(header: string, known: (token: string) => boolean): HeaderTokens {
  // A currency sign is a word: "£" or "Total £" names an amount in pounds.
  let tokens = normaliseHeader(header.replace(/[£€]/g, " gbp ")).split(" ").filter(Boolean);
  let text = false;
  if (tokens.length > 1 && tokens.at(-1) === "t") {
    tokens = tokens.slice(0, -1);
    text = true;
  }
  tokens = joinLetters(tokens).flatMap((t) => (known(t) ? [t] : expand(t, known)));
  if (tokens.length > 1 && DESCRIBES.has(tokens.at(-1)!) && tokens.slice(0, -1).some((t) => CODE_WORDS.has(t))) text = true;
  return {tokens: text ? tokens.filter((t) => !CODE_WORDS.has(t)) : tokens, text};
}

/** "g l description" -> "gl description": an abbreviation written with slashes or dots. */
function joinLetters(tokens: string[]): string[] {
  const out: string[] = [];
  let run = "";
  for (const t of tokens) {
    if (/^[a-z]$/.test(t)) {
      run += t;
      continue;
    }
    if (run) out.push(run);
    run = "";
    out.push(t);
  }
  if (run) out.push(run);
  return out;
}

/** An unknown token as its short form's words, or split into the fewest known pieces; as it is if neither works. */
function expand(token: string, known: (token: string) => boolean): string[] {
  const word = (piece: string): string[] | null => {
    if (ABBREVIATIONS[piece]) return ABBREVIATIONS[piece]!;
    if (known(piece) || COMMON.includes(piece)) return [piece];
    // A plural of a known word ("amounts", "payments").
    if (piece.length > 3 && piece.endsWith("s") && (known(piece.slice(0, -1)) || COMMON.includes(piece.slice(0, -1)))) return [piece.slice(0, -1)];
    return null;
  };
  const whole = word(token);
  if (whole) return whole;
  // best[i]: the words of the fewest pieces covering token[0, i).
  const best: ({words: string[]; pieces: number} | null)[] = [{words: [], pieces: 0}];
  for (let i = 1; i <= token.length; i++) {
    best[i] = null;
    for (let j = Math.max(0, i - 12); j <= i - 2; j++) {
      const head = best[j];
      const piece = head ? word(token.slice(j, i)) : null;
      if (head && piece && (best[i] === null || head.pieces + 1 < best[i]!.pieces)) best[i] = {words: [...head.words, ...piece], pieces: head.pieces + 1};
    }
  }
  return best[token.length]?.words ?? [token];
}
