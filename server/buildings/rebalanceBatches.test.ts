/**
 * Pages of the saved 均衡 (GET /api/buildings/rebalance/:community/batches?before=&limit=) on both
 * engines: five batches of one community are listed newest first in pages of two, each page's
 * nextBefore leading to the next and null on the last, together exactly the five; another
 * community's batches never appear; a bad cursor or limit is a 400 naming the field.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

describeEachEngine('均衡 batches by page', (db) => {
  it('pages newest first by a batch-id cursor, and validates the cursor', async () => {
    const [pair] = await db().rows<{ a: string; b: string }>(sql`
      SELECT min(code) AS a, max(code) AS b FROM regions WHERE level = 'community' AND code NOT IN (SELECT community_code FROM rebalance_batches)`);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [row] = await db().rows<{ id: number }>(sql`
        INSERT INTO rebalance_batches (community_code, actor, grids, moves) VALUES (${pair!.a}, ${`规划员${i}`}, '[]'::jsonb, '[]'::jsonb) RETURNING id`);
      ids.push(Number(row!.id));
      await db().rows(sql`INSERT INTO rebalance_batches (community_code, actor, grids, moves) VALUES (${pair!.b}, '他社区', '[]'::jsonb, '[]'::jsonb) RETURNING id`);
    }
    const seen: number[][] = [];
    let before: number | null | undefined;
    do {
      const res = await request(db(), `/api/buildings/rebalance/${pair!.a}/batches?limit=2${before ? `&before=${before}` : ''}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { nextBefore: number | null; batches: { id: number; actor: string }[] };
      seen.push(body.batches.map((b) => b.id));
      before = body.nextBefore;
      if (before !== null) expect(before).toBe(body.batches.at(-1)!.id);
    } while (before !== null && seen.length < 10);
    const newest = [...ids].reverse();
    expect(seen).toEqual([newest.slice(0, 2), newest.slice(2, 4), newest.slice(4)]);
    // The default page holds all five.
    const all = (await (await request(db(), `/api/buildings/rebalance/${pair!.a}/batches`)).json()) as { nextBefore: number | null; batches: { actor: string }[] };
    expect([all.batches.map((b) => b.actor), all.nextBefore]).toEqual([['规划员4', '规划员3', '规划员2', '规划员1', '规划员0'], null]);
    for (const bad of ['limit=0', 'limit=101', 'before=abc']) {
      const res = await request(db(), `/api/buildings/rebalance/${pair!.a}/batches?${bad}`);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(bad.split('=')[0]);
    }
  });
});
