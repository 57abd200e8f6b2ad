/** The export layers of the other grid levels and of foreign networks, on both engines: every row, with its code, as GeoJSON and CSV. */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

describeEachEngine('exports of 微网格/专属网格 and foreign grids', (db) => {
  it('writes every sub grid and every foreign grid', async () => {
    for (const [layer, table] of [
      ['sub_grids', 'sub_grids'],
      ['foreign_grids', 'foreign_grids'],
    ] as const) {
      const codes = (await db().rows<{ code: string }>(sql`SELECT code FROM ${sql.raw(table)} ORDER BY code`)).map((r) => r.code);
      expect(codes.length).toBeGreaterThan(0);
      const res = await request(db(), `/api/exports/${layer}?format=geojson`);
      expect(res.status).toBe(200);
      const fc = (await res.json()) as { features: { properties: { code: string } }[] };
      expect(fc.features.map((f) => f.properties.code).sort()).toEqual(codes);
      const csv = await request(db(), `/api/exports/${layer}?format=csv`);
      expect(csv.status).toBe(200);
      expect((await csv.text()).trim().split(/\r?\n/)).toHaveLength(codes.length + 1);
    }
    const micro = await request(db(), '/api/exports/sub_grids?format=geojson&region=450902005001');
    const inCommunity = (await micro.json()) as { features: { properties: { code: string; level: string } }[] };
    expect(inCommunity.features.every((f) => f.properties.code.startsWith('450902005001'))).toBe(true);
  });
});
