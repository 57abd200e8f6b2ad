/**
 * The field app's server side (issue 15 points 1, 4, 5): a patrol started, its points
 * stored (a retried batch kept once, bad fixes refused by field), checked in and
 * stopped; the community's tracks as GeoJSON with distance and per-worker figures, read
 * by jurisdiction (a grid worker only their grids, staff not at all, analysts without
 * names); visits and their counts per grid; 我的网格 with geometry, neighbours and masked
 * phones, and the inside-my-grid check.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { type LoopPeople, loopPeople } from '../testing/loopPeople';
import { requestAs } from '../testing/requestAs';

// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field
type Json = Record<string, any>;
const call = async (db: DbHandle, u: SessionUser, path: string, body?: unknown, key?: string) => {
  const res = await requestAs(db, u, path, body === undefined ? undefined : { method: 'POST', headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
};

describeEachEngine('field app: patrols, visits, my grids', (db) => {
  let p: LoopPeople;
  let inside: { lon: number; lat: number };
  let community: string;
  beforeAll(async () => {
    p = await loopPeople(db(), 'field');
    const [pt] = await db().rows<{ lon: number; lat: number; community_code: string }>(
      sql`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat, community_code FROM grids WHERE code = ${p.grid}`,
    );
    inside = { lon: Number(pt!.lon), lat: Number(pt!.lat) };
    community = pt!.community_code;
    await db().rows(sql`INSERT INTO user_phones (user_id, phone) VALUES (${p.users.gw1.id}, '13812345678'), (${p.users.gwNeighbour.id}, '13987654321')`);
  });
  const track = (start: number, n: number, t0: number) =>
    Array.from({ length: n }, (_, k) => ({ recordedAt: new Date(t0 + k * 20_000).toISOString(), lon: inside.lon + (start + k) * 0.0002, lat: inside.lat, accuracyM: 8 }));

  it('start → points (a retried batch kept once) → check-in → stop: stored with its points, distance and duration', async () => {
    const { gw1 } = p.users;
    const started = await call(db(), gw1, '/api/patrols', { note: '日常巡查' }, randomUUID());
    expect(started.status).toBe(201);
    const id = started.body.patrol.id as number;
    expect(started.body.patrol).toMatchObject({ status: 'active', gridCodes: [p.grid], communityCode: community, pointCount: 0 });
    expect((await call(db(), gw1, '/api/patrols', {})).status).toBe(409);

    const t0 = Date.now() - 5 * 60_000;
    const batch = { points: track(0, 6, t0) };
    const first = await call(db(), gw1, `/api/patrols/${id}/points`, batch);
    expect(first.body).toEqual({ patrolId: id, accepted: 6, duplicates: 0, pointCount: 6 });
    // The same batch again (the phone never saw the answer) plus two new points: only the new ones are added.
    const again = await call(db(), gw1, `/api/patrols/${id}/points`, { points: [...batch.points, ...track(6, 2, t0 + 6 * 20_000)] });
    expect(again.body).toEqual({ patrolId: id, accepted: 2, duplicates: 6, pointCount: 8 });

    const bad = await call(db(), gw1, `/api/patrols/${id}/points`, {
      points: [
        { recordedAt: new Date().toISOString(), lon: 2.35, lat: 48.85, accuracyM: 10 },
        { recordedAt: new Date().toISOString(), lon: inside.lon, lat: inside.lat, accuracyM: -1 },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['points.0.lon', 'points.1.accuracyM']);
    expect((await call(db(), gw1, `/api/patrols/${id}/points`, { points: [{ recordedAt: 'gestern', lon: inside.lon, lat: inside.lat }] })).status).toBe(400);

    const checkin = await call(db(), gw1, `/api/patrols/${id}/checkins`, { placeName: '五里桥小区东门', note: '消防通道畅通', ...inside, recordedAt: new Date().toISOString() });
    expect(checkin.status).toBe(201);
    expect(checkin.body.checkin).toMatchObject({ patrolId: id, placeName: '五里桥小区东门' });

    // Someone else's patrol: 403, and nothing written.
    expect((await call(db(), p.users.gw2, `/api/patrols/${id}/points`, { points: track(20, 1, Date.now()) })).status).toBe(403);
    expect((await call(db(), p.users.dispatcher, '/api/patrols', {})).status).toBe(403);

    const stopped = await call(db(), gw1, `/api/patrols/${id}/stop`, {});
    expect(stopped.status).toBe(200);
    expect(stopped.body.patrol).toMatchObject({ status: 'ended', pointCount: 8, checkinCount: 1 });
    expect(stopped.body.patrol.endedAt).not.toBeNull();
    // 7 steps of 0.0002° of longitude at ~22.6° N ≈ 7 × 20.5 m.
    expect(stopped.body.patrol.distanceM).toBeGreaterThan(130);
    expect(stopped.body.patrol.distanceM).toBeLessThan(160);
    const stored = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM patrol_points WHERE patrol_id = ${id}`);
    expect(Number(stored[0]!.n)).toBe(8);
    expect((await call(db(), gw1, `/api/patrols/${id}/stop`, {})).body.patrol.endedAt).toBe(stopped.body.patrol.endedAt);

    const mine = await call(db(), gw1, '/api/patrols/mine');
    expect(mine.body.active).toBeNull();
    expect(mine.body.recent[0]).toMatchObject({ id, status: 'ended', pointCount: 8 });
  });

  it('the community layer: GeoJSON tracks and per-worker figures, read by jurisdiction', async () => {
    const list = await call(db(), p.users.dispatcher, `/api/patrols?community=${community}`);
    expect(list.status).toBe(200);
    expect(list.body.type).toBe('FeatureCollection');
    const feature = list.body.features.find((f: Json) => f.properties.userId === p.users.gw1.id);
    expect(feature.geometry.type).toBe('LineString');
    expect(feature.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    expect(feature.properties.workerName).toBe(p.users.gw1.displayName);
    const worker = list.body.workers.find((w: Json) => w.userId === p.users.gw1.id);
    expect(worker).toMatchObject({ patrols: 1, checkins: 1 });
    expect(worker.distanceM).toBe(feature.properties.distanceM);

    // Analysts read tracks without names; department staff not at all; a far dispatcher not here.
    const analyst = await call(db(), p.users.analyst, `/api/patrols?community=${community}`);
    expect(analyst.body.personalDataWithheld).toBe(true);
    expect(analyst.body.features.every((f: Json) => f.properties.workerName === null)).toBe(true);
    expect((await call(db(), p.users.staffCg, `/api/patrols?community=${community}`)).status).toBe(403);
    expect((await call(db(), p.users.farDispatcher, `/api/patrols?community=${community}`)).status).toBe(403);

    // A grid worker of a neighbouring grid sees only patrols of their own grid: not gw1's.
    const neighbour = await call(db(), p.users.gwNeighbour, `/api/patrols?community=${community}`);
    expect(neighbour.status).toBe(200);
    expect(neighbour.body.features.some((f: Json) => f.properties.userId === p.users.gw1.id)).toBe(false);
    expect((await call(db(), p.users.gwFar, `/api/patrols?community=${community}`)).status).toBe(403);
    expect((await call(db(), p.users.dispatcher, '/api/patrols?community=12')).status).toBe(400);
  });

  it('visits: recorded idempotently by the grid worker of the grid, listed and counted per grid', async () => {
    const { gw1, gw2, gwNeighbour, dispatcher } = p.users;
    const key = randomUUID();
    const body = { gridCode: p.grid, target: '3栋2单元401', note: '独居老人，身体尚好', visitedAt: new Date(Date.now() - 3600_000).toISOString(), ...inside, accuracyM: 15 };
    const first = await call(db(), gw1, '/api/visits', body, key);
    expect(first.status).toBe(201);
    expect((await call(db(), gw1, '/api/visits', body, key)).body).toEqual(first.body);
    expect((await call(db(), gw2, '/api/visits', { ...body, target: '5栋101' })).status).toBe(201);
    expect((await call(db(), gwNeighbour, '/api/visits', { ...body, target: '9栋' })).status).toBe(403);
    const future = await call(db(), gw1, '/api/visits', { ...body, visitedAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].field).toBe('visitedAt');

    const listed = await call(db(), dispatcher, `/api/visits?grid=${p.grid}`);
    expect(listed.body.visits.map((v: Json) => v.target).sort()).toEqual(['3栋2单元401', '5栋101']);
    expect((await call(db(), gwNeighbour, `/api/visits?grid=${p.grid}`)).status).toBe(403);

    const counts = await call(db(), dispatcher, `/api/visits/counts?community=${community}`);
    const byGrid = Object.fromEntries(counts.body.grids.map((g: Json) => [g.gridCode, g.visits]));
    expect(byGrid[p.grid]).toBe(2);
    expect(byGrid[p.neighbourGrid]).toBe(0);
    expect(counts.body.total).toBe(2);
    // The neighbour's own view counts only their grid.
    const theirs = await call(db(), gwNeighbour, `/api/visits/counts?community=${community}`);
    expect(theirs.body.grids.map((g: Json) => g.gridCode)).toEqual([p.neighbourGrid]);
  });

  it('我的网格: geometry, party organisation, workers of the grid and its neighbours with masked phones, bbox; inside-grid check', async () => {
    const mine = await call(db(), p.users.gw1, '/api/me/grids');
    expect(mine.status).toBe(200);
    const [grid] = mine.body.grids;
    expect(grid.code).toBe(p.grid);
    expect(grid.geometry.type).toBe('MultiPolygon');
    expect(grid.households).toBeGreaterThanOrEqual(0);
    expect(grid.partyOrg.secretaryPhone ?? '').not.toMatch(/\d{11}/);
    expect(grid.workers.find((w: Json) => w.self)).toMatchObject({ userId: p.users.gw1.id, phone: '138****5678' });
    const neighbour = grid.neighbours.find((n: Json) => n.code === p.neighbourGrid);
    expect(neighbour.workers.find((w: Json) => w.userId === p.users.gwNeighbour.id)).toMatchObject({ name: p.users.gwNeighbour.displayName, phone: '139****4321' });
    const [w, s, e, n] = mine.body.bbox;
    expect(w < inside.lon && inside.lon < e && s < inside.lat && inside.lat < n).toBe(true);
    expect((await call(db(), p.users.dispatcher, '/api/me/grids')).status).toBe(403);

    const here = await call(db(), p.users.gw1, `/api/me/grids/locate?lon=${inside.lon}&lat=${inside.lat}`);
    expect(here.body).toMatchObject({ inside: true, grid: { code: p.grid } });
    const there = await call(db(), p.users.gwNeighbour, `/api/me/grids/locate?lon=${inside.lon}&lat=${inside.lat}`);
    expect(there.body.inside).toBe(false);
    expect(there.body.nearestMine.code).toBe(p.neighbourGrid);
  });
});
