/**
 * Fifty planners saving at once across several communities: every save either wins
 * (and is in the history under its author) or gets 409 and retries; nothing is lost,
 * the grids still tile their communities.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';
import { sessionFor } from '../testing/sessions';
import { communityTopology, historyHoles } from '../testing/topologyChecks';

const COMMUNITIES = ['450902005001', '450902005002', '450902001001', '450902003001', '450902004001'];
const EDITORS = 50;
const SAVES_PER_EDITOR = 3;

describeEachEngine('soak: 50 concurrent editors', (db) => {
  it('loses no update and keeps topology and history complete', async () => {
    const app = createApp(db());
    const grids = await db().rows<{ code: string }>(sql`
      SELECT code FROM grids WHERE community_code IN (${sql.join(
        COMMUNITIES.map((c) => sql`${c}`),
        sql`, `,
      )}) ORDER BY code`);
    const wins: { code: string; version: number; editor: string; households: number }[] = [];
    let conflicts = 0;
    const failures: number[] = [];

    await Promise.all(
      Array.from({ length: EDITORS }, async (_, e) => {
        const editor = `编辑员${e}`;
        const token = await sessionFor(db(), { ...TEST_ADMIN, username: `editor-${e}`, displayName: editor });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        for (let s = 0; s < SAVES_PER_EDITOR; s++) {
          const code = grids[(e * 7 + s * 3) % grids.length]!.code;
          const households = 1000 + e * 10 + s;
          for (let attempt = 0; attempt < 30; attempt++) {
            const current = (await (await app.request(`/api/grids/${code}`, { headers })).json()) as { version: number };
            const res = await app.request(`/api/grids/${code}`, { method: 'PUT', headers, body: JSON.stringify({ version: current.version, attributes: { households } }) });
            if (res.status === 200) {
              const body = (await res.json()) as { changes: { code: string; version: number }[] };
              wins.push({ code, version: body.changes.find((c) => c.code === code)!.version, editor, households });
              break;
            }
            if (res.status === 409) conflicts++;
            else failures.push(res.status);
            await res.arrayBuffer();
          }
        }
      }),
    );

    expect(failures).toEqual([]);
    expect(wins).toHaveLength(EDITORS * SAVES_PER_EDITOR);
    // Every win produced its own version, recorded under its author with its value.
    const keys = wins.map((w) => `${w.code}@${w.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    const history = await db().rows<{ grid_code: string; version: number; actor: string; households: number }>(sql`
      SELECT grid_code, version, actor, (after_attrs->>'households')::int AS households FROM grid_versions WHERE actor LIKE '编辑员%'`);
    const recorded = new Map(history.map((h) => [`${h.grid_code}@${h.version}`, h]));
    for (const w of wins) expect(recorded.get(`${w.code}@${w.version}`)).toMatchObject({ actor: w.editor, households: w.households });
    // Each grid ends with the value of its last winning save.
    const last = new Map<string, (typeof wins)[number]>();
    for (const w of wins) if ((last.get(w.code)?.version ?? 0) < w.version) last.set(w.code, w);
    for (const [code, w] of last) {
      const [row] = await db().rows<{ households: number }>(sql`SELECT households FROM grids WHERE code = ${code}`);
      expect(row!.households).toBe(w.households);
    }
    for (const c of COMMUNITIES) {
      expect(await historyHoles(db(), c)).toEqual([]);
      const topo = await communityTopology(db(), c);
      expect(topo.overlapM2).toBeLessThan(0.01);
      expect(Math.abs(topo.gapM2)).toBeLessThan(0.01);
    }
    console.log(`soak: ${wins.length} saves, ${conflicts} conflicts retried`);
  });
});
