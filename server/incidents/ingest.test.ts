import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { addWorkingTime, DEFAULT_CALENDAR } from '../../kernel/workCalendar';
import { parseCsv, parseReportedAt } from './ingest';

interface GridPoint {
  code: string;
  lon: number;
  lat: number;
}

async function twoGrids(db: DbHandle): Promise<[GridPoint, GridPoint]> {
  const rows = await db.rows<GridPoint>(sql`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY code LIMIT 2`);
  return rows.map((r) => ({ code: r.code, lon: Number(r.lon), lat: Number(r.lat) })) as [GridPoint, GridPoint];
}

const countTagged = async (db: DbHandle, tag: string) => Number((await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description LIKE ${`${tag}%`}`))[0]!.n);

const postCsv = (db: DbHandle, csv: string, accept = 'application/json') => request(db, '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'text/csv', Accept: accept }, body: csv });

describe('parseReportedAt', () => {
  it('reads zone-less local times as Beijing time and rejects nonsense', () => {
    expect(parseReportedAt('2026-05-01 08:30')?.toISOString()).toBe('2026-05-01T00:30:00.000Z');
    expect(parseReportedAt('2026/5/1 8:30:15')?.toISOString()).toBe('2026-05-01T00:30:15.000Z');
    expect(parseReportedAt('2026-05-01')?.toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(parseReportedAt('2026-05-01T08:30:00Z')?.toISOString()).toBe('2026-05-01T08:30:00.000Z');
    expect(parseReportedAt('yesterday')).toBeNull();
    expect(parseReportedAt('2026-13-45 10:00')).toBeNull();
  });

  it('numbers CSV rows by file line (header = line 1)', () => {
    const rows = parseCsv('category,lon,lat\nSR01,1,2\n\nSR02,3,4\n');
    expect(rows.map((r) => r.row)).toEqual([2, 4]);
    expect(rows[1]).toMatchObject({ category: 'SR02', lon: '3', lat: '4' });
  });
});

describeEachEngine('incident ingestion', (db) => {
  it('reports bad rows one by one and keeps the good ones, assigned to the grid that contains them', async () => {
    const [a, b] = await twoGrids(db());
    const before = await countTagged(db(), 'ING1');
    const csv = [
      'lon,lat,grid_code,category,source,reporter,reported_at,description',
      `${a.lon},${a.lat},,SR01,grid,网格员甲,2026-06-01 08:00,ING1 点位`, // 2 good
      `,,${b.code},占道经营,12345,,2026-06-02T09:00:00+08:00,ING1 仅网格编码`, // 3 good (minor name, source alias)
      `${a.lon},${a.lat},,XX99,grid,,2026-06-01 08:00,ING1 bad category`, // 4
      `${a.lon},${a.lat},,SR01,wechat,,2026-06-01 08:00,ING1 bad source`, // 5
      `${a.lon},${a.lat},,SR01,grid,,not-a-time,ING1 bad time`, // 6
      `116.397,39.909,,SR01,grid,,2026-06-01 08:00,ING1 Beijing`, // 7 outside the city
      `,,450902999999999,SR01,grid,,2026-06-01 08:00,ING1 unknown grid`, // 8
      `${a.lon},${a.lat},${b.code},SR01,grid,,2026-06-01 08:00,ING1 mismatched grid`, // 9
      `,,,SR01,grid,,2026-06-01 08:00,ING1 nowhere`, // 10
      `east,${a.lat},,SR01,grid,,2026-06-01 08:00,ING1 bad lon`, // 11
      `${a.lon},${a.lat},,,,,,ING1 three missing`, // 12: category, source, reportedAt
      `${a.lon},${a.lat},,SR01,grid,,2099-01-01 08:00,ING1 future`, // 13
    ].join('\n');
    const res = await postCsv(db(), csv);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; accepted: number; rejected: number; ids: number[]; errors: { row: number; field: string; reason: string }[] };
    expect(body.total).toBe(12);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(10);
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'category'],
      [5, 'source'],
      [6, 'reportedAt'],
      [7, 'location'],
      [8, 'gridCode'],
      [9, 'gridCode'],
      [10, 'location'],
      [11, 'lon'],
      [12, 'category'],
      [12, 'source'],
      [12, 'reportedAt'],
      [13, 'reportedAt'],
    ]);
    for (const e of body.errors) expect(e.reason).toMatch(/[\u4e00-\u9fa5]/);
    expect(body.errors.find((e) => e.row === 7)!.reason).toContain('不在本市范围内');
    expect(body.errors.find((e) => e.row === 9)!.reason).toContain(a.code);

    expect(await countTagged(db(), 'ING1')).toBe(before + 2);
    // Grid assignment agrees with an independent ST_Contains; the deadline is the category's working days on the calendar:
    // SR01 (2 working days) from Mon 1 June 08:00 and SR02 (1 working day) from Tue 2 June 09:00 are both due Wed 3 June 18:00.
    const written = await db().rows<{ id: number; grid_code: string; community_code: string; street_code: string; contained_in: string; stage: string; deadline_at: Date | string; transitions: number }>(sql`
      SELECT i.id, i.grid_code, i.community_code, i.street_code, i.stage,
             (SELECT g.code FROM grids g WHERE ST_Contains(g.geom, i.geom)) AS contained_in,
             i.deadline_at,
             (SELECT count(*)::int FROM incident_transitions t WHERE t.incident_id = i.id AND t.to_stage = 'collect' AND t.from_stage IS NULL) AS transitions
      FROM incidents i JOIN incident_categories c ON c.code = i.category_code
      WHERE i.id IN (${sql.join(
        body.ids.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY i.id`);
    expect(written.map((w) => w.grid_code)).toEqual([a.code, b.code]);
    for (const w of written) {
      expect(w.contained_in).toBe(w.grid_code);
      expect(w.community_code).toBe(w.grid_code.slice(0, 12));
      expect(w.street_code).toBe(w.grid_code.slice(0, 9));
      expect(w.stage).toBe('collect');
      expect(new Date(w.deadline_at).toISOString()).toBe('2026-06-03T10:00:00.000Z');
      expect(w.transitions).toBe(1);
    }
  });

  it('writes nothing of a batch whose transaction fails (error on the last row of the last chunk)', async () => {
    const [a] = await twoGrids(db());
    await db().db.execute(sql`
      CREATE OR REPLACE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.description = 'ING2 BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
    await db().db.execute(sql`CREATE TRIGGER incidents_boom BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION fail_on_boom()`);
    try {
      const lines = ['lon,lat,category,source,reported_at,description'];
      for (let k = 0; k < 6000; k++) lines.push(`${a.lon},${a.lat},SR01,grid,2026-06-01 08:00,ING2 row ${k}`);
      lines.push(`${a.lon},${a.lat},SR01,grid,2026-06-01 08:00,ING2 BOOM`);
      const before = Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents`))[0]!.n);
      const beforeTransitions = Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_transitions`))[0]!.n);

      const plain = await postCsv(db(), lines.join('\n'));
      expect(plain.status).toBe(500);
      expect(await plain.json()).toMatchObject({ status: 500, title: '导入失败', detail: expect.stringContaining('未导入任何记录') });

      const streamed = await postCsv(db(), lines.join('\n'), 'application/x-ndjson');
      const events = (await streamed.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; phase?: string });
      expect(events.at(-1)).toMatchObject({ type: 'error', title: '导入失败' });

      expect(await countTagged(db(), 'ING2')).toBe(0);
      expect(Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents`))[0]!.n)).toBe(before);
      expect(Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_transitions`))[0]!.n)).toBe(beforeTransitions);
    } finally {
      await db().db.execute(sql`DROP TRIGGER incidents_boom ON incidents`);
    }
  });

  it('streams NDJSON progress for a large batch, then the result', async () => {
    const [a] = await twoGrids(db());
    const lines = ['lon,lat,category,source,reported_at,description'];
    for (let k = 0; k < 12_000; k++) lines.push(`${a.lon},${a.lat},SS01,hongsheng,2026-07-01 10:00,ING3 ${k}`);
    lines.push(`${a.lon},${a.lat},SS01,nobody,2026-07-01 10:00,ING3 bad`);
    const res = await postCsv(db(), lines.join('\n'), 'application/x-ndjson');
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; phase?: string; done?: number; total?: number; accepted?: number; errors?: unknown[] });
    const validate = events.filter((e) => e.phase === 'validate').map((e) => e.done);
    expect(validate).toEqual([5000, 10000, 12001]);
    const write = events.filter((e) => e.phase === 'write').map((e) => e.done);
    expect(write).toEqual([5000, 10000, 12000]);
    const result = events.at(-1)!;
    expect(result).toMatchObject({ type: 'result', total: 12001, accepted: 12000, rejected: 1 });
    expect(result.errors).toEqual([{ row: 12002, field: 'source', reason: expect.stringContaining('nobody') }]);
    expect(await countTagged(db(), 'ING3')).toBe(12000);
  });

  it('imports GeoJSON points and rejects other geometries by feature number', async () => {
    const [a] = await twoGrids(db());
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [a.lon, a.lat] }, properties: { category: 'MD01', source: 'hotline', reportedAt: '2026-08-01T10:00:00+08:00', description: 'ING4 ok' } },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [a.lon, a.lat],
              [a.lon + 0.001, a.lat],
            ],
          },
          properties: { category: 'MD01', source: 'hotline', reportedAt: '2026-08-01T10:00:00+08:00', description: 'ING4 line' },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [a.lon, 95] }, properties: { category: 'MD01', source: 'hotline', reportedAt: '2026-08-01T10:00:00+08:00', description: 'ING4 lat' } },
      ],
    };
    const res = await request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'application/geo+json' }, body: JSON.stringify(fc) });
    const body = (await res.json()) as { accepted: number; errors: { row: number; field: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'location'],
      [3, 'lat'],
    ]);
    expect(await countTagged(db(), 'ING4')).toBe(1);
  });

  it('rejects unreadable batches with a 400 problem', async () => {
    const noCategory = await postCsv(db(), 'lon,lat\n1,2\n');
    expect(noCategory.status).toBe(400);
    expect(((await noCategory.json()) as { detail: string }).detail).toContain('category');
    const notJson = await request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    const unknown = await request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'x' });
    expect(unknown.status).toBe(400);
  });

  it('creates one incident (201), reported at the server clock, or answers 422 with every failing field', async () => {
    const [a] = await twoGrids(db());
    const started = Date.now();
    const ok = await request(db(), '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ lon: a.lon, lat: a.lat, category: 'AQ01', source: 'grid', reporter: '网格员乙', description: 'ING5 single' }),
    });
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { id: number; stage: string; gridCode: string; reportedAt: string; deadlineAt: string; allowedNext: string[] };
    expect(created).toMatchObject({ stage: 'collect', gridCode: a.code, allowedNext: ['register'] });
    expect(Date.parse(created.reportedAt)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(created.reportedAt)).toBeLessThanOrEqual(Date.now());
    // AQ01: 1 working day — close of business of the next working day on the calendar.
    expect(created.deadlineAt).toBe(addWorkingTime(new Date(created.reportedAt), { days: 1 }, DEFAULT_CALENDAR).toISOString());

    const bad = await request(db(), '/api/incidents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ lon: 200, lat: a.lat, category: 'nope', source: 'grid' }) });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['category', 'lon']);
  });

  it('rejects a point inside the city that no grid covers', async () => {
    const [a] = await twoGrids(db());
    await db().db.execute(sql`DELETE FROM grids WHERE code = ${a.code}`);
    const res = await postCsv(db(), `lon,lat,category,source,reported_at\n${a.lon},${a.lat},SR01,grid,2026-06-01 08:00\n`);
    const body = (await res.json()) as { accepted: number; errors: { row: number; field: string; reason: string }[] };
    expect(body.accepted).toBe(0);
    expect(body.errors).toEqual([{ row: 2, field: 'location', reason: expect.stringContaining('不在任何网格内') }]);
  });
});
