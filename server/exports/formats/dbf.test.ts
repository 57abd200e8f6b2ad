import { describe, expect, it } from 'vitest';
import { LAYERS } from '../layers';
import { DbfWriter, truncateUtf8 } from './dbf';

describe('DBF', () => {
  it('cuts UTF-8 on character boundaries: 五里桥 is 9 bytes, 8 bytes keep 五里', () => {
    const bytes = new TextEncoder().encode('五里桥');
    expect(bytes.length).toBe(9);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(truncateUtf8(bytes, 8))).toBe('五里');
    expect(truncateUtf8(bytes, 9)).toBe(bytes);
  });

  it('every layer has unique ASCII field names of at most 10 characters', () => {
    for (const layer of LAYERS) {
      const names = layer.fields.map((f) => f.dbf.toLowerCase());
      expect(new Set(names).size, layer.name).toBe(names.length);
      for (const n of names) expect(n, `${layer.name}.${n}`).toMatch(/^[a-z][a-z0-9_]{0,9}$/);
      expect(() => new DbfWriter(layer.fields)).not.toThrow();
    }
  });

  it('writes a header and a record with the lengths dBase III defines', () => {
    const w = new DbfWriter([
      { name: 'name', dbf: 'name', title: '名称', type: 'text', width: 12 },
      { name: 'n', dbf: 'n', title: '数', type: 'integer' },
    ]);
    const header = w.header(3);
    expect(header.length).toBe(32 + 2 * 32 + 1);
    expect(header.readUInt32LE(4)).toBe(3);
    expect(w.recordLength).toBe(1 + 12 + 9);
    const rec = Buffer.alloc(w.recordLength);
    w.record({ name: '五里桥社区', n: 42 }, rec, 0);
    expect(rec.subarray(1, 13).toString('utf8')).toBe('五里桥社'); // 12 bytes = 4 characters
    expect(rec.subarray(13).toString('ascii')).toBe('       42');
  });
});
