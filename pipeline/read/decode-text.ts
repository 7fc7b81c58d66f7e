import iconv from "iconv-lite";

type CodePage = "windows-1252" | "cp850";

interface Run {
  start: number;
  end: number;
  utf8: boolean;
}

/**
 * Turns a text file's bytes into a string, saying which encoding it used.
 * Councils' files come from spreadsheets saved on Windows (Windows-1252), from DOS-era finance systems
 * (code page 850, where £ is byte 0x9C) and from files stitched together from both.
 */
export function decodeText(bytes: Uint8Array): {text: string; encoding: string} {
  const decoded = decodeBytes(bytes);
  return BYTE_ESCAPE.test(decoded.text) ? {text: unescapeBytes(decoded.text), encoding: `${decoded.encoding}+escaped-bytes`} : decoded;
}

function decodeBytes(bytes: Uint8Array): {text: string; encoding: string} {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    const text = strictUtf8(body);
    return text === null ? decodeEightBit(body) : {text, encoding: "utf-8-bom"};
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le"};
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return {text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be"};
  }
  // Checked before UTF-8 because ASCII padded with NULs is valid UTF-8.
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return {text: new TextDecoder(utf16).decode(bytes), encoding: utf16};
  const text = strictUtf8(bytes);
  return text === null ? decodeEightBit(bytes) : {text, encoding: "utf-8"};
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", {fatal: true, ignoreBOM: true}).decode(bytes);
  } catch {
    return null;
  }
}

/** ASCII text saved as UTF-16 has a NUL in every other byte, next to a printable character. */
function utf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 16) return null;
  const pairs = n / 2;
  for (const [zero, other, name] of [[1, 0, "utf-16le"], [0, 1, "utf-16be"]] as const) {
    let zeros = 0;
    let printable = 0;
    let otherZeros = 0;
    for (let i = 0; i < n; i += 2) {
      if (bytes[i + other] === 0) otherZeros++;
      if (bytes[i + zero] !== 0) continue;
      zeros++;
      const b = bytes[i + other]!;
      if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
    }
    if (zeros > pairs * 0.4 && otherZeros < pairs * 0.02 && printable > zeros * 0.9) return name;
  }
  return null;
}

/** Splits at line breaks and keeps each line that is valid UTF-8 as UTF-8, so a file appended to in another editor still reads. */
function decodeEightBit(bytes: Uint8Array): {text: string; encoding: string} {
  // One char per byte; the code page then only has to fix the bytes above 0x7F.
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const runs = classifyLines(bytes);
  const codePage = chooseCodePage(latin1, runs);
  if (!runs.some((run) => run.utf8)) return {text: apostrophes(fromCodePage(latin1, codePage)), encoding: codePage};
  const utf8 = new TextDecoder("utf-8", {ignoreBOM: true});
  const parts = runs.map((run) =>
    run.utf8 ? utf8.decode(bytes.subarray(run.start, run.end)) : fromCodePage(latin1.slice(run.start, run.end), codePage)
  );
  return {text: apostrophes(parts.join("")), encoding: `mixed:utf-8+${codePage}`};
}

/** Consecutive lines with the same verdict form one run; pure-ASCII lines join whichever run they are in. */
function classifyLines(bytes: Uint8Array): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  let lineStart = 0;
  let highBit = false;
  const n = bytes.length;
  for (let i = 0; i <= n; i++) {
    const b = i < n ? bytes[i]! : 0x0a;
    if (b >= 0x80) {
      highBit = true;
    } else if (b === 0x0a || b === 0x0d) {
      const end = Math.min(i + 1, n);
      if (highBit) {
        const utf8 = isUtf8(bytes, lineStart, i);
        if (current && current.utf8 === utf8) {
          current.end = end;
        } else {
          if (current) current.end = lineStart;
          current = {start: current ? lineStart : 0, end, utf8};
          runs.push(current);
        }
      } else if (current) {
        current.end = end;
      }
      lineStart = end;
      highBit = false;
    }
  }
  if (current) current.end = n;
  else runs.push({start: 0, end: n, utf8: false});
  return runs;
}

function isUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= end) return false;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return false;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

/**
 * Code page 850 puts £ at 0x9C, where Windows-1252 has œ (a letter inside French words).
 * A 0x9C before a digit or away from letters, with no Windows-1252 £ (0xA3) anywhere, means code page 850.
 */
function chooseCodePage(latin1: string, runs: Run[]): CodePage {
  let poundLike = 0;
  for (const run of runs) {
    if (run.utf8) continue;
    const pound = latin1.indexOf("\xa3", run.start);
    if (pound >= 0 && pound < run.end) return "windows-1252";
    for (let at = latin1.indexOf("\x9c", run.start); at >= 0 && at < run.end; at = latin1.indexOf("\x9c", at + 1)) {
      const next = latin1.charCodeAt(at + 1);
      const prev = latin1.charCodeAt(at - 1);
      if (isDigit(next) || (!isLetter(prev) && !isLetter(next))) poundLike++;
    }
  }
  return poundLike > 0 ? "cp850" : "windows-1252";
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80;
}

const upperHalves = new Map<CodePage, string>();

/** Windows-1252 differs from Latin-1 only in 0x80-0x9F; code page 850 in the whole upper half. */
function fromCodePage(latin1: string, codePage: CodePage): string {
  let upper = upperHalves.get(codePage);
  if (upper === undefined) {
    const half = Buffer.from(Array.from({length: 128}, (_, i) => 0x80 + i));
    upper = iconv.decode(half, codePage);
    upperHalves.set(codePage, upper);
  }
  const table = upper;
  const pattern = codePage === "windows-1252" ? /[\x80-\x9f]/g : /[\x80-\xff]/g;
  return latin1.replace(pattern, (c) => table[c.charCodeAt(0) - 0x80]!);
}

/** A byte above 0x7F written out as the four characters `\xB4` by an export that could only write ASCII. */
const BYTE_ESCAPE = /\\x[89a-fA-F][0-9a-fA-F]/;
const BYTE_ESCAPES = new RegExp(BYTE_ESCAPE.source, "g");

/** Whether bytes hold an escaped byte (ASCII text, so its bytes can be searched directly). */
export function hasByteEscapes(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf("\\x"); at >= 0; at = buffer.indexOf("\\x", at + 1)) {
    if (BYTE_ESCAPE.test(buffer.toString("latin1", at, at + 4))) return true;
  }
  return false;
}

/**
 * Puts each escaped byte back as the character of the file's code page, chosen from the escapes the way it is
 * chosen from raw bytes.
 */
function unescapeBytes(text: string): string {
  const escapes = [...text.matchAll(BYTE_ESCAPES)];
  const contexts = escapes
    .map((m) => `${text[m.index - 1] ?? " "}${String.fromCharCode(parseInt(m[0].slice(2), 16))}${text[m.index + 4] ?? " "}`)
    .join("\n");
  const codePage = chooseCodePage(contexts, [{start: 0, end: contexts.length, utf8: false}]);
  const unescaped = text.replace(BYTE_ESCAPES, (escape) => fromCodePage(String.fromCharCode(parseInt(escape.slice(2), 16)), codePage));
  return apostrophes(unescaped);
}

/**
 * A spacing acute accent, in text from an 8-bit code page, is an apostrophe typed on a keyboard that lacked one
 * ("ST PETER\u00b4S", "MOVE \u00b4N\u00b4 SMOOTH"): read as one, the name matches its spelling in other files.
 */
function apostrophes(text: string): string {
  return text.replaceAll("\u00b4", "'");
}
