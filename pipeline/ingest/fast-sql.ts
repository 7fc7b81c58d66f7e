/**
 * SQL fragments for the fast path (fast-ingest.ts): splitting a text into lines and cells, and the tests on
 * a row that DuckDB can run without JavaScript. Each one matches, character for character, what the
 * JavaScript reader and conform do, or is a superset that sends doubtful rows back to them.
 */

/** JavaScript's whitespace (String.prototype.trim, \s): RE2's \s and DuckDB's trim() know fewer. */
const SPACE_CODES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff
];

/** An RE2 character class body (no brackets) for one code point. */
const re2 = (code: number) => `\\x{${code.toString(16)}}`;
const SPACE_CLASS = SPACE_CODES.map(re2).join("");
/** The whitespace characters as one SQL string, for trim(x, characters). */
const SPACE_CHARS = `'${String.fromCodePoint(...SPACE_CODES)}'`;

/**
 * String.prototype.trim() of a VARCHAR expression (not NULL). DuckDB's trim with a character set is slow,
 * so it runs only on the few values whose first or last character (code point) is whitespace.
 */
export function jsTrim(expr: string): string {
  const edge = (i: number) => `contains(${SPACE_CHARS}, ${expr}[${i}])`;
  return `CASE WHEN ${expr} = '' THEN ${expr} WHEN ${edge(1)} OR ${edge(-1)} THEN trim(${expr}, ${SPACE_CHARS}) ELSE ${expr} END`;
}

/** Whether a VARCHAR expression is empty after trim() (NULL counts as empty, like a missing cell). */
export function jsBlank(expr: string): string {
  return `regexp_full_match(coalesce(${expr}, ''), '[${SPACE_CLASS}]*')`;
}

/**
 * The physical lines of each file of a table (f INTEGER, content BLOB of UTF-8) as (f, n, line): n counts
 * from 1 like CsvRecord.line, one CR before the LF is dropped (as the reader drops CRLF), and a final line
 * end does not start another line.
 */
export function linesSql(table: string): string {
  return `
    SELECT f, n, CASE WHEN suffix(line, chr(13)) THEN left(line, length(line) - 1) ELSE line END AS line
    FROM (SELECT f, generate_subscripts(l, 1) AS n, unnest(l) AS line, len(l) AS total FROM (SELECT f, string_split(decode(content), chr(10)) AS l FROM ${table}))
    WHERE NOT (n = total AND line = '')`;
}

/**
 * SQL for splitting a line (a column `line`, beside a column `quoted` = contains(line, '"')) into cells, and
 * for whether the line is "regular": each field either unquoted (not starting with a quote, no delimiter) or
 * fully quoted with doubled inner quotes and followed by a delimiter or the line end. The reader
 * (parse-csv.ts) splits a regular line without CR into exactly these cells, as one record; a file with any
 * other line is left to it. `cells` keeps each quoted line's fields with their leading delimiter and quotes
 * (regexp_extract_all is much faster without a capture group): `cell` reads one field from it. `blank` is
 * conform's isBlank for a regular line: every field empty but for whitespace (quoted or not).
 */
export function cellsSql(delimiter: string): {cells: string; regular: string; blank: string; cell: (index: string) => string} {
  const code = delimiter.charCodeAt(0);
  const d = re2(code);
  const field = `(?:"(?:[^"]|"")*"|[^${d}"][^${d}]*|)`;
  const blankField = `(?:"[${SPACE_CLASS}]*"|[${SPACE_CLASS}]*)`;
  return {
    cells: `CASE WHEN quoted THEN regexp_extract_all(chr(${code}) || line, '${d}${field}') ELSE string_split(line, chr(${code})) END`,
    regular: `CASE WHEN quoted THEN regexp_full_match(line, '${field}(?:${d}${field})*') ELSE true END`,
    blank: `regexp_full_match(line, '${blankField}(?:${d}${blankField})*')`,
    cell: (index) => `CASE WHEN quoted THEN ${unquote(`cells[${index}][2:]`)} ELSE coalesce(cells[${index}], '') END`
  };
}

/** A field as the reader gives it: without its quotes, doubled quotes single. */
function unquote(x: string): string {
  return `CASE WHEN starts_with(${x}, '"') THEN replace(${x}[2:-2], '""', '"') ELSE coalesce(${x}, '') END`;
}

const SIMPLE_AMOUNT = `^[ \\t]*(-?)([0-9]{1,13})(?:\\.([0-9]{1,2}))?[ \\t]*$`;

/**
 * An amount in the plainest form ("1234.5", " -12.00 ") as integer pence, exactly as parseAmount reads it;
 * NULL for any other text, which JavaScript then reads (thirteen digits keep pence a safe integer).
 * `parts` names a column holding amountPartsSql of the cell.
 */
export function amountPartsSql(cell: string): string {
  return `regexp_extract(${cell}, '${SIMPLE_AMOUNT}', ['sign', 'whole', 'frac'])`;
}

export function simpleAmountSql(parts: string): string {
  const part = (name: string) => `struct_extract(${parts}, '${name}')`;
  return `CASE WHEN ${part("whole")} <> '' THEN
    (${part("whole")}::BIGINT * 100 + rpad(${part("frac")}, 2, '0')::BIGINT) * CASE ${part("sign")} WHEN '-' THEN -1 ELSE 1 END END`;
}

/**
 * Whether conform's isTotalsRow might say yes: a superset (any "total" in the first, date or supplier cell,
 * or no date, period nor supplier at all), so that those rows are left to conform itself.
 */
export function maybeTotalsSql(first: string, date: string, period: string, supplier: string): string {
  const total = (x: string) => `contains(lower(coalesce(${x}, '')), 'total')`;
  return `(${total(first)} OR ${total(date)} OR ${total(supplier)} OR (${jsBlank(date)} AND ${jsBlank(period)} AND ${jsBlank(supplier)}))`;
}
