import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { bandAroundMean, REBALANCE_COMMUNITY, send } from '../testing/gridFixtures';
import { communityTopology } from '../testing/topologyChecks';
import { planRebalance } from './rebalance';

const COMMUNITY = '450902005001';

it('greedy plan: an over-band grid gives boundary buildings to its under-band neighbour, never splitting itself', () => {
  // A row of buildings 1-2-3-4 | 5-6: grid 1 holds four (600), grid 2 two (200); band 300–500.
  const pieces = [1, 2, 3, 4, 5, 6].map((id) => ({ id, code: `B${id}`, households: 150 - (id === 1 ? 0 : 0), gridId: id <= 4 ? 1 : 2 }));
  pieces[4]!.households = 100;
  pieces[5]!.households = 100;
  const pairs = [
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
  ] as const;
  const moves = planRebalance(pieces, pairs, { min: 300, max: 500 });
  expect(moves).toEqual([{ buildingId: 4, from: 1, to: 2 }]);
  // Taking building 2 would split grid 1 (1 | 3-4): the plan never does.
  const split = planRebalance(
    pieces,
    [
      [1, 2],
      [2, 3],
      [3, 4],
      [2, 5],
      [5, 6],
    ],
    { min: 300, max: 500 },
  );
  expect(split).toEqual([]);
});

describeEachEngine('均衡 rebalance', (db) => {
  it('finds moves across most grid boundaries: pieces are cut per grid, so pieces of neighbouring grids touch', async () => {
    // The sample's 均衡 community in a band of ±10 % around its mean: the buildings on the shared edges are enough to bring every grid in.
    const c = REBALANCE_COMMUNITY;
    const band = await bandAroundMean(db(), c);
    expect((await send(db(), 'PUT', `/api/buildings/bands/${c}`, band)).status).toBe(200);
    const s = (await send(db(), 'GET', `/api/buildings/rebalance/${c}`)).body;
    expect(s.grids.filter((g: { statusBefore: string }) => g.statusBefore !== 'in').length).toBeGreaterThan(1);
    expect(s.moves.length).toBeGreaterThan(1);
    expect(s.grids.filter((g: { status: string }) => g.status !== 'in')).toEqual([]);
    // A planner may drop the last move: the rest still passes every rule.
    const versions = s.grids.map((g: { code: string; version: number }) => ({ code: g.code, version: g.version }));
    const moves = s.moves.slice(0, -1).map((m: { building: string; to: string }) => ({ building: m.building, to: m.to }));
    const dry = await send(db(), 'POST', `/api/buildings/rebalance/${c}?dryRun=true`, { moves, versions });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.impact.moved.buildings).toBe(moves.length);
  });

  it('suggests moves that bring the community into the band, and the save keeps it gap- and overlap-free', async () => {
    // A band from the community's own figures: just above its smallest grid, so that grid is below the band and its neighbours can give.
    const [stats] = await db().rows<{ mean: number; lo: number; hi: number }>(sql`
      SELECT avg(h)::float AS mean, min(h)::float AS lo, max(h)::float AS hi FROM (SELECT sum(b.households) AS h FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_code = ${COMMUNITY} GROUP BY g.id) x`);
    const band = { min: Math.round(stats!.lo) + 1, max: Math.round(stats!.hi) + 200 };
    expect((await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, band)).status).toBe(200);
    const suggestion = await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}`);
    expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
    const s = suggestion.body;
    const outBefore = s.grids.filter((g: { statusBefore: string }) => g.statusBefore !== 'in').length;
    const outAfter = s.grids.filter((g: { status: string }) => g.status !== 'in').length;
    expect(outBefore).toBeGreaterThan(0);
    expect(s.moves.length).toBeGreaterThan(0);
    // Each move says where its building stands (the editor's map preview), inside the grid it leaves.
    for (const m of s.moves as { from: string; position: [number, number] | null }[]) {
      expect(m.position).not.toBeNull();
      const [inside] = await db().rows<{ ok: boolean }>(sql`SELECT ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${m.position![0]}, ${m.position![1]}), 4326)) AS ok FROM grids WHERE code = ${m.from}`);
      expect(inside?.ok).toBe(true);
    }
    expect(outAfter).toBeLessThan(outBefore);
    // Households are conserved.
    const sum = (k: 'before' | 'after') => s.grids.reduce((t: number, g: Record<string, number>) => t + g[k]!, 0);
    expect(sum('after')).toBe(sum('before'));
    const versions = s.grids.map((g: { code: string; version: number }) => ({ code: g.code, version: g.version }));
    const moves = s.moves.map((m: { building: string; to: string }) => ({ building: m.building, to: m.to }));

    const dry = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}?dryRun=true`, { moves, versions });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.impact.moved.buildings).toBe(moves.length);
    expect(dry.body.impact.moved.households).toBe(s.moves.reduce((t: number, m: { households: number }) => t + m.households, 0));

    const saved = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}`, { moves, versions });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.overlapM2).toBeLessThan(1);
    expect(topo.gapM2).toBeLessThan(1);
    // Every moved building is now in its target grid; per-grid sums match the preview.
    for (const m of s.moves as { building: string; to: string }[]) {
      const [row] = await db().rows<{ code: string }>(sql`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = ${m.building}`);
      expect(row?.code).toBe(m.to);
    }
    for (const g of s.grids as { code: string; after: number }[]) {
      const sums = await send(db(), 'GET', `/api/buildings/summary?grid=${g.code}`);
      expect(sums.body.households).toBe(g.after);
    }
    // A stale version is a 409, nothing written.
    const stale = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}`, { moves: [{ building: s.moves[0].building, to: s.moves[0].from }], versions });
    expect(stale.status).toBe(409);
  });
});
