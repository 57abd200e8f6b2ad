/**
 * The background walking-circle job: from an empty cache it computes every
 * centre's circles (the same ones the request path would), the big screen switches
 * from the estimate to network circles and coverage once it is done, a centre moved
 * through the API is recomputed without anyone asking, and admins (only) read the
 * progress.
 */
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import type { ScreenCircles } from '../screen/screenCircles';
import type { ScreenSummaryReport } from '../screen/summary';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { requestAs } from '../testing/requestAs';
import { ensureIsochrones } from './isochrones';
import { type IsochroneJob, type IsochroneJobStatus, isochroneJobStatus, startIsochroneJob } from './isochroneJob';
import { DEFAULT_SPEED_M_PER_MIN } from './walking';

const LEADER = { id: 0, username: 'test-leader', displayName: '测试领导', role: 'leader' as const, jurisdictionCode: null, gridCodes: [], departmentId: null };

describeEachEngine('background isochrone job', (db) => {
  let job: IsochroneJob | undefined;
  afterAll(async () => {
    await job?.stop();
  });
  const json = async <T>(path: string) => (await (await request(db(), path)).json()) as T;

  it('computes every missing circle off the request path; the screen switches from the estimate once all are ready', async () => {
    await db().rows(sql`DELETE FROM isochrones`);
    const before = await isochroneJobStatus(db());
    expect(before.state).toBe('off');
    expect(before.ready).toBe(0);
    const [centres] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`);
    expect(before.total).toBe(centres!.n * 3);
    const circlesBefore = await json<ScreenCircles>('/api/screen/circles');
    expect(circlesBefore.ready).toBe(false);
    expect(circlesBefore.circles).toEqual([]);
    expect((await json<ScreenSummaryReport>('/api/screen/summary')).coverage.method).toBe('buffer');

    // 15-minute circles only (what the screen and the coverage figure use), to keep the test short.
    job = startIsochroneJob(db(), { minutes: [15], pauseMs: 1 });
    // Other queries keep being answered while it runs.
    const [alive] = await db().rows<{ one: number }>(sql`SELECT 1 AS one`);
    expect(alive!.one).toBe(1);
    await job.whenIdle();
    const after = await job.status();
    expect(after).toMatchObject({ state: 'idle', total: centres!.n, ready: centres!.n, error: null });
    console.log(`[${db().kind}] ${centres!.n} circles, longest step ${after.longestStepMs} ms`);
    // Nothing left for the request path to compute.
    expect(await ensureIsochrones(db(), { centreIds: null, minutes: [15], speedMPerMin: DEFAULT_SPEED_M_PER_MIN })).toBe(0);

    const circles = await json<ScreenCircles>('/api/screen/circles');
    const [community] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres WHERE level = 'community'`);
    expect(circles.ready).toBe(true);
    expect(circles.circles).toHaveLength(community!.n);
    expect(circles.circles.some((c) => c.method === 'network')).toBe(true);
    const summary = await json<ScreenSummaryReport>('/api/screen/summary');
    expect(summary.coverage.method).toBe('isochrone');
    const [covered] = await db().rows<{ hh: number }>(sql`
      SELECT coalesce(sum(g.households) FILTER (WHERE EXISTS (SELECT 1 FROM isochrones i WHERE i.minutes = 15 AND ST_Intersects(i.geom, g.label_point))), 0)::bigint AS hh FROM grids g`);
    expect(summary.coverage.coveredHouseholds).toBe(Number(covered!.hh));
  }, 900_000);

  it('recomputes a centre moved through the API without being asked', async () => {
    const [centre] = await db().rows<{ id: number; lon: number; lat: number }>(sql`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM service_centres WHERE level = 'community' ORDER BY id LIMIT 1`);
    const res = await request(db(), `/api/centres/${centre!.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ position: [Number(centre!.lon) + 0.001, Number(centre!.lat)] }),
    });
    expect(res.status).toBe(200);
    await job!.whenIdle();
    const [row] = await db().rows<{ fresh: boolean }>(sql`
      SELECT i.computed_at >= c.updated_at AS fresh FROM isochrones i JOIN service_centres c ON c.id = i.centre_id WHERE i.centre_id = ${centre!.id} AND i.minutes = 15`);
    expect(row?.fresh).toBe(true);
    expect((await json<ScreenCircles>('/api/screen/circles')).ready).toBe(true);
  }, 300_000);

  it('shows the progress to admins only', async () => {
    const admin = await request(db(), '/api/coverage/isochrones/status');
    expect(admin.status).toBe(200);
    const status = (await admin.json()) as IsochroneJobStatus;
    expect(status.state).toBe('idle');
    expect(status.ready).toBe(status.total);
    const leader = await requestAs(db(), LEADER, '/api/coverage/isochrones/status');
    expect(leader.status).toBe(403);
  });
});
