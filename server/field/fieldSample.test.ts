/**
 * The sample's patrols and visits (data/fieldSample.ts) after the demo accounts are
 * created: recent days of tracks for wangge1/wangge2 and generated workers, one
 * generated worker on patrol now (never a demo account), tracks inside their grids,
 * check-ins and visits, and the community layer shows them.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { DESK_GRIDS } from '../../data/sampleAccounts';
import { ensureSampleUsers } from '../auth/users';
import { describeEachEngine } from '../testing/databases';
import { requestAs } from '../testing/requestAs';
import { TEST_ADMIN } from '../testing/principals';

describeEachEngine('field sample data', (db) => {
  beforeAll(async () => {
    await ensureSampleUsers(db());
  });

  it('gives the demo and generated grid workers patrols with points, check-ins and visits', async () => {
    const perWorker = await db().rows<{ username: string; patrols: number; active: number; points: number; checkins: number; visits: number }>(sql`
      SELECT u.username, count(DISTINCT p.id)::int AS patrols, count(DISTINCT p.id) FILTER (WHERE p.status = 'active')::int AS active,
        (SELECT count(*) FROM patrol_points pp JOIN patrols q ON q.id = pp.patrol_id WHERE q.user_id = u.id)::int AS points,
        (SELECT count(*) FROM patrol_checkins c JOIN patrols q ON q.id = c.patrol_id WHERE q.user_id = u.id)::int AS checkins,
        (SELECT count(*) FROM visits v WHERE v.user_id = u.id)::int AS visits
      FROM users u JOIN patrols p ON p.user_id = u.id GROUP BY u.id, u.username ORDER BY u.username`);
    const names = perWorker.map((w) => w.username);
    expect(names).toContain('wangge1');
    expect(names).toContain('wangge2');
    expect(names.filter((n) => n.startsWith('sample-gw-')).length).toBeGreaterThanOrEqual(1);
    for (const w of perWorker) {
      expect(w.patrols).toBeGreaterThanOrEqual(3);
      expect(w.points).toBeGreaterThan(w.patrols * 50);
      expect(w.checkins).toBe(w.patrols * 2);
      expect(w.visits).toBe(w.patrols * 3);
    }
    expect(perWorker.filter((w) => w.active > 0).map((w) => w.username.startsWith('sample-gw-'))).toEqual([true]);
    // Tracks stay in (or at the edge of) their grid.
    const [share] = await db().rows<{ inside: number }>(sql`
      SELECT avg(CASE WHEN ST_DWithin(g.geom, ST_SetSRID(ST_MakePoint(pp.lon, pp.lat), 4326), 0.0005) THEN 1 ELSE 0 END)::float8 AS inside
      FROM patrol_points pp JOIN patrols p ON p.id = pp.patrol_id JOIN grids g ON g.code = p.grid_codes ->> 0`);
    expect(Number(share!.inside)).toBeGreaterThan(0.9);
    // Loading again adds nothing.
    const before = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM patrol_points`);
    await ensureSampleUsers(db());
    expect(await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM patrol_points`)).toEqual(before);
  });

  it('shows on the community layer', async () => {
    const res = await requestAs(db(), TEST_ADMIN, `/api/patrols?community=${DESK_GRIDS.g1.slice(0, 12)}`);
    const body = (await res.json()) as { features: { geometry: { type: string } | null }[]; totals: { active: number; workers: number } };
    expect(body.features.length).toBeGreaterThan(10);
    expect(body.features.every((f) => f.geometry?.type === 'LineString')).toBe(true);
    expect(body.totals.active).toBe(1);
  });
});
