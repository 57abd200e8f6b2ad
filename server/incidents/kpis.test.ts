import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';
import type { KpiResult } from './kpis';

/**
 * A hand-made set in March 2030 (no sample incident comes near it), in the first
 * grid of the first community, plus one in another community. Period P = March.
 *
 *      reported  deadline  closed   suspended  rework ext  escalation   in P as
 *  A   03-01     03-03     03-02    -          0      -    grid         due, closed on time (24 h)
 *  B   03-05     03-07     03-09    -          1      -    community    due, closed late (96 h)
 *  C   03-10     03-12     -        -          0      -    street       due, overdue open
 *  D   03-20     03-25     -        yes        0      -    grid         due but 缓办
 *  E   02-20     02-22     03-02    -          0      yes  department   due (closed in P), late (240 h)
 *  F   03-28     04-02     -        -          0      -    grid         reported only (deadline after P)
 *  G   03-15     03-18     03-17    -          0      yes  grid         due, closed on time (48 h)
 *  H   02-01     02-03     02-02    -          0      -    grid         outside P entirely
 *  I   03-05     03-06     03-05    -          0      -    grid         another street
 */
const P = { from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
const HAND = [
  ['A', '03-01', '03-03', '03-02', false, 0, false, 'grid'],
  ['B', '03-05', '03-07', '03-09', false, 1, false, 'community'],
  ['C', '03-10', '03-12', null, false, 0, false, 'street'],
  ['D', '03-20', '03-25', null, true, 0, false, 'grid'],
  ['E', '02-20', '02-22', '03-02', false, 0, true, 'department'],
  ['F', '03-28', '04-02', null, false, 0, false, 'grid'],
  ['G', '03-15', '03-18', '03-17', false, 0, true, 'grid'],
  ['H', '02-01', '02-03', '02-02', false, 0, false, 'grid'],
] as const;

/*
 * Expected, by hand from the table:
 *   count (reported in P)        = A B C D F G           = 6
 *   应结案 due                    = A B C D E G           = 6
 *   缓办                          = D                     = 1   → base = 5 (A B C E G)
 *   结案                          = A B E G               = 4   → 结案率 4/5 = 0.8
 *   按期结案                      = A G                   = 2   → 按期结案率 2/5 = 0.4
 *   返工                          = B                     = 1   → 返工率 1/5 = 0.2
 *   延期                          = E G                   = 2   → 延期率 2/5 = 0.4
 *   平均结案时长                  = (24 + 96 + 240 + 48) / 4 = 102 h
 *   网格内解决 (grid)             = A G                   = 2   → 2/4 = 0.5
 *   社区内解决 (grid|community)   = A B G                 = 3   → 3/4 = 0.75
 *   超期未结                      = C                     = 1
 */
const EXPECTED: Partial<KpiResult> = {
  count: 6,
  due: 6,
  suspended: 1,
  closed: 4,
  closedOnTime: 2,
  reworked: 1,
  extended: 2,
  overdueOpen: 1,
  solvedInGrid: 2,
  solvedInCommunity: 3,
  closeRate: 0.8,
  onTimeRate: 0.4,
  reworkRate: 0.2,
  extensionRate: 0.4,
  solvedInGridShare: 0.5,
  solvedInCommunityShare: 0.75,
};

describeEachEngine('incident KPIs', (db) => {
  let grid = '';
  let otherGrid = '';

  beforeAll(async () => {
    const grids = await db().rows<{ code: string }>(sql`
      (SELECT code FROM grids ORDER BY code LIMIT 1)
      UNION ALL (SELECT code FROM grids WHERE street_code <> (SELECT min(street_code) FROM grids) ORDER BY code LIMIT 1)`);
    grid = grids[0]!.code;
    otherGrid = grids[1]!.code;
    const rows = [...HAND.map((h) => ({ h, code: grid })), { h: ['I', '03-05', '03-06', '03-05', false, 0, false, 'grid'] as const, code: otherGrid }];
    for (const { h, code } of rows) {
      const [name, reported, deadline, closed, suspended, rework, extended, escalation] = h;
      const at = (d: string | null) => (d === null ? null : `2030-${d}T00:00:00Z`);
      await db().db.execute(sql`
        INSERT INTO incidents (category_code, source, reporter, description, geom, grid_code, community_code, street_code,
                               stage, escalation, reported_at, deadline_at, closed_at, suspended, rework_count, extended)
        SELECT 'SR01', 'grid', 'KPI', ${`KPI ${name}`}, label_point, code, community_code, street_code,
               ${closed ? 'close' : 'handle'}, ${escalation}, ${at(reported)}::timestamptz, ${at(deadline)}::timestamptz,
               ${at(closed)}::timestamptz, ${suspended}, ${rework}, ${extended}
        FROM grids WHERE code = ${code}`);
    }
  });

  it('computes every KPI of the hand-made set for its grid, community and street', async () => {
    for (const region of [grid, grid.slice(0, 12), grid.slice(0, 9)]) {
      const { status, body } = await requestJson<{ kpis: KpiResult; definitions: Record<string, string> }>(db(), `/api/incidents/kpis?region=${region}&from=${P.from}&to=${P.to}`);
      expect(status).toBe(200);
      expect(body.kpis).toMatchObject({ region, ...EXPECTED });
      expect(body.kpis.avgHoursToClose).toBeCloseTo(102, 6);
      expect(body.definitions.due).toContain('应结案');
      expect(body.definitions.closeRate).toBe('结案率 = 结案 ÷ (应结案 − 缓办)');
    }
  });

  it('counts the other community only for itself', async () => {
    const { body } = await requestJson<{ kpis: KpiResult }>(db(), `/api/incidents/kpis?region=${otherGrid.slice(0, 12)}&from=${P.from}&to=${P.to}`);
    expect(body.kpis).toMatchObject({ count: 1, due: 1, closed: 1, closedOnTime: 1, closeRate: 1, solvedInGridShare: 1 });
  });

  it('gives null rates for an empty period and per-grid KPIs for a community with children=1', async () => {
    const empty = await requestJson<{ kpis: KpiResult }>(db(), `/api/incidents/kpis?region=${grid}&from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z`);
    expect(empty.body.kpis).toMatchObject({ count: 0, due: 0, closeRate: null, onTimeRate: null, avgHoursToClose: null, solvedInGridShare: null });

    const withChildren = await requestJson<{ kpis: KpiResult; children: KpiResult[] }>(db(), `/api/incidents/kpis?region=${grid.slice(0, 12)}&from=${P.from}&to=${P.to}&children=1`);
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids WHERE community_code = ${grid.slice(0, 12)}`)) as [{ n: number }];
    expect(withChildren.body.children).toHaveLength(n);
    expect(withChildren.body.children.find((k) => k.region === grid)).toMatchObject(EXPECTED);
    expect(withChildren.body.children.reduce((sum, k) => sum + k.due, 0)).toBe(EXPECTED.due);
  });

  it('rejects bad regions and periods', async () => {
    expect((await requestJson(db(), `/api/incidents/kpis?region=12&from=${P.from}&to=${P.to}`)).status).toBe(400);
    expect((await requestJson(db(), `/api/incidents/kpis?region=999999999&from=${P.from}&to=${P.to}`)).status).toBe(404);
    const backwards = await requestJson<{ errors: { field: string }[] }>(db(), `/api/incidents/kpis?region=${grid}&from=${P.to}&to=${P.from}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0]!.field).toBe('to');
  });
});
