/**
 * Reads only the zip entries a Shapefile import needs, within a size cap.
 * A zip is a few bytes that can claim (or really hold) gigabytes: inflating
 * every entry, as unzipSync does, let a 1 MB upload grow the server by 1 GB.
 * So: list the central directory (names and declared sizes, nothing inflated),
 * let the caller pick the entries, refuse when their declared sizes add up past
 * the cap, and inflate the picked ones in small steps, counting the real output
 * and stopping the moment an entry outgrows what it declared (declared sizes
 * can lie) or the total passes the cap. Every problem is an ImportError.
 */
import { Inflate } from 'fflate';
import { ImportError } from './importError';
import { unzippedTooLarge } from './limits';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  flags: number;
  compressedSize: number;
  /** Uncompressed size as the central directory declares it. */
  size: number;
  localOffset: number;
}

const corrupt = (detail = 'zip 文件已损坏，无法解压') => new ImportError(400, '文件无法读取', detail);

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const FULL32 = 0xffffffff;

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

function entryName(raw: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return new TextDecoder('gb18030').decode(raw); // Chinese zip tools write GBK names without the UTF-8 flag
    }
  }
  return new TextDecoder().decode(raw);
}

/** The central directory: every entry's name and declared sizes. Nothing is inflated. */
export function zipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === FULL32) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const z = u64(view, eocd - 12);
    if (z + 56 > bytes.length || view.getUint32(z, true) !== ZIP64_EOCD) throw corrupt();
    count = u64(view, z + 32);
    offset = u64(view, z + 48);
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw corrupt();
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > bytes.length) throw corrupt();
    // ZIP64: the sizes and offset that do not fit in 32 bits are in extra field 0x0001, in this order.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength; ) {
      const id = view.getUint16(e, true);
      const length = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let f = e + 4;
        if (size === FULL32 && f + 8 <= e + 4 + length) (size = u64(view, f)), (f += 8);
        if (compressedSize === FULL32 && f + 8 <= e + 4 + length) (compressedSize = u64(view, f)), (f += 8);
        if (localOffset === FULL32 && f + 8 <= e + 4 + length) localOffset = u64(view, f);
      }
      e += 4 + length;
    }
    entries.push({ name: entryName(bytes.subarray(at + 46, nameEnd), (flags & 0x800) !== 0), method, flags, compressedSize, size, localOffset });
    at = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Inflates 8 KiB of input at a time, so one step outputs at most ~8 MB even for a bomb. */
const STEP = 8 * 1024;

/**
 * The contents of the picked entries, inflating at most `maxBytes` in total.
 * 413 (naming the entry) when the declared sizes or the real output pass the cap;
 * 422 when an entry inflates to more than it declared.
 */
export function readZipEntries(bytes: Uint8Array, picked: ZipEntry[], maxBytes: number): Map<ZipEntry, Uint8Array> {
  let declared = 0;
  for (const entry of picked) {
    declared += entry.size;
    if (declared > maxBytes) throw unzippedTooLarge(entry.name, entry.size, maxBytes);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<ZipEntry, Uint8Array>();
  let total = 0;
  for (const entry of picked) {
    if (entry.flags & 0x1) throw new ImportError(400, '文件无法读取', `zip 中的 ${entry.name} 已加密，无法读取`);
    const local = entry.localOffset;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) throw corrupt();
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + entry.compressedSize > bytes.length) throw corrupt();
    const data = bytes.subarray(start, start + entry.compressedSize);
    let content: Uint8Array;
    if (entry.method === 0) {
      if (data.length !== entry.size) throw corrupt(`zip 文件已损坏：${entry.name} 的大小与目录不符`);
      content = data;
    } else if (entry.method === 8) {
      content = inflateBounded(entry, data, maxBytes - total, maxBytes);
    } else {
      throw new ImportError(400, '文件无法读取', `zip 中的 ${entry.name} 使用了不支持的压缩方式（${entry.method}），请用普通 zip（Deflate）重新压缩`);
    }
    total += content.length;
    out.set(entry, content);
  }
  return out;
}

function inflateBounded(entry: ZipEntry, data: Uint8Array, allowance: number, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    length += chunk.length;
    if (length > allowance) throw unzippedTooLarge(entry.name, length, maxBytes);
    if (length > entry.size)
      throw new ImportError(422, 'zip 文件与目录不符', `zip 中的 ${entry.name} 解压后超过目录声明的大小（${entry.size} 字节），文件可能被篡改，已停止解压，未写入任何数据`, [
        { field: 'file', reason: `${entry.name} 解压后大小与声明不符` },
      ]);
    if (chunk.length) chunks.push(chunk);
    finished ||= final;
  });
  try {
    for (let at = 0; at < data.length && !finished; at += STEP) inflater.push(data.subarray(at, at + STEP), at + STEP >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw corrupt();
  }
  if (length !== entry.size) throw corrupt(`zip 文件已损坏：${entry.name} 的大小与目录不符`);
  if (chunks.length === 1) return chunks[0]!;
  const content = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) content.set(c, at), (at += c.length);
  return content;
}
