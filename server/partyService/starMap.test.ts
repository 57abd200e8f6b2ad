/** Why: the map's 星级 mode must colour by each organisation's latest FINAL rating; ratings still in review or 公示 must not count. */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';

const COMMUNITY = '450902005001';
const [G1, G2, G3] = [`${COMMUNITY}001`, `${COMMUNITY}002`, `${COMMUNITY}003`];

/** [org, year, status, stars] — by hand: community 2025 final 4★ (2026 only in 公示), G1 2024 final 2★ (2025 self-assessed), G2 none final, G3 2026 final 5★. */
const FIXTURE: [string, number, string, number | null][] = [
  [COMMUNITY, 2024, 'final', 3],
  [COMMUNITY, 2025, 'final', 4],
  [COMMUNITY, 2026, 'public', 5],
  [G1, 2024, 'final', 2],
  [G1, 2025, 'self', null],
  [G2, 2025, 'review', 5],
  [G2, 2026, 'public', 1],
  [G3, 2023, 'final', 1],
  [G3, 2026, 'final', 5],
];
const EXPECTED = [
  { orgCode: COMMUNITY, year: 2025, stars: 4 },
  { orgCode: G1, year: 2024, stars: 2 },
  { orgCode: G3, year: 2026, stars: 5 },
];

type Answer = { ratings: { orgCode: string; orgName: string; year: number; stars: number; finalAt: string | null }[] };

describeEachEngine('latest final star ratings for the map', (db) => {
  beforeAll(async () => {
    await db().rows(sql`DELETE FROM star_ratings WHERE org_code LIKE ${`${COMMUNITY}%`}`);
    for (const [org, year, status, stars] of FIXTURE) {
      await db().rows(sql`
        INSERT INTO star_ratings (year, org_code, org_name, status, self_scores, stars, self_by, final_at)
        VALUES (${year}, ${org}, ${`组织 ${org}`}, ${status}, '{}'::jsonb, ${stars}, 'fixture', ${status === 'final' ? `${year}-11-25T01:00:00Z` : null})`);
    }
  });

  it('answers the latest final rating per organisation of a community, ignoring non-final ones', async () => {
    const { status, body } = await requestJson<Answer>(db(), `/api/stars/latest-final?region=${COMMUNITY}`);
    expect(status).toBe(200);
    expect(body.ratings.map(({ orgCode, year, stars }) => ({ orgCode, year, stars }))).toEqual(EXPECTED);
    expect(body.ratings[0]).toMatchObject({ orgName: `组织 ${COMMUNITY}`, finalAt: '2025-11-25T01:00:00.000Z' });
  });

  it('answers the same rows within the whole city, and each other final organisation once', async () => {
    const { status, body } = await requestJson<Answer>(db(), '/api/stars/latest-final');
    expect(status).toBe(200);
    expect(body.ratings.filter((r) => r.orgCode.startsWith(COMMUNITY)).map(({ orgCode, year, stars }) => ({ orgCode, year, stars }))).toEqual(EXPECTED);
    const codes = body.ratings.map((r) => r.orgCode);
    expect(new Set(codes).size).toBe(codes.length);
    // Every other organisation's answer is its own newest final year.
    const [newest] = await db().rows<{ n: number }>(sql`SELECT count(DISTINCT org_code)::int AS n FROM star_ratings WHERE status = 'final'`);
    expect(codes).toHaveLength(Number(newest!.n));
  });

  it('refuses a malformed region and an unknown one', async () => {
    const bad = await requestJson<{ errors: { field: string }[] }>(db(), '/api/stars/latest-final?region=45');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]!.field).toBe('region');
    const unknown = await requestJson(db(), '/api/stars/latest-final?region=450902999');
    expect(unknown.status).toBe(404);
  });
});
