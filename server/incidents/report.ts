/**
 * One incident reported on its own (POST /api/incidents): the JSON body is checked
 * like one row of a batch (server/incidents/ingest.ts), written with its 信息收集
 * transition, and answered with its loop state and the grid it was assigned to.
 * A body that is not a JSON object is a 400; a row that fails a check is a 422
 * listing every failing field.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { incidentState, incidentView, type IncidentView } from './incidentState';
import { ingest, type RawIncident } from './ingest';

export class ReportBodyInvalid extends DomainError {
  constructor(reason: string) {
    super(400, '请求体无效', '请求体应为 JSON 对象', { errors: [{ field: '(body)', reason }] });
  }
}

export class ReportRejected extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(422, '事件信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

export interface ReportedIncident extends IncidentView {
  gridCode: string;
  communityCode: string;
  streetCode: string;
}

/** `body` is the request body as text. */
export async function reportIncident(db: DbHandle, body: string): Promise<ReportedIncident> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ReportBodyInvalid('不是有效的 JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ReportBodyInvalid('应为 JSON 对象');
  const result = await ingest(db, [{ ...(parsed as Omit<RawIncident, 'row'>), row: 1 }], { actor: '单条上报' });
  if (result.errors.length > 0) throw new ReportRejected(result.errors.map((e) => ({ field: e.field, reason: e.reason })));
  const id = result.ids[0] as number;
  const state = await incidentState(db, id);
  const [place] = await db.rows<{ grid_code: string; community_code: string; street_code: string }>(sql`SELECT grid_code, community_code, street_code FROM incidents WHERE id = ${id}`);
  if (!state || !place) throw new Error(`事件 ${id} 写入后未能读回`);
  return { ...incidentView(state), gridCode: place.grid_code, communityCode: place.community_code, streetCode: place.street_code };
}
