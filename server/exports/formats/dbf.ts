/**
 * dBase III (.dbf) attribute table written by hand so text is UTF-8 (declared
 * by the Shapefile's .cpg): Chinese names survive where GDAL's default or
 * older tools would use the system code page. Field names come from the layer
 * registry's `dbf` names (ASCII, ≤ 10 characters).
 *
 * Types: text → C (width in bytes, cut on a character boundary), integer →
 * N(9,0) (GDAL reads ≤ 9 digits as Integer, not Integer64), real → N(24,8), boolean → L, datetime → C(20) ISO 8601 UTC.
 */
import type { ExportField, FieldValue } from '../layers/layer';

interface DbfColumn {
  name: string;
  dbf: string;
  type: 'C' | 'N' | 'L';
  width: number;
  decimals: number;
}

export const DBF_HEADER_FIXED = 32;

export function dbfColumns(fields: readonly ExportField[]): DbfColumn[] {
  return fields.map((f) => {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(f.dbf)) throw new Error(`DBF field name ${f.dbf} is not ASCII ≤ 10 characters`);
    switch (f.type) {
      case 'integer':
        return { name: f.name, dbf: f.dbf, type: 'N', width: 9, decimals: 0 };
      case 'real':
        return { name: f.name, dbf: f.dbf, type: 'N', width: 24, decimals: 8 };
      case 'boolean':
        return { name: f.name, dbf: f.dbf, type: 'L', width: 1, decimals: 0 };
      case 'datetime':
        return { name: f.name, dbf: f.dbf, type: 'C', width: 20, decimals: 0 };
      case 'text':
        return { name: f.name, dbf: f.dbf, type: 'C', width: Math.min(254, f.width ?? 254), decimals: 0 };
      default:
        throw new Error(`unknown field type ${(f as { type: string }).type}`);
    }
  });
}

export class DbfWriter {
  readonly columns: DbfColumn[];
  readonly headerLength: number;
  readonly recordLength: number;
  private readonly encoder = new TextEncoder();

  constructor(fields: readonly ExportField[]) {
    this.columns = dbfColumns(fields);
    this.headerLength = DBF_HEADER_FIXED + 32 * this.columns.length + 1;
    this.recordLength = 1 + this.columns.reduce((n, c) => n + c.width, 0);
  }

  header(recordCount: number, now = new Date()): Buffer {
    const b = Buffer.alloc(this.headerLength);
    b.writeUInt8(0x03, 0); // dBase III without memo
    b.writeUInt8(now.getUTCFullYear() - 1900, 1);
    b.writeUInt8(now.getUTCMonth() + 1, 2);
    b.writeUInt8(now.getUTCDate(), 3);
    b.writeUInt32LE(recordCount, 4);
    b.writeUInt16LE(this.headerLength, 8);
    b.writeUInt16LE(this.recordLength, 10);
    // Byte 29 (language driver) stays 0: the encoding is declared by the .cpg file.
    this.columns.forEach((c, i) => {
      const at = DBF_HEADER_FIXED + 32 * i;
      b.write(c.dbf, at, 'ascii');
      b.write(c.type, at + 11, 'ascii');
      b.writeUInt8(c.width, at + 16);
      b.writeUInt8(c.decimals, at + 17);
    });
    b.writeUInt8(0x0d, this.headerLength - 1);
    return b;
  }

  /** Writes one record (deletion flag + fields) into `target` at `offset`. */
  record(properties: Record<string, FieldValue>, target: Buffer, offset: number): void {
    target.fill(0x20, offset, offset + this.recordLength);
    let at = offset + 1;
    for (const c of this.columns) {
      const v = properties[c.name];
      if (v !== null && v !== undefined) {
        if (c.type === 'C') {
          const bytes = truncateUtf8(this.encoder.encode(String(v)), c.width);
          target.set(bytes, at);
        } else if (c.type === 'L') {
          target.write(v ? 'T' : 'F', at, 'ascii');
        } else {
          const text = formatNumber(Number(v), c.width, c.decimals);
          target.write(text, at + c.width - text.length, 'ascii');
        }
      }
      at += c.width;
    }
  }
}

/** Cuts UTF-8 at `max` bytes without splitting a character. */
export function truncateUtf8(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function formatNumber(n: number, width: number, decimals: number): string {
  if (!Number.isFinite(n)) return '';
  let text = decimals > 0 ? n.toFixed(decimals) : String(Math.round(n));
  // Too wide for the column: drop decimals rather than corrupt the record.
  if (text.length > width) text = n.toFixed(Math.max(0, decimals - (text.length - width)));
  return text.length > width ? '' : text;
}
