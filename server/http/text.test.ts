/**
 * One text validator for every user-supplied name and note (server/http/text.ts):
 * the rules themselves, and the centre and demonstration writes that skipped them
 * (a script, an SQL fragment and a right-to-left override were stored, 201).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { nameProblem, nameText, noteProblem, noteText } from './text';

const RLO = '\u202E';
const COMMUNITY = '450902005001';

describe('text rules', () => {
  it('refuses markup, quotes and semicolons, control and direction characters in names', () => {
    for (const bad of ['<script>alert(1)</script>', "'; DROP TABLE grids;--", `中心${RLO}txt.exe`, '名\u0000称', '名\uFFFD称', '名"称', '']) {
      expect({ bad, ok: nameText('名称').safeParse(bad).success }).toEqual({ bad, ok: false });
      expect(nameProblem('名称', bad.trim())).toMatch(/^名称/);
    }
    for (const good of ['五里桥社区党群服务中心', '第1网格（东区）', 'Party Centre No.3', '李·明', '3#楼']) {
      expect({ good, ok: nameText('名称').safeParse(good).success }).toEqual({ good, ok: true });
      expect(nameProblem('名称', good)).toBeNull();
    }
    expect(nameText('名称', 5).safeParse('一二三四五六').error?.issues[0]?.message).toBe('名称最长 5 个字');
  });

  it('lets free text use punctuation but refuses markup, control, direction and broken characters', () => {
    const refused: [string, RegExp][] = [
      ['<script>alert(1)</script>', /HTML/],
      ['<img src=x onerror=alert(1)>', /HTML/],
      ['见 </b> 说明', /HTML/],
      ['<!-- 注释 -->', /HTML/],
      [`正常${RLO}文字`, /方向/],
      ['隔离\u2066文字\u2069', /方向/],
      ['空\u0000字符', /控制字符/],
      ['响铃\u0007', /控制字符/],
      ['乱码\uFFFD\uFFFD', /乱码/],
      ['半个\uD800字符', /乱码/],
    ];
    for (const [bad, reason] of refused) {
      const result = noteText('备注', 200).safeParse(bad);
      expect({ bad, ok: result.success }).toEqual({ bad, ok: false });
      expect(result.error?.issues[0]?.message).toMatch(reason);
      expect(noteProblem('备注', bad, 200)).toMatch(reason);
    }
    for (const good of ["'; DROP TABLE grids;--", '面积<100 平方米，a < b', '周一至周五 09:00-17:00；周六 "半天"', '第一行\n第二行\t制表', '']) {
      expect({ good, ok: noteText('备注', 200).safeParse(good).success }).toEqual({ good, ok: true });
    }
    expect(noteText('延期理由', 500, { required: true }).safeParse('  ').error?.issues[0]?.message).toBe('请填写延期理由');
    expect(noteText('备注', 3).safeParse('一二三四').error?.issues[0]?.message).toBe('备注最长 3 个字');
  });
});

type Problem = { title: string; errors: { field: string; reason: string }[] };

describeEachEngine('names and notes through the API', (db) => {
  const send = async (method: string, path: string, body: unknown) => {
    const res = await request(db(), path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Problem & { id?: number } };
  };
  const fingerprint = async (d: DbHandle) =>
    (
      await d.rows<{ f: string }>(sql`SELECT md5(concat_ws('|',
        (SELECT string_agg(id || name || coalesce(address, '') || coalesce(opening_hours, ''), ',' ORDER BY id) FROM service_centres),
        (SELECT string_agg(id || name || coalesce(description, ''), ',' ORDER BY id) FROM demo_belts),
        (SELECT string_agg(id || name || coalesce(description, ''), ',' ORDER BY id) FROM demo_circles))) AS f`)
    )[0]!.f;
  const centre = async () => {
    const [p] = await db().rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = ${COMMUNITY}`);
    return { name: '文字校验党群服务站', level: 'estate', regionCode: COMMUNITY, areaM2: 120, position: [Number(p!.lon), Number(p!.lat)] };
  };

  it('refuses a script, an SQL fragment and a right-to-left override in service centre texts (400, nothing stored)', async () => {
    const valid = await centre();
    const before = await fingerprint(db());
    const attempts: [Record<string, unknown>, string][] = [
      [{ name: '<script>alert(1)</script>' }, 'name'],
      [{ name: "'; DROP TABLE grids;--" }, 'name'],
      [{ name: `党群服务站${RLO}exe.txt` }, 'name'],
      [{ address: '<img src=x onerror=alert(1)>' }, 'address'],
      [{ address: `城东路${RLO}12号` }, 'address'],
      [{ openingHours: '09:00\u0000-17:00' }, 'openingHours'],
      [{ openingHours: '\uFFFD\uFFFD' }, 'openingHours'],
    ];
    for (const [change, field] of attempts) {
      const created = await send('POST', '/api/centres', { ...valid, ...change });
      expect({ change, status: created.status }).toEqual({ change, status: 400 });
      expect(created.body.errors.map((e) => e.field)).toEqual([field]);
      expect(created.body.errors[0]!.reason).toMatch(/[\u4e00-\u9fff]/);
    }
    const [existing] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    for (const [change, field] of attempts) {
      const patched = await send('PATCH', `/api/centres/${existing!.id}`, change);
      expect({ change, status: patched.status }).toEqual({ change, status: 400 });
      expect(patched.body.errors.map((e) => e.field)).toEqual([field]);
    }
    expect(await fingerprint(db())).toBe(before);
    // Punctuation stays allowed in free text.
    const ok = await send('POST', '/api/centres', { ...valid, address: '城东路 12 号（近"人民公园"）; 3#楼', openingHours: '周一至周五 09:00-17:00' });
    expect(ok.status).toBe(201);
  });

  it('refuses markup and direction overrides in demonstration names and descriptions (400, nothing stored)', async () => {
    const [a, b] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM regions WHERE level = 'street' ORDER BY code LIMIT 2`);
    const route = {
      type: 'LineString',
      coordinates: [
        [Number(a!.x), Number(a!.y)],
        [Number(b!.x), Number(b!.y)],
      ],
    };
    const [belt] = await db().rows<{ id: number }>(sql`SELECT id FROM demo_belts ORDER BY id LIMIT 1`);
    const [circle] = await db().rows<{ id: number }>(sql`SELECT id FROM demo_circles ORDER BY id LIMIT 1`);
    const before = await fingerprint(db());
    const attempts: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/demonstrations/belts', { name: '<script>alert(1)</script>', route }, 'name'],
      ['POST', '/api/demonstrations/belts', { name: '示范带', description: '<img src=x onerror=alert(1)>', route }, 'description'],
      ['POST', '/api/demonstrations/circles', { name: "'; DROP TABLE grids;--", centre: [Number(a!.x), Number(a!.y)] }, 'name'],
      ['POST', '/api/demonstrations/circles', { name: '示范圈', description: `简介${RLO}文字`, centre: [Number(a!.x), Number(a!.y)] }, 'description'],
      ['PUT', `/api/demonstrations/belts/${belt!.id}`, { name: `示范带${RLO}` }, 'name'],
      ['PUT', `/api/demonstrations/circles/${circle!.id}`, { description: '乱码\uFFFD' }, 'description'],
    ];
    for (const [method, path, body, field] of attempts) {
      const res = await send(method, path, body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.body.errors.map((e) => e.field)).toEqual([field]);
    }
    expect(await fingerprint(db())).toBe(before);
  });

  it('keeps refusing the same characters in display names and grid names (the validator they share)', async () => {
    const user = await send('POST', '/api/users', { username: 'rlo-user', displayName: `张三${RLO}`, role: 'leader', password: 'a-long-password-1' });
    expect(user.status).toBe(400);
    expect(user.body.errors.map((e) => e.field)).toEqual(['displayName']);
    const [grid] = await db().rows<{ code: string; version: number }>(sql`SELECT code, version FROM grids ORDER BY code LIMIT 1`);
    const renamed = await send('PUT', `/api/grids/${grid!.code}`, { version: grid!.version, attributes: { name: `网格${RLO}` } });
    expect(renamed.status).toBe(400);
  });
});
