import {createHash} from "node:crypto";
import {readFileSync, statSync} from "node:fs";

/** What a published file was when it was written: its size and content hash, kept in state.json. */
export interface FileCheck {
  bytes: number;
  sha256: string;
}

export function fileCheck(path: string): FileCheck {
  const bytes = readFileSync(path);
  return {bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex")};
}

/** Why a file is not what was written (missing, truncated or grown, altered), or undefined when it is. */
export function damage(path: string, expected: FileCheck): string | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return "missing";
  }
  if (size < expected.bytes) return `truncated: ${size} of ${expected.bytes} bytes`;
  if (size > expected.bytes) return `grown: ${size} bytes, written as ${expected.bytes}`;
  if (fileCheck(path).sha256 !== expected.sha256) return "altered: its sha256 is not the one written";
  return undefined;
}
