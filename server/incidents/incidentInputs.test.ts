/**
 * Input the incident API must not take as it comes (issue 13, point 9):
 *  a. impossible dates (2026-02-30 was stored as 2026-03-02) are refused with the
 *     field and a Chinese reason, in batch rows and in every date query parameter;
 *  b. a GBK CSV (Excel's default for Chinese) is read as GB18030 and the result says
 *     so; undecodable files and text carrying U+FFFD are refused, never stored.
 * incidentInputs.gbk.csv was produced with `iconv -f UTF-8 -t GBK`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { parseReportedAt, readReportedAt } from './ingest';

const GRID = '450902005001001';
const GBK_FILE = readFileSync(join(import.meta.dirname, 'incidentInputs.gbk.csv'));

const countTagged = async (db: DbHandle, tag: string) => Number((await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description LIKE ${`${tag}%`}`))[0]!.n);
const postBatch = (db: DbHandle, body: BodyInit, contentType = 'text/csv') => request(db, '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': contentType }, body });

interface BatchAnswer {
  accepted: number;
  ids: number[];
  encoding: string;
  errors: { row: number; field: string; reason: string }[];
}

describe('reading 上报时间', () => {
  it('refuses impossible calendar dates instead of rolling them over', () => {
    for (const text of ['2026-02-30', '2026-02-29 08:00', '2026/4/31 8:00', '2026-02-30T08:00:00+08:00', '2026-01-01 24:00', '2026-01-01T23:60:00Z', '2026-00-10']) {
      expect({ text, date: parseReportedAt(text) }).toEqual({ text, date: null });
      expect(readReportedAt(text)).toEqual({ reason: expect.stringMatching(/不存在/) });
    }
    expect(readReportedAt('2026-02-30 08:00')).toEqual({ reason: '日期不存在：2026 年 2 月只有 28 天' });
    expect(parseReportedAt('2028-02-29 08:00')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseReportedAt('2026-12-31T23:59:59+08:00')?.toISOString()).toBe('2026-12-31T15:59:59.000Z');
  });
});

describeEachEngine('incident input checks (issue 13 point 9)', (db) => {
  it('refuses impossible dates in batch rows (CSV and GeoJSON) with the field and a Chinese reason', async () => {
    const csv = ['grid_code,category,source,reported_at,description', `${GRID},SR01,grid,2026-02-30 08:00,DATE1 feb30`, `${GRID},SR01,grid,2025-04-31,DATE1 apr31`, `${GRID},SR01,grid,2024-02-29 08:00,DATE1 leap`].join(
      '\n',
    );
    const res = await postBatch(db(), csv);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchAnswer;
    expect(body.errors).toEqual([
      { row: 2, field: 'reportedAt', reason: '上报时间「2026-02-30 08:00」日期不存在：2026 年 2 月只有 28 天' },
      { row: 3, field: 'reportedAt', reason: '上报时间「2025-04-31」日期不存在：2025 年 4 月只有 30 天' },
    ]);
    expect(body.accepted).toBe(1);
    expect(await countTagged(db(), 'DATE1 feb30')).toBe(0);
    expect(await countTagged(db(), 'DATE1 leap')).toBe(1);

    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: null, properties: { gridCode: GRID, category: 'SR01', source: 'grid', reportedAt: '2026-02-30T08:00:00+08:00', description: 'DATE2' } }],
    };
    const geo = (await (await postBatch(db(), JSON.stringify(fc), 'application/geo+json')).json()) as BatchAnswer;
    expect(geo.errors).toEqual([{ row: 1, field: 'reportedAt', reason: expect.stringContaining('2 月只有 28 天') }]);
    expect(await countTagged(db(), 'DATE2')).toBe(0);
  });

  it('refuses impossible dates in every incident date parameter (400 with the field)', async () => {
    const cases: [string, string][] = [
      ['/api/incidents/kpis?region=450902005&from=2026-02-30&to=2026-04-01', 'from'],
      ['/api/incidents/kpis?region=450902005&from=2026-02-01&to=2026-04-31T00:00:00Z', 'to'],
      ['/api/incidents/hexbins?from=2026-02-30&zoom=12', 'from'],
      ['/api/incidents/heatmap?to=2026-13-01&zoom=12', 'to'],
      ['/api/incidents/timeseries?from=2026-02-29T08:00:00%2B08:00', 'from'],
    ];
    for (const [path, field] of cases) {
      const res = await request(db(), path);
      const problem = (await res.json()) as { errors?: { field: string; reason: string }[] };
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(problem.errors?.find((e) => e.field === field)?.reason, path).toMatch(/不存在/);
    }
    expect((await request(db(), '/api/incidents/kpis?region=450902005&from=2024-02-29&to=2024-03-31T23:59:59Z')).status).toBe(200);
  });

  it('reads a GBK-encoded CSV (Excel default) as GB18030, says so, and stores the Chinese text intact', async () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(GBK_FILE)).toThrow(); // the fixture really is not UTF-8
    const res = await postBatch(db(), GBK_FILE);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchAnswer;
    expect(body).toMatchObject({ accepted: 2, encoding: 'gb18030', errors: [] });
    const stored = await db().rows<{ description: string; reporter: string; category_code: string; source: string }>(
      sql`SELECT description, reporter, category_code, source FROM incidents WHERE id IN (${sql.join(
        body.ids.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY id`,
    );
    expect(stored).toEqual([
      { description: 'GBK1 已发现占道经营', reporter: '张三', category_code: expect.any(String), source: 'hotline' },
      { description: 'GBK1 楼道堆放杂物（请清理）', reporter: '李四', category_code: 'SR01', source: 'grid' },
    ]);

    const utf8 = (await (await postBatch(db(), new TextDecoder('gb18030').decode(GBK_FILE).replaceAll('GBK1', 'UTF8'))).json()) as BatchAnswer;
    expect(utf8).toMatchObject({ accepted: 2, encoding: 'utf-8' });
    const [mangled] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description LIKE '%' || chr(65533) || '%' OR reporter LIKE '%' || chr(65533) || '%'`);
    expect(mangled!.n).toBe(0);
  });

  it('refuses files in neither encoding and text already carrying U+FFFD, storing nothing', async () => {
    const header = new TextEncoder().encode(`grid_code,category,source,reported_at,description\n${GRID},SR01,grid,2026-06-01 08:00,FFFD1 `);
    const undecodable = new Uint8Array([...header, 0xff, 0xfe, 0xff, 0x0a]);
    const bad = await postBatch(db(), undecodable);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/编码/);

    const carried = await postBatch(db(), `grid_code,category,source,reported_at,description\n${GRID},SR01,grid,2026-06-01 08:00,FFFD2 \uFFFD\uFFFD已发\n`);
    expect(carried.status).toBe(400);
    expect(((await carried.json()) as { detail: string }).detail).toMatch(/第 2 行.*无法识别的字符/);

    const single = await request(db(), '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ gridCode: GRID, category: 'SR01', source: 'grid', reporter: '\uFFFD\uFFFD', description: 'FFFD3 \uFFFD' }),
    });
    expect(single.status).toBe(422);
    expect(((await single.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['description', 'reporter']);
    const rawBytes = await request(db(), '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new Uint8Array([...new TextEncoder().encode(`{"gridCode":"${GRID}","category":"SR01","source":"grid","description":"FFFD4 `), 0xd2, 0xd1, ...new TextEncoder().encode('"}')]),
    });
    expect(rawBytes.status).toBe(422);
    expect(await countTagged(db(), 'FFFD')).toBe(0);
  });
});
