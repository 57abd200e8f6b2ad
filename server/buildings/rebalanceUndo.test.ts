import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { bandAroundMean, REBALANCE_COMMUNITY, send } from '../testing/gridFixtures';
import { request } from '../testing/request';
import { postJsonAs, requestAs } from '../testing/requestAs';
import { testPlanner } from '../testing/principals';
import { communityTopology } from '../testing/topologyChecks';

const COMMUNITY = REBALANCE_COMMUNITY;

/** The stored state an undo must bring back: households per grid (sum of its buildings) and each building's grid. */
async function stored(db: DbHandle) {
  const perGrid = await db.rows<{ code: string; households: number }>(sql`
    SELECT g.code, coalesce(sum(b.households), 0)::int AS households FROM grids g LEFT JOIN buildings b ON b.grid_id = g.id WHERE g.community_code = ${COMMUNITY} GROUP BY g.code ORDER BY g.code`);
  const assignment = await db.rows<{ code: string; grid: string | null }>(sql`
    SELECT b.code, g.code AS grid FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id WHERE b.community_code = ${COMMUNITY} ORDER BY b.code`);
  return { perGrid: perGrid.map((g) => [g.code, Number(g.households)]), assignment: assignment.map((a) => [a.code, a.grid]) };
}

async function saveSuggestion(db: DbHandle) {
  const s = (await send(db, 'GET', `/api/buildings/rebalance/${COMMUNITY}`)).body;
  const versions = s.grids.map((g: { code: string; version: number }) => ({ code: g.code, version: g.version }));
  const moves = s.moves.map((m: { building: string; to: string }) => ({ building: m.building, to: m.to }));
  const saved = await send(db, 'POST', `/api/buildings/rebalance/${COMMUNITY}`, { moves, versions });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { suggestion: s, saved: saved.body };
}

