/**
 * 星级评定 as a process (issue 16 point 7) on the 五好 indicators: the community's
 * self-assessment, the street's review (its scores decide the stars), 公示 for a
 * number of days during which anyone signed in may object, and the final rating
 * once the period is over and every objection decided. The rules are
 * kernel/starRating.ts; each step is one transaction with the row locked, the
 * actor from the session and the time from the database server's clock (now()).
 * Organisations are keyed by their region code (community 12 / grid 15 digits)
 * until party-orgs' organisation table is merged.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { decideRating, DEFAULT_PUBLIC_DAYS, maySelfAssess, type RatingAction, type RatingStatus, type Scores, starsFor, totalScore } from '../../kernel/starRating';
import { PartyServiceProblem } from './errors';
import { inRegion, requireRegion } from './regionScope';

type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
const txRows = async <T>(tx: Tx, q: ReturnType<typeof sql>) => ((await tx.execute(q)) as unknown as { rows: T[] }).rows;

async function orgName(db: DbHandle, code: string): Promise<string> {
  const [r] =
    code.length === 15
      ? await db.rows<{ name: string }>(sql`SELECT coalesce(party_org_name, name) AS name FROM grids WHERE code = ${code}`)
      : // The community's 党总支 from party-orgs' tree, else the community's name.
        await db.rows<{ name: string }>(
          sql`SELECT coalesce((SELECT o.name FROM party_orgs o WHERE o.code = r.code || '-DZZ'), r.name || '党组织') AS name FROM regions r WHERE r.code = ${code} AND r.level = 'community'`,
        );
  if (!r) throw new PartyServiceProblem(404, 'orgCode', `组织 ${code} 不存在（应为社区或网格编码）`);
  return r.name;
}

/** 自评: creates the year's rating of the organisation, or replaces its scores while still unreviewed. */
export async function selfAssess(db: DbHandle, user: SessionUser, orgCode: string, year: number, scores: Scores): Promise<{ id: number; status: RatingStatus }> {
  const name = await orgName(db, orgCode);
  if (!maySelfAssess(user, orgCode)) throw new PartyServiceProblem(403, 'orgCode', '只有本社区的规划员或管理员可以提交自评');
  return db.db.transaction(async (tx) => {
    const [current] = await txRows<{ id: number; status: RatingStatus }>(tx, sql`SELECT id, status FROM star_ratings WHERE org_code = ${orgCode} AND year = ${year} FOR UPDATE`);
    if (current && current.status !== 'self') throw new PartyServiceProblem(409, 'year', `${year} 年度的评定已进入街道审核，不能再修改自评`);
    const [row] = current
      ? await txRows<{ id: number }>(
          tx,
          sql`UPDATE star_ratings SET self_scores = ${JSON.stringify(scores)}::jsonb, self_by = ${user.username}, self_at = now(), version = version + 1 WHERE id = ${current.id} RETURNING id`,
        )
      : await txRows<{ id: number }>(
          tx,
          sql`INSERT INTO star_ratings (year, org_code, org_name, status, self_scores, self_by) VALUES (${year}, ${orgCode}, ${name}, 'self', ${JSON.stringify(scores)}::jsonb, ${user.username}) RETURNING id`,
        );
    return { id: Number(row!.id), status: 'self' as const };
  });
}

export interface RatingActionInput {
  action: RatingAction;
  scores?: Scores | undefined;
  days?: number | undefined;
  text?: string | undefined;
  objectionId?: number | undefined;
  decision?: 'upheld' | 'dismissed' | undefined;
}

export async function actOnRating(db: DbHandle, user: SessionUser, id: number, input: RatingActionInput) {
  return db.db.transaction(async (tx) => {
    const [r] = await txRows<{ status: RatingStatus; org_code: string; public_until: string | null; open: number; now: string }>(
      tx,
      sql`SELECT status, org_code, public_until, now() AS now, (SELECT count(*)::int FROM star_objections o WHERE o.rating_id = s.id AND o.decision IS NULL) AS open
          FROM star_ratings s WHERE id = ${id} FOR UPDATE`,
    );
    if (!r) throw new PartyServiceProblem(404, 'id', `评定 ${id} 不存在`);
    const decision = decideRating(user, { status: r.status, orgCode: r.org_code, publicUntil: r.public_until ? new Date(r.public_until) : null, openObjections: Number(r.open) }, input.action, new Date(r.now));
    if (!decision.ok) throw new PartyServiceProblem(decision.status, 'action', decision.reason);
    switch (input.action) {
      case 'review': {
        if (!input.scores) throw new PartyServiceProblem(422, 'scores', '审核须给出五项得分');
        const stars = starsFor(totalScore(input.scores));
        await tx.execute(
          sql`UPDATE star_ratings SET status = 'review', review_scores = ${JSON.stringify(input.scores)}::jsonb, stars = ${stars}, reviewed_by = ${user.username}, reviewed_at = now(), version = version + 1 WHERE id = ${id}`,
        );
        return { id, status: 'review' as RatingStatus, stars };
      }
      case 'publish': {
        const days = input.days ?? DEFAULT_PUBLIC_DAYS;
        await tx.execute(sql`UPDATE star_ratings SET status = 'public', public_from = now(), public_until = now() + make_interval(days => ${days}), version = version + 1 WHERE id = ${id}`);
        return { id, status: 'public' as RatingStatus };
      }
      case 'object': {
        if (!input.text) throw new PartyServiceProblem(422, 'text', '请填写异议内容');
        await tx.execute(sql`INSERT INTO star_objections (rating_id, text, raised_by) VALUES (${id}, ${input.text}, ${user.username})`);
        return { id, status: r.status };
      }
      case 'decide_objection': {
        if (!input.objectionId || !input.decision) throw new PartyServiceProblem(422, 'objectionId', '须指定异议（objectionId）和处理结果（decision: upheld 或 dismissed）');
        const [o] = await txRows(
          tx,
          sql`UPDATE star_objections SET decision = ${input.decision}, decided_by = ${user.username}, decided_at = now() WHERE id = ${input.objectionId} AND rating_id = ${id} AND decision IS NULL RETURNING id`,
        );
        if (!o) throw new PartyServiceProblem(404, 'objectionId', `该评定没有未处理的异议 ${input.objectionId}`);
        if (input.decision === 'upheld') {
          await tx.execute(sql`UPDATE star_ratings SET status = 'review', public_from = NULL, public_until = NULL, version = version + 1 WHERE id = ${id}`);
          return { id, status: 'review' as RatingStatus };
        }
        return { id, status: r.status };
      }
      case 'finalise':
        await tx.execute(sql`UPDATE star_ratings SET status = 'final', final_by = ${user.username}, final_at = now(), version = version + 1 WHERE id = ${id}`);
        return { id, status: 'final' as RatingStatus };
    }
  });
}

