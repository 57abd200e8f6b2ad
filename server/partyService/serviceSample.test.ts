/** The sample's party-service data (data/serviceSample.ts) as loaded on both engines: every community has it, every state occurs. */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';

describeEachEngine('party-service sample data', (db) => {
  it('registers units and members at every community and fills the 三清单', async () => {
    const [r] = await db().rows<Record<string, number>>(sql`
      SELECT (SELECT count(*) FROM regions WHERE level = 'community')::int AS communities,
             (SELECT count(DISTINCT community_code) FROM party_units)::int AS with_units,
             (SELECT count(DISTINCT community_code) FROM party_members WHERE reported_on IS NOT NULL)::int AS with_members,
             (SELECT count(*) FROM party_units)::int AS units,
             (SELECT count(*) FROM party_members)::int AS members,
             (SELECT count(*) FROM party_members WHERE reported_on IS NOT NULL)::int AS reported,
             (SELECT sum(member_count) FROM party_units)::int AS should,
             (SELECT count(DISTINCT community_code) FROM community_list_items WHERE list = 'need')::int AS with_needs,
             (SELECT count(DISTINCT status) FROM co_build_projects)::int AS project_states`);
    expect(r!.with_units).toBe(r!.communities);
    expect(r!.with_members).toBe(r!.communities);
    expect(r!.with_needs).toBe(r!.communities);
    expect(r!.members).toBe(r!.should);
    expect(Number(r!.units) / Number(r!.communities)).toBeGreaterThanOrEqual(3);
    expect(Number(r!.reported) / Number(r!.members)).toBeGreaterThan(0.75);
    expect(r!.project_states).toBe(3);
  });

  it('has wishes in all four states with their history, and ratings for two years with some in 公示', async () => {
    const states = await db().rows<{ status: string; n: number; events: number }>(sql`
      SELECT w.status, count(DISTINCT w.id)::int AS n, count(e.id)::int AS events FROM service_wishes w JOIN service_wish_events e ON e.wish_id = w.id GROUP BY 1 ORDER BY 1`);
    expect(states.map((s) => s.status)).toEqual(['claimed', 'confirmed', 'done', 'open']);
    const events = Object.fromEntries(states.map((s) => [s.status, Number(s.events) / Number(s.n)]));
    expect(events).toEqual({ open: 1, claimed: 2, done: 3, confirmed: 4 });
    const ratings = await db().rows<{ year: number; status: string; n: number }>(sql`SELECT year, status, count(*)::int AS n FROM star_ratings GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(ratings.filter((r) => r.year === 2025).map((r) => r.status)).toEqual(['final']);
    expect(ratings.filter((r) => r.year === 2026).map((r) => r.status)).toEqual(['final', 'public', 'review', 'self']);
    const [pub] = await db().rows<{ future: boolean; objections: number }>(sql`
      SELECT bool_and(public_until > now()) AS future, (SELECT count(*)::int FROM star_objections) AS objections FROM star_ratings WHERE status = 'public'`);
    expect(pub).toEqual({ future: true, objections: expect.any(Number) });
    expect(pub!.objections).toBeGreaterThan(0);
  });
});
