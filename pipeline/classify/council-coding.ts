import {sqlLiteral} from "../sql.ts";
import type {Classification} from "../types.ts";

/**
 * A council's own coding of what it paid. CIPFA's SeRCOP subjective lines name who a third-party payment
 * went to ("Third party payments relating to Voluntary Organisations", "Payments to other Local
 * Authorities", "Levies"), and councils' expense types, purposes and cost centres carry the same words
 * ("Grants to Vol Orgs", "Cont Vol Bodies", "Residential Care Voluntary Spot"). For a supplier whose name no
 * rule or register reads, most of its pounds under such a line is weak evidence of its sector. The evidence
 * is a supplier's within one council, over all its payments there, so it is applied where the whole store
 * is read (the counted payments of pipeline/compact/query.ts), never to one file's rows.
 *
 * Patterns are tested against codingWords(text) in JavaScript and the same words in SQL (codingWordsSql);
 * they are written for both engines (RE2 and JavaScript read them alike).
 */
export const CODING_PATTERNS: readonly {sector: "vcse" | "public"; pattern: string}[] = [
  {
    sector: "vcse",
    pattern:
      "\\b(?:VOL|VOLUNTARY) (?:ORG|ORGS|ORGANISATIONS?|ORGANIZATIONS?|BODY|BODIES|ASSOC|ASSOCS|ASSOCIATIONS?|SECTOR|SECT|GROUPS?|AGENCY|AGENCIES|SPOT|BLOCK)\\b" +
      "|\\bTHIRD SECTOR\\b|\\bCOMMUNITY AND VOLUNTARY\\b|\\bVC(?:F)?SE?\\b|\\bCHARITIES\\b|\\bCHARITABLE (?:BODIES|ORGANI[SZ]ATIONS?|DONATIONS?)\\b"
  },
  {
    sector: "public",
    pattern:
      "\\bOTHER (?:LOCAL AUTHORIT(?:Y|IES)|LAS?|LA S|COUNCILS|PUBLIC BODIES)\\b|\\bPAYMENTS? TO (?:LOCAL AUTHORIT(?:Y|IES)|LAS?|LA S)\\b" +
      "|\\bHEALTH AUTHORIT(?:Y|IES)\\b|\\bCCGS?\\b|\\b(?:GOVERNMENT|GOVT) (?:DEPARTMENTS?|DEPTS?)\\b|\\bJOINT (?:AUTHORIT(?:Y|IES)|BOARDS?|COMMITTEES?)\\b" +
      "|\\bPRECEPTS?\\b|^LEV(?:Y|IES)$|\\b(?:TRANSPORT|WASTE|FLOOD|DRAINAGE|ENVIRONMENT AGENCY) LEV(?:Y|IES)\\b"
  }
];

/** The share of a supplier's pounds (by size: credit notes count too) that must be under one sector's lines. */
export const CODED_SHARE = 0.5;
export const CODING_CONFIDENCE = 0.5;

/** The coding columns of a payment, each tested on its own. */
export const CODING_COLUMNS = ["expense_type", "purpose", "service"] as const;

/** Upper case, "&" as AND, anything but letters and digits as one space. */
export function codingWords(text: string): string {
  return text.toUpperCase().replaceAll("&", " AND ").replace(/[^A-Z0-9]+/g, " ").trim();
}

const COMPILED = CODING_PATTERNS.map((c) => ({sector: c.sector, pattern: new RegExp(c.pattern)}));

/** The sector a payment's coding names, or null: the first pattern met by any of its coding texts. */
export function codedSector(texts: readonly (string | null | undefined)[]): "vcse" | "public" | null {
  const words = texts.filter((t): t is string => !!t).map(codingWords);
  return COMPILED.find(({pattern}) => words.some((w) => pattern.test(w)))?.sector ?? null;
}

