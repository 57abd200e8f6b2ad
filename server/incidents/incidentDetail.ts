/**
 * One incident as its detail page shows it: the loop state, what was reported
 * (category, source, reporter, description, position), where it belongs (grid,
 * community, street) and its whole history of transitions, oldest first.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { IncidentStage } from '../../kernel/stages';
import { NotFoundError } from '../http/domainError';
import { incidentState, incidentView, type IncidentView } from './incidentState';

export interface TransitionRecord {
  from: IncidentStage | null;
  to: IncidentStage;
  action: string;
  /** Display name of the writer. */
  actor: string;
  /** The writer's account; null for the generated sample history. */
  actorUsername: string | null;
  at: string;
  note: string | null;
  /** From an admin's import of historical cases: `at` is the file's time, not the server's clock. */
  imported: boolean;
}

export async function incidentHistory(db: DbHandle, id: number): Promise<TransitionRecord[]> {
  const rows = await db.rows<{ from_stage: IncidentStage | null; to_stage: IncidentStage; action: string; actor: string; actor_username: string | null; at: Date | string; note: string | null; imported: boolean }>(
    sql`SELECT from_stage, to_stage, action, actor, actor_username, at, note, imported FROM incident_transitions WHERE incident_id = ${id} ORDER BY at, id`,
  );
  return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, action: r.action, actor: r.actor, actorUsername: r.actor_username, at: new Date(r.at).toISOString(), note: r.note, imported: r.imported }));
}

export interface IncidentDetail extends IncidentView {
  category: { code: string; major: string; minor: string };
  source: string;
  reporter: string | null;
  description: string | null;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  position: [number, number];
  transitions: TransitionRecord[];
}

interface DetailRow {
  category_code: string;
  major: string;
  minor: string;
  source: string;
  reporter: string | null;
  description: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  lon: number;
  lat: number;
}

export async function incidentDetail(db: DbHandle, id: number): Promise<IncidentDetail> {
  const state = await incidentState(db, id);
  if (!state) throw new NotFoundError(`事件 ${id} 不存在`);
  const [d] = await db.rows<DetailRow>(sql`
    SELECT i.category_code, c.major, c.minor, i.source, i.reporter, i.description, i.grid_code, i.community_code, i.street_code, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
    FROM incidents i JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${id}`);
  if (!d) throw new NotFoundError(`事件 ${id} 不存在`);
  return {
    ...incidentView(state),
    category: { code: d.category_code, major: d.major, minor: d.minor },
    source: d.source,
    reporter: d.reporter,
    description: d.description,
    gridCode: d.grid_code,
    communityCode: d.community_code,
    streetCode: d.street_code,
    position: [Number(d.lon), Number(d.lat)],
    transitions: await incidentHistory(db, id),
  };
}
