/** Checks on a downloaded body's bytes: an HTML page served in place of data, a truncated ZIP. */
import type {FileHandle} from "node:fs/promises";
import {looksLikeHtml as looksLikeHtmlText} from "../read/sniff.ts";
import {FetchError} from "./fetch-options.ts";

/** The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes. */
const EOCD_MIN = 22;
const EOCD_SEARCH = 65_535 + EOCD_MIN;

/** ZIP (and XLSX, which is a ZIP): local-file-header magic at the start, end-of-central-directory near the end. */
export async function checkZip(fh: FileHandle, head: Buffer, bytes: number): Promise<void> {
  if (!(head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    throw new FetchError("not a ZIP archive (no PK\\x03\\x04 signature at the start)", false);
  }
  const len = Math.min(bytes, EOCD_SEARCH);
  const tail = Buffer.alloc(len);
  const {bytesRead} = await fh.read(tail, 0, len, bytes - len);
  for (let i = bytesRead - EOCD_MIN; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      const commentLen = tail.readUInt16LE(i + 20);
      if (i + EOCD_MIN + commentLen <= bytesRead) return;
    }
  }
  throw new FetchError("truncated ZIP (no end of central directory)", false);
}

/** A body is an HTML page by the rule the reader applies to a file's text (see read/sniff.ts). */
export function looksLikeHtml(head: Buffer): boolean {
  return looksLikeHtmlText(head.toString("utf8"));
}

/** A body labelled HTML is HTML when it opens with a tag (no data file does); otherwise the label is wrong. */
export function startsWithTag(head: Buffer): boolean {
  return head[textStart(head)] === 0x3c;
}

/** Index of the first byte after an optional UTF-8 BOM and whitespace. */
function textStart(head: Buffer): number {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x0c)) i++;
  return i;
}