/** A supplier's classification from its payments' coding: the sector most of its pounds are coded to, or null. */
export function codingClassification(payments: readonly {texts: readonly (string | null | undefined)[]; pounds: number}[]): Classification | null {
  let total = 0;
  const coded = new Map<string, {pounds: number; text: string; most: number}>();
  for (const p of payments) {
    const size = Math.abs(p.pounds);
    total += size;
    const sector = codedSector(p.texts);
    if (!sector) continue;
    const c = coded.get(sector) ?? {pounds: 0, text: "", most: -1};
    c.pounds += size;
    if (size > c.most) Object.assign(c, {most: size, text: p.texts.find((t) => t && codedSector([t]) === sector) ?? ""});
    coded.set(sector, c);
  }
  for (const [sector, c] of coded) {
    if (total > 0 && c.pounds >= CODED_SHARE * total) return coding(sector as "vcse" | "public", c.text);
  }
  return null;
}

function coding(sector: "vcse" | "public", text: string): Classification {
  return {sector, kind: null, basis: "council_coding", confidence: CODING_CONFIDENCE, matched_id: text};
}

const codingWordsSql = (column: string) =>
  `trim(regexp_replace(replace(upper(coalesce(${column}, '')), '&', ' AND '), '[^A-Z0-9]+', ' ', 'g'))`;

/**
 * SQL over a relation of payments with their classification: the same rows, with each supplier that is
 * "unknown" in a council given the sector its coding names (codingClassification's rule, per council and
 * supplier key, over its unknown payments). The coding text recorded is the one of its largest coded payment.
 */
export function withCouncilCoding(payments: string): string {
  const matches = (pattern: string, col: string) => `regexp_matches(${codingWordsSql(`t.${col}`)}, ${sqlLiteral(pattern)})`;
  // Per pattern, the first coding column that meets it (null when none does).
  const textColumns = CODING_PATTERNS.map(
    (c, i) => `CASE ${CODING_COLUMNS.map((col) => `WHEN ${matches(c.pattern, col)} THEN t.${col}`).join(" ")} END AS text_${i}`
  );
  const codedSectorSql = `CASE ${CODING_PATTERNS.map((c, i) => `WHEN text_${i} IS NOT NULL THEN '${c.sector}'`).join(" ")} END`;
  const codedTextSql = `coalesce(${CODING_PATTERNS.map((_, i) => `text_${i}`).join(", ")})`;
  // The relation is read twice, not held: once for its unknown suppliers' payments (few), once to label them.
  return `
    WITH unknown_payments AS MATERIALIZED (
      SELECT council_code, supplier_key, ${CODING_COLUMNS.join(", ")}, abs(amount_pence) AS size
      FROM ${payments} WHERE sector = 'unknown' AND supplier_key <> ''
    ),
    unknown_texts AS (SELECT DISTINCT ${CODING_COLUMNS.join(", ")} FROM unknown_payments),
    text_matches AS (SELECT t.*, ${textColumns.join(", ")} FROM unknown_texts t),
    text_sectors AS (SELECT ${CODING_COLUMNS.join(", ")}, ${codedSectorSql} AS coded_sector, ${codedTextSql} AS coded_text FROM text_matches),
    supplier_coding AS (
      SELECT p.council_code, p.supplier_key, ts.coded_sector, sum(p.size) AS size, arg_max(ts.coded_text, p.size) AS coded_text
      FROM unknown_payments p JOIN text_sectors ts ON ${CODING_COLUMNS.map((col) => `p.${col} IS NOT DISTINCT FROM ts.${col}`).join(" AND ")}
      GROUP BY ALL
    ),
    coded AS (
      SELECT council_code, supplier_key, coded_sector, coded_text
      FROM (SELECT *, sum(size) OVER (PARTITION BY council_code, supplier_key) AS total FROM supplier_coding)
      WHERE coded_sector IS NOT NULL AND size >= ${CODED_SHARE} * total
    )
    SELECT p.* REPLACE (
      coalesce(c.coded_sector, p.sector) AS sector,
      CASE WHEN c.coded_sector IS NULL THEN p.kind END AS kind,
      CASE WHEN c.coded_sector IS NULL THEN p.basis ELSE 'council_coding' END AS basis,
      CASE WHEN c.coded_sector IS NULL THEN p.confidence ELSE ${CODING_CONFIDENCE} END AS confidence,
      CASE WHEN c.coded_sector IS NULL THEN p.matched_id ELSE c.coded_text END AS matched_id
    )
    FROM ${payments} p LEFT JOIN coded c
      ON p.sector = 'unknown' AND c.council_code = p.council_code AND c.supplier_key = p.supplier_key`;
}
