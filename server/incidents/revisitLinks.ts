/**
 * 回访 by the resident (issue 14 point 2): a dispatcher makes a one-time link for a
 * verified case (核实结案, not yet 回访); the resident opens it without an account,
 * sees what the case was about — category, community, dates, no personal data — and
 * gives a satisfaction score once. The link's token is 32 random bytes; only its
 * SHA-256 is stored (a leaked table answers for nobody), it expires after 7 days and
 * is spent by the answer. The answer is a `revisit` history row signed
 * '居民（回访链接）' at the server's clock, in the same transaction that spends the token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { checkAction } from '../../kernel/loopActions';
import type { SessionUser } from '../../kernel/roles';
import { STAGE_LABELS, type IncidentStage } from '../../kernel/stages';
import { DomainError, NotFoundError } from '../http/domainError';
import { assertMayReadIncident } from './incidentAccess';
import { ActionRefused } from './loopWrites';
import { execRows, loadCase } from './loopCase';

export const REVISIT_LINK_DAYS = 7;
export const RESIDENT_ACTOR = '居民（回访链接）';

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

class LinkGone extends DomainError {
  constructor(reason: string) {
    super(410, '回访链接已失效', reason, { errors: [{ field: 'token', reason }] });
  }
}

const unknownLink = () => new NotFoundError('回访链接不存在', { errors: [{ field: 'token', reason: '链接无效' }] });

export async function createRevisitLink(db: DbHandle, id: number, user: SessionUser): Promise<{ token: string; path: string; expiresAt: string }> {
  await assertMayReadIncident(db, user, id);
  const c = await loadCase(db.db, id, false);
  if (!c) throw new NotFoundError(`事件 ${id} 不存在`);
  const check = checkAction(user, c, 'revisit');
  if (!check.ok) throw new ActionRefused(check.status, 'revisit', c.stage, check.field, check.reason);
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + REVISIT_LINK_DAYS * 86_400_000);
  await db.db.execute(sql`INSERT INTO incident_revisit_tokens (incident_id, token_hash, created_by, created_at, expires_at)
    VALUES (${id}, ${hashOf(token)}, ${user.username}, ${now.toISOString()}::timestamptz, ${expiresAt.toISOString()}::timestamptz)`);
  return { token, path: `/revisit/${token}`, expiresAt: expiresAt.toISOString() };
}

interface LinkRow {
  incident_id: number;
  expires_at: Date | string;
  used_at: Date | string | null;
  stage: IncidentStage;
  satisfaction: number | null;
  major: string;
  minor: string;
  community_name: string | null;
  reported_at: Date | string;
  closed_at: Date | string | null;
}

const linkQuery = (hash: string, lock: boolean) => sql`
  SELECT t.incident_id, t.expires_at, t.used_at, i.stage, i.satisfaction, c.major, c.minor, r.name AS community_name, i.reported_at, i.closed_at
  FROM incident_revisit_tokens t JOIN incidents i ON i.id = t.incident_id JOIN incident_categories c ON c.code = i.category_code
  LEFT JOIN regions r ON r.code = i.community_code
  WHERE t.token_hash = ${hash} ${lock ? sql`FOR UPDATE OF t, i` : sql``}`;

/** What the resident sees: no names, no phones, no description (it may name people). */
function residentView(r: LinkRow, now: Date) {
  const expired = new Date(r.expires_at) <= now;
  return {
    category: `${r.major}/${r.minor}`,
    community: r.community_name,
    stageLabel: STAGE_LABELS[r.stage],
    reportedAt: new Date(r.reported_at).toISOString(),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    answered: r.used_at !== null || r.satisfaction !== null,
    open: !expired && r.used_at === null && r.satisfaction === null && r.stage === 'close',
  };
}

export async function revisitLinkView(db: DbHandle, token: string, now = new Date()) {
  if (!TOKEN.test(token)) throw unknownLink();
  const [r] = await db.rows<LinkRow>(linkQuery(hashOf(token), false));
  if (!r) throw unknownLink();
  return residentView(r, now);
}

export async function answerRevisit(db: DbHandle, token: string, answer: { satisfaction: number; note?: string | undefined }) {
  if (!TOKEN.test(token)) throw unknownLink();
  return db.db.transaction(async (tx) => {
    const [r] = await execRows<LinkRow>(tx, linkQuery(hashOf(token), true));
    if (!r) throw unknownLink();
    const now = new Date();
    if (r.used_at !== null) throw new LinkGone('该回访链接已使用过');
    if (new Date(r.expires_at) <= now) throw new LinkGone('该回访链接已过期');
    if (r.stage !== 'close' || r.satisfaction !== null) throw new LinkGone('该事件已回访或不在待回访状态');
    const at = sql`${now.toISOString()}::timestamptz`;
    await tx.execute(sql`UPDATE incidents SET satisfaction = ${answer.satisfaction} WHERE id = ${r.incident_id}`);
    await tx.execute(sql`UPDATE incident_revisit_tokens SET used_at = ${at} WHERE token_hash = ${hashOf(token)}`);
    await tx.execute(sql`INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action, payload)
      VALUES (${r.incident_id}, 'close', 'close', ${RESIDENT_ACTOR}, ${at}, ${answer.note ?? null}, 'revisit', ${JSON.stringify({ satisfaction: answer.satisfaction, by: 'resident' })}::jsonb)`);
    return { ...residentView({ ...r, used_at: now, satisfaction: answer.satisfaction }, now), satisfaction: answer.satisfaction };
  });
}
