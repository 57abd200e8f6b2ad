/**
 * The feed of incident events: the history table `incident_transitions` read by
 * increasing id. Every writer of the loop (report, batch, hotline, actions) inserts
 * its history row in its own transaction, so reading this table catches them all on
 * both engines without an in-process event bus or LISTEN/NOTIFY (PGlite has none
 * across processes). The SSE hub (server/live/incidentHub.ts) and the hotline
 * webhook worker (server/hotline/webhooks.ts) each keep one TransitionCursor.
 *
 * Ids come from a sequence, which hands them out at INSERT but transactions commit in
 * any order: a row with a smaller id can become visible after a larger one was read.
 * The cursor remembers the ids it skipped over (gaps) and looks for them again on every
 * read for GAP_TTL_MS — after that a gap is an id that a rolled-back transaction used.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { IncidentAudience } from '../../kernel/incidentAccess';
import { intArray } from '../coverage/sqlArrays';
import { audiencesOf } from '../incidents/incidentAccess';

/** One history row with what readers need to know about its incident. */
export interface TransitionEvent {
  /** The history row's id (SSE `id:`). */
  id: number;
  incidentId: number;
  action: string;
  fromStage: string | null;
  stage: string;
  at: string;
  actor: string;
  actorUsername: string | null;
  note: string | null;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  communityName: string | null;
  categoryCode: string;
  categoryLabel: string | null;
  source: string;
  /** The 12345 case number when the hotline pushed the incident. */
  externalRef: string | null;
  audience: IncidentAudience;
}

interface Row {
  id: string | number;
  incident_id: number;
  action: string;
  from_stage: string | null;
  to_stage: string;
  at: string | Date;
  actor: string;
  actor_username: string | null;
  note: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  community_name: string | null;
  category_code: string;
  category_label: string | null;
  source: string;
  external_ref: string | null;
}

/**
 * Who may read each incident of a batch (mayReadIncident's IncidentAudience): its
 * place, reporter, assignees and departments (dispatch, 吹哨), read from the tables
 * by core's audiencesOf in one query per batch — the one place the stream learns them.
 */
async function withAudiences(db: DbHandle, rows: Row[]): Promise<TransitionEvent[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => Number(r.incident_id)))];
  const audiences = await audiencesOf(db, sql`i.id = ANY(${intArray(ids)}::bigint[])`);
  return rows.map((r) => toEvent(r, audiences.get(Number(r.incident_id))));
}

const placeOnly = (r: Row): IncidentAudience => ({ gridCode: r.grid_code, communityCode: r.community_code, streetCode: r.street_code, reporterUserId: null, assigneeUserIds: [], departmentIds: [] });

const SELECT = sql`
  SELECT t.id, t.incident_id, t.action, t.from_stage, t.to_stage, t.at, t.actor, t.actor_username, t.note,
         i.grid_code, i.community_code, i.street_code, r.name AS community_name,
         i.category_code, c.minor AS category_label, i.source, i.external_ref
  FROM incident_transitions t
  JOIN incidents i ON i.id = t.incident_id
  LEFT JOIN incident_categories c ON c.code = i.category_code
  LEFT JOIN regions r ON r.code = i.community_code`;

const toEvent = (r: Row, audience: IncidentAudience = placeOnly(r)): TransitionEvent => ({
  id: Number(r.id),
  incidentId: Number(r.incident_id),
  action: r.action,
  fromStage: r.from_stage,
  stage: r.to_stage,
  at: new Date(r.at).toISOString(),
  actor: r.actor,
  actorUsername: r.actor_username,
  note: r.note,
  gridCode: r.grid_code,
  communityCode: r.community_code,
  streetCode: r.street_code,
  communityName: r.community_name,
  categoryCode: r.category_code,
  categoryLabel: r.category_label,
  source: r.source,
  externalRef: r.external_ref,
  audience,
});

/** Events after `after` (exclusive) up to `upTo` (inclusive, when given), by id. */
export async function readTransitions(db: DbHandle, after: number, limit: number, upTo?: number): Promise<TransitionEvent[]> {
  const rows = await db.rows<Row>(sql`${SELECT} WHERE t.id > ${after} ${upTo === undefined ? sql`` : sql`AND t.id <= ${upTo}`} ORDER BY t.id LIMIT ${limit}`);
  return withAudiences(db, rows);
}

/** The newest history row's id (0 when there is none): where a fresh cursor starts. */
export async function latestTransitionId(db: DbHandle): Promise<number> {
  const [row] = await db.rows<{ id: string | number | null }>(sql`SELECT max(id) AS id FROM incident_transitions`);
  return Number(row?.id ?? 0);
}

export const BATCH = 500;
export const GAP_TTL_MS = 30_000;
/** A rolled-back batch import can skip 200,000 ids; past this many, gaps are not tracked. */
const MAX_GAPS = 5_000;

/** A position in the feed; `next()` returns what was written since, in id order (late rows after). */
export class TransitionCursor {
  /** Ids skipped over → when first seen missing (ms). */
  private readonly gaps = new Map<number, number>();

  constructor(
    private readonly db: DbHandle,
    /** The last id read. */
    public position: number,
    private readonly now: () => number = Date.now,
  ) {}

  async next(limit = BATCH): Promise<TransitionEvent[]> {
    const events = await readTransitions(this.db, this.position, limit);
    const seenAt = this.now();
    let expected = this.position + 1;
    for (const e of events) {
      for (let id = expected; id < e.id && this.gaps.size < MAX_GAPS; id++) this.gaps.set(id, seenAt);
      expected = e.id + 1;
    }
    if (events.length > 0) this.position = (events.at(-1) as TransitionEvent).id;
    const late = await this.lateArrivals(seenAt);
    return late.length > 0 ? [...events, ...late] : events;
  }

  /** Rows that committed after rows with larger ids were read. */
  private async lateArrivals(now: number): Promise<TransitionEvent[]> {
    for (const [id, since] of this.gaps) if (now - since > GAP_TTL_MS) this.gaps.delete(id);
    if (this.gaps.size === 0) return [];
    const rows = await this.db.rows<Row>(sql`${SELECT} WHERE t.id = ANY(${intArray([...this.gaps.keys()])}::bigint[]) ORDER BY t.id`);
    for (const r of rows) this.gaps.delete(Number(r.id));
    return withAudiences(this.db, rows);
  }

  /** Ids still awaited (for tests). */
  get pendingGaps(): number {
    return this.gaps.size;
  }
}