interface RatingRow {
  id: number;
  year: number;
  org_code: string;
  org_name: string;
  status: RatingStatus;
  self_scores: Scores | string;
  review_scores: Scores | string | null;
  stars: number | null;
  self_by: string;
  reviewed_by: string | null;
  public_until: string | null;
  final_at: string | null;
  objections: { id: number; text: string; raisedBy: string; decision: string | null }[] | string;
}

const json = <T>(v: T | string | null): T | null => (v === null ? null : typeof v === 'string' ? (JSON.parse(v) as T) : v);

function ratingView(r: RatingRow) {
  return {
    id: Number(r.id),
    year: Number(r.year),
    orgCode: r.org_code,
    orgName: r.org_name,
    status: r.status,
    selfScores: json<Scores>(r.self_scores)!,
    reviewScores: json<Scores>(r.review_scores),
    stars: r.stars === null ? null : Number(r.stars),
    selfBy: r.self_by,
    reviewedBy: r.reviewed_by,
    publicUntil: r.public_until === null ? null : new Date(r.public_until).toISOString(),
    finalAt: r.final_at === null ? null : new Date(r.final_at).toISOString(),
    objections: json<RatingRow['objections']>(r.objections) as { id: number; text: string; raisedBy: string; decision: string | null }[],
  };
}

const SELECT = sql`SELECT s.id, s.year, s.org_code, s.org_name, s.status, s.self_scores, s.review_scores, s.stars, s.self_by, s.reviewed_by, s.public_until, s.final_at,
  coalesce((SELECT jsonb_agg(jsonb_build_object('id', o.id, 'text', o.text, 'raisedBy', o.raised_by, 'decision', o.decision) ORDER BY o.id) FROM star_objections o WHERE o.rating_id = s.id), '[]'::jsonb) AS objections
  FROM star_ratings s`;

/** The ratings of a region's organisations in one year. */
export async function listRatings(db: DbHandle, region: string, year: number) {
  await requireRegion(db, region, 'region');
  const rows = await db.rows<RatingRow>(sql`${SELECT} WHERE ${inRegion(sql`s.org_code`, region)} AND s.year = ${year} ORDER BY s.org_code`);
  return { year, ratings: rows.map(ratingView) };
}

/** Every year's rating of one organisation, newest first. */
export async function ratingHistory(db: DbHandle, orgCode: string) {
  const rows = await db.rows<RatingRow>(sql`${SELECT} WHERE s.org_code = ${orgCode} ORDER BY s.year DESC`);
  return { orgCode, history: rows.map(ratingView) };
}

/** Final stars per year in a region (the big screen): distribution 1..5 of `year` and the year before. */
export async function starDistribution(db: DbHandle, region: string, year: number) {
  const rows = await db.rows<{ year: number; stars: number; n: number }>(sql`
    SELECT year, stars, count(*)::int AS n FROM star_ratings s
    WHERE ${inRegion(sql`s.org_code`, region)} AND s.status = 'final' AND s.year IN (${year}, ${year - 1}) GROUP BY 1, 2`);
  const dist = (y: number) => [1, 2, 3, 4, 5].map((s) => Number(rows.find((r) => Number(r.year) === y && Number(r.stars) === s)?.n ?? 0));
  const current = dist(year);
  const previous = dist(year - 1);
  const threePlus = (d: number[]) => d[2]! + d[3]! + d[4]!;
  return { year, current, previous, change: current.map((n, k) => n - previous[k]!), threeStarOrBetter: threePlus(current), threeStarOrBetterChange: threePlus(current) - threePlus(previous) };
}
