/** One record of a delimited text file, with where it came from so a bad row can be found again. */
export interface CsvRecord {
  cells: string[];
  /** 1-based physical line on which the record starts. */
  line: number;
  /** The record's exact source text, without its line terminator. */
  raw: string;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** A quoted field longer than this is taken to be a quote that was never closed. */
const MAX_QUOTED_LINES = 10_000;
const CANDIDATES = [",", ";", "\t", "|"];
const SAMPLE_LINES = 50;
const SAMPLE_CHARS = 1 << 20;

/**
 * Splits delimited text into records (RFC 4180 quoting, any mix of CR, LF and CRLF line ends).
 * Cells are not trimmed. Blank lines give a record with one empty cell so that row numbers can be counted;
 * a final line end does not start another record.
 */
export function parseCsv(text: string, delimiter: string = detectDelimiter(text)): CsvRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new RangeError(`unusable CSV delimiter ${JSON.stringify(delimiter)}`);
  }
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const records: CsvRecord[] = [];
  let pos = 0;
  let line = 1;
  // Next quote, LF and CR at or after pos (n when none), found with indexOf and kept until passed.
  let nextQuote = -1;
  let nextLf = -1;
  let nextCr = -1;
  while (pos < n) {
    if (nextQuote < pos) nextQuote = indexOrEnd(text, '"', pos);
    if (nextLf < pos) nextLf = indexOrEnd(text, "\n", pos);
    if (nextCr < pos) nextCr = indexOrEnd(text, "\r", pos);
    const lineEnd = nextLf < nextCr ? nextLf : nextCr;
    if (nextQuote > lineEnd) {
      // Most lines have no quote at all: let the engine split them natively.
      const raw = text.slice(pos, lineEnd);
      records.push({cells: raw.split(delimiter), line, raw});
      pos = lineEnd + (lineEnd === nextCr && nextLf === lineEnd + 1 ? 2 : 1);
      line++;
      continue;
    }
    const start = pos;
    const startLine = line;
    const cells: string[] = [];
    // After a runaway quote, the rest of the physical line is read with quotes as plain characters.
    let literal = false;
    let end = n;
    for (;;) {
      let quoted: QuotedField | null = null;
      if (!literal && text.charCodeAt(pos) === QUOTE) {
        quoted = readQuoted(text, pos, d);
        if (!quoted) literal = true;
      }
      if (quoted) {
        cells.push(quoted.value);
        pos = quoted.next;
        line += quoted.lineBreaks;
      } else {
        let i = pos;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === d || c === LF || c === CR) break;
          i++;
        }
        cells.push(text.slice(pos, i));
        pos = i;
      }
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === d) {
        pos++;
        continue;
      }
      end = pos;
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    records.push({cells, line: startLine, raw: text.slice(start, end)});
  }
  return records;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

interface QuotedField {
  value: string;
  /** Index of the delimiter, line end or end of text after the field. */
  next: number;
  lineBreaks: number;
}

/** Reads a quoted field starting at the opening quote; null when the quote looks like it never closes. */
function readQuoted(text: string, open: number, d: number): QuotedField | null {
  const n = text.length;
  let value = "";
  let from = open + 1;
  let lineBreaks = 0;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return null;
    lineBreaks += countLineBreaks(text, from, q, MAX_QUOTED_LINES - lineBreaks);
    if (lineBreaks > MAX_QUOTED_LINES) return null;
    if (text.charCodeAt(q + 1) === QUOTE) {
      value += text.slice(from, q + 1);
      from = q + 2;
      continue;
    }
    value += text.slice(from, q);
    let next = q + 1;
    const c = next < n ? text.charCodeAt(next) : -1;
    if (c === -1 || c === d || c === LF || c === CR) return {value, next, lineBreaks};
    // Text after the closing quote: a quote that spanned lines was most likely paired with the wrong one.
    if (lineBreaks > 0) return null;
    while (next < n) {
      const k = text.charCodeAt(next);
      if (k === d || k === LF || k === CR) break;
      next++;
    }
    return {value: value + text.slice(q + 1, next), next, lineBreaks};
  }
}

/** Counts CR, LF and CRLF line breaks in text[from, to), stopping once past the limit. */
function countLineBreaks(text: string, from: number, to: number, limit: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (text.charCodeAt(i + 1) === LF) i++;
    } else continue;
    if (count > limit) break;
  }
  return count;
}

/**
 * Picks the delimiter whose count per line (outside quotes) is most consistent over the first lines. When
 * `sampled` is given, its `complete` says whether the answer rests on whole lines only, so that a longer
 * text starting with the same characters gets the same answer.
 */
export function detectDelimiter(text: string, sampled?: {complete: boolean}): string {
  const perLine: number[][] = CANDIDATES.map(() => []);
  const current = CANDIDATES.map(() => 0);
  const codes = CANDIDATES.map((c) => c.charCodeAt(0));
  const limit = Math.min(text.length, SAMPLE_CHARS);
  let inQuotes = false;
  let fieldStart = true;
  let content = false;
  let lines = 0;
  const endLine = () => {
    if (content) {
      current.forEach((count, k) => perLine[k]!.push(count));
      lines++;
    }
    current.fill(0);
    content = false;
    fieldStart = true;
  };
  for (let i = 0; i < limit && lines < SAMPLE_LINES; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === LF || c === CR) {
      endLine();
      continue;
    }
    content = true;
    const k = codes.indexOf(c);
    if (k >= 0) {
      current[k]!++;
      fieldStart = true;
      continue;
    }
    if (c === QUOTE && fieldStart) inQuotes = true;
    fieldStart = false;
  }
  if (sampled) sampled.complete = lines >= SAMPLE_LINES;
  if (lines < SAMPLE_LINES) endLine();

  let best = ",";
  let bestFraction = 0;
  let bestMode = 0;
  CANDIDATES.forEach((candidate, k) => {
    const counts = perLine[k]!;
    const tally = new Map<number, number>();
    for (const count of counts) if (count > 0) tally.set(count, (tally.get(count) ?? 0) + 1);
    let mode = 0;
    let modeLines = 0;
    for (const [count, times] of tally) {
      if (times > modeLines || (times === modeLines && count > mode)) {
        mode = count;
        modeLines = times;
      }
    }
    if (mode === 0) return;
    const fraction = modeLines / counts.length;
    if (fraction > bestFraction || (fraction === bestFraction && mode > bestMode)) {
      best = candidate;
      bestFraction = fraction;
      bestMode = mode;
    }
  });
  return best;
}
