import iconv from "iconv-lite";
import * as zlib from "node:zlib";
import {ReadError} from "./read-error.ts";

export interface ZipLimits {
  maxEntryBytes?: number;
  maxTotalBytes?: number;
  maxEntries?: number;
}

/** An entry as the archive's central directory declares it. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

const GIB = 1024 * 1024 * 1024;
export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = {maxEntryBytes: GIB, maxTotalBytes: 2 * GIB, maxEntries: 1000};

/** Unpacks the files in a ZIP archive, refusing damaged archives, unsafe names and ZIP bombs. */
export function readZip(bytes: Uint8Array, name: string, limits?: ZipLimits): {name: string; bytes: Uint8Array}[] {
  return listZip(bytes, name, limits).map((entry) => ({name: entry.name, bytes: unpack(bytes, name, entry)}));
}

/**
 * Reads and checks the central directory without unpacking anything: the files (not folders, not macOS
 * resource forks) with their declared sizes, after refusing what readZip would refuse before inflating.
 */
export function listZip(bytes: Uint8Array, name: string, limits?: ZipLimits): ZipEntryInfo[] {
  const {maxEntryBytes, maxTotalBytes, maxEntries} = {...DEFAULT_ZIP_LIMITS, ...limits};
  const fail = (reason: string): never => {
    throw new ReadError(name, reason);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : fail("ZIP archive is truncated"));
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : fail("ZIP archive is truncated"));
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;

  const eocd = findEndOfCentralDirectory(bytes, view);
  if (eocd < 0) fail("not a complete ZIP archive (no end-of-archive record: truncated or damaged)");
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) fail("multi-part (spanned) ZIP archives are not supported");
  let count = u16(eocd + 10);
  let directorySize = u32(eocd + 12);
  let offset = u32(eocd + 16);
  if (eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
    const zip64 = u64(eocd - 12);
    if (u32(zip64) !== 0x06064b50) fail("damaged ZIP64 end-of-archive record");
    count = u64(zip64 + 32);
    directorySize = u64(zip64 + 40);
    offset = u64(zip64 + 48);
  }
  if (count > maxEntries) fail(`ZIP archive has ${count} entries, more than the limit of ${maxEntries}`);
  if (offset + directorySize > bytes.length) fail("ZIP archive is truncated (central directory missing)");

  const entries: ZipEntryInfo[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (u32(offset) !== 0x02014b50) fail(`damaged ZIP central directory (entry ${i + 1})`);
    const flags = u16(offset + 8);
    const method = u16(offset + 10);
    const crc = u32(offset + 16);
    let compressedSize = u32(offset + 20);
    let size = u32(offset + 24);
    const nameLength = u16(offset + 28);
    const extraLength = u16(offset + 30);
    const commentLength = u16(offset + 32);
    let localOffset = u32(offset + 42);
    const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
    const entryName = decodeName(nameBytes, (flags & 0x800) !== 0);
    // ZIP64 keeps the real values in extra field 0x0001, in this order, for each one saturated above.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = u16(extra);
      const length = u16(extra + 2);
      if (id === 0x0001) {
        let at = extra + 4;
        if (size === 0xffffffff) {
          size = u64(at);
          at += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(at);
          at += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(at);
      }
      extra += 4 + length;
    }
    offset = extraEnd + commentLength;

    const path = entryName.replace(/\\/g, "/");
    if (path.includes("\0")) fail(`ZIP entry name contains a NUL character: ${JSON.stringify(entryName)}`);
    if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) fail(`ZIP entry has an absolute path: ${entryName}`);
    if (path.split("/").includes("..")) fail(`ZIP entry climbs out of the archive with "..": ${entryName}`);
    if (path.endsWith("/") || path.split("/")[0] === "__MACOSX") continue;

    if (flags & 0x1) fail(`ZIP entry ${entryName} is encrypted`);
    if (method !== 0 && method !== 8) fail(`ZIP entry ${entryName} uses unsupported compression method ${method}`);
    if (size > maxEntryBytes) {
      fail(`ZIP entry ${entryName} would unpack to ${size} bytes, over the limit of ${maxEntryBytes} (ZIP bomb?)`);
    }
    total += size;
    if (total > maxTotalBytes) {
      fail(`ZIP archive would unpack to more than ${maxTotalBytes} bytes in all (ZIP bomb?)`);
    }
    if (u32(localOffset) !== 0x04034b50) fail(`damaged ZIP archive: no local header for ${entryName}`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) fail(`ZIP archive is truncated inside ${entryName}`);
    entries.push({name: path, method, crc, compressedSize, size, dataStart});
  }
  return entries;
}

function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number {
  // The record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes[at] === 0x50 && view.getUint32(at, true) === 0x06054b50) return at;
  }
  return -1;
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  } catch {
    // Without the UTF-8 flag, names are in the IBM PC code page.
    return utf8Flag
      ? new TextDecoder("utf-8").decode(bytes)
      : iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "cp437");
  }
}

/**
 * Inflates with zlib capped at the declared size, so an entry that lies about its size is stopped as soon as
 * it overflows, instead of after inflating all of it.
 */
function unpack(archive: Uint8Array, file: string, entry: ZipEntryInfo): Uint8Array {
  const fail = (reason: string): never => {
    throw new ReadError(file, `ZIP entry ${entry.name}: ${reason}`);
  };
  const data = archive.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let out: Uint8Array = data;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail("stored size does not match declared size");
  } else {
    try {
      out = zlib.inflateRawSync(data, {maxOutputLength: Math.max(1, entry.size), finishFlush: zlib.constants.Z_SYNC_FLUSH});
    } catch (error) {
      if ((error as {code?: string}).code === "ERR_BUFFER_TOO_LARGE") {
        fail(`unpacks to more than its declared ${entry.size} bytes (ZIP bomb or damaged archive)`);
      }
      fail(`damaged compressed data (${error instanceof Error ? error.message : String(error)})`);
    }
    if (out.length !== entry.size) fail(`unpacked ${out.length} bytes, but ${entry.size} were declared`);
  }
  if (crc32(out) !== entry.crc) fail("checksum mismatch (damaged archive)");
  return out;
}

let crcTable: Uint32Array | undefined;

/** zlib.crc32 is native but only in Node 20.15 and later. */
function crc32(bytes: Uint8Array): number {
  if (typeof zlib.crc32 === "function") return zlib.crc32(bytes) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