describeEachEngine('均衡 undo as a whole', (db) => {
  it('lists the saved batch, a dry run writes nothing, the undo restores households per grid and every building’s grid, once', async () => {
    // A band of ±10 % around the community's mean: several grids outside it, several moves.
    expect((await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, await bandAroundMean(db(), COMMUNITY))).status).toBe(200);
    const before = await stored(db());
    const { suggestion, saved } = await saveSuggestion(db());
    expect(suggestion.moves.length).toBeGreaterThan(1);
    expect(saved.batch).toEqual(expect.any(Number));
    const after = await stored(db());
    expect(after.perGrid).not.toEqual(before.perGrid);

    const list = await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`);
    expect(list.status).toBe(200);
    const [batch] = list.body.batches;
    expect(batch).toMatchObject({ id: saved.batch, actor: '测试管理员', undoneAt: null, undoable: true });
    expect(batch.moves).toEqual(suggestion.moves.map((m: { building: string; households: number; from: string; to: string }) => ({ building: m.building, households: m.households, from: m.from, to: m.to })));
    expect(batch.households).toBe(suggestion.moves.reduce((t: number, m: { households: number }) => t + m.households, 0));
    expect(Math.abs(Date.parse(batch.at) - Date.now())).toBeLessThan(60_000);

    const [versionsBefore] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grid_versions`);
    const dry = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    // The impact moves exactly the batch's buildings back to the grids they came from.
    expect(dry.body.impact.moved.buildings).toBe(suggestion.moves.length);
    const back = new Map(suggestion.moves.map((m: { building: string; from: string; to: string }) => [m.building, [m.to, m.from]]));
    for (const b of dry.body.impact.buildings as { code: string; from: string; to: string }[]) expect([b.from, b.to]).toEqual(back.get(b.code));
    expect(await stored(db())).toEqual(after);
    const [versionsDry] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grid_versions`);
    expect(versionsDry!.n).toBe(versionsBefore!.n);
    expect((await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`)).body.batches[0].undoneAt).toBeNull();

    const undone = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch });
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.changes.map((c: { action: string }) => c.action)).toEqual(batch.grids.map(() => 'revert'));
    expect(await stored(db())).toEqual(before);
    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.overlapM2).toBeLessThan(1);
    expect(topo.gapM2).toBeLessThan(1);
    const listed = (await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`)).body.batches[0];
    expect(listed).toMatchObject({ id: saved.batch, undoneBy: '测试管理员', undoable: false });
    expect(listed.undoneAt).not.toBeNull();

    // Once only.
    const again = await send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch });
    expect(again.status).toBe(409);
    expect(again.body.title).toBe('无法撤销均衡');
  });

  it('only editors of the community undo (the policy table and the jurisdiction); anyone reads the list', async () => {
    expect((await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, await bandAroundMean(db(), COMMUNITY))).status).toBe(200);
    const { saved } = await saveSuggestion(db());
    const analyst = { ...testPlanner('450902005'), username: 'analyst-x', role: 'analyst' as const, jurisdictionCode: null };
    const list = await requestAs(db(), analyst, `/api/buildings/rebalance/${COMMUNITY}/batches`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { batches: { id: number }[] }).batches[0]?.id).toBe(saved.batch);
    const state = await stored(db());
    expect((await postJsonAs(db(), analyst, `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch })).status).toBe(403);
    // A planner of another street is refused by the jurisdiction check, in Chinese.
    const other = await postJsonAs(db(), testPlanner('450902003'), `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch, dryRun: true });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { detail: string }).detail).toContain('辖区');
    expect(await stored(db())).toEqual(state);
    // The street's planner may.
    const own = await postJsonAs(db(), testPlanner('450902005'), `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch });
    expect(own.status, await own.clone().text()).toBe(200);
  });

  it('409 when a building or a grid of the batch was edited after it; nothing written', async () => {
    expect((await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, await bandAroundMean(db(), COMMUNITY))).status).toBe(200);
    const { saved } = await saveSuggestion(db());
    const [batch] = (await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`)).body.batches;
    const undo = (dryRun: boolean) => send(db(), 'POST', `/api/buildings/rebalance/${COMMUNITY}/undo`, { batch: saved.batch, dryRun });

    // A moved building re-imported (one more household) where it stands: the batch no longer holds it.
    const moved = batch.moves[0].building as string;
    const [b] = await db().rows<{ address: string | null; floors: number | null; households: number; population: number; lon: number; lat: number }>(
      sql`SELECT address, floors, households, population, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM buildings WHERE code = ${moved}`,
    );
    const csv = ['code,address,floors,households,population,lon,lat', `${moved},${b!.address ?? '楼'},${b!.floors ?? 6},${b!.households + 1},${b!.population},${b!.lon},${b!.lat}`].join('\n');
    const imported = await request(db(), '/api/buildings/imports?format=csv&dryRun=false', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: csv });
    expect(imported.status, await imported.clone().text()).toBe(200);
    let state = await stored(db());
    for (const dryRun of [true, false]) {
      const res = await undo(dryRun);
      expect(res.status).toBe(409);
      expect(res.body.conflicts).toEqual([{ kind: 'building', code: moved, reason: `楼栋 ${moved} 在均衡后又被修改` }]);
    }
    expect(await stored(db())).toEqual(state);

    // A grid of the batch renamed: named too, and the list says the batch is no longer current.
    const code = batch.grids[0] as string;
    const [g] = await db().rows<{ version: number; name: string }>(sql`SELECT version, name FROM grids WHERE code = ${code}`);
    const edit = await send(db(), 'PUT', `/api/grids/${code}`, { version: g!.version, attributes: { name: `${g!.name}乙` } });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect((await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`)).body.batches[0].undoable).toBe(false);
    state = await stored(db());
    for (const dryRun of [true, false]) {
      const res = await undo(dryRun);
      expect(res.status).toBe(409);
      expect(res.body.title).toBe('无法撤销均衡');
      expect(res.body.detail).toContain(`网格 ${code} 在均衡后又被修改`);
      expect(res.body.conflicts.map((c: { kind: string; code: string }) => [c.kind, c.code])).toEqual([
        ['grid', code],
        ['building', moved],
      ]);
    }
    expect(await stored(db())).toEqual(state);
    expect((await send(db(), 'GET', `/api/buildings/rebalance/${COMMUNITY}/batches`)).body.batches[0].undoneAt).toBeNull();
  });
});
