/**
 * One incident reported on its own (POST /api/incidents): the JSON body is checked
 * like one row of a batch (server/incidents/ingest.ts), written with its 信息收集
 * transition, and answered with its loop state and the grid it was assigned to.
 * The report is signed by the signed-in writer at the server's clock, and a planner
 * reports only inside their jurisdiction (403 otherwise).
 * A body that is not a JSON object, or names a field it may not (actor, at,
 * reportedAt — the server records who and when — or any unknown one), is a 400;
 * a row that fails a check is a 422 listing every failing field.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { incidentState, incidentView, type IncidentView } from './incidentState';
import { checkRows, type RawIncident, writeIncidents } from './ingest';
import type { IncidentWriter } from './incidentWriter';
import { noteProblem } from '../http/text';
import { ForbiddenError } from '../http/domainError';
import { closeOnSpot } from './loopWrites';

export class ReportBodyInvalid extends DomainError {
  constructor(errors: FieldError[]) {
    super(400, '请求体无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

export class ReportRejected extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(422, '事件信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

/** The fields a report may carry. */
const REPORT_FIELDS = ['lon', 'lat', 'gridCode', 'category', 'source', 'reporter', 'description'] as const satisfies readonly (keyof RawIncident)[];
/** 就地解决: a grid worker's note of how the matter was solved on the spot; the report is closed at once. */
const ON_SPOT = 'onSpot';

/** Fields the server records itself; a body naming them is refused rather than silently overridden. */
const SERVER_RECORDED: Record<string, string> = {
  actor: '操作人由服务器按登录账号记录，请勿提交',
  at: '时间由服务器时钟记录，请勿提交',
  reportedAt: '上报时间由服务器时钟记录，请勿提交（历史事件请由管理员批量导入）',
};

export interface ReportedIncident extends IncidentView {
  gridCode: string;
  communityCode: string;
  streetCode: string;
}

/** `body` is the request body as text. */
export async function reportIncident(db: DbHandle, body: string, writer: IncidentWriter): Promise<ReportedIncident> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ReportBodyInvalid([{ field: '(body)', reason: '不是有效的 JSON' }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ReportBodyInvalid([{ field: '(body)', reason: '应为 JSON 对象' }]);
  const refused = Object.keys(parsed)
    .filter((key) => key !== ON_SPOT && !(REPORT_FIELDS as readonly string[]).includes(key))
    .map((key) => ({ field: key, reason: Object.hasOwn(SERVER_RECORDED, key) ? (SERVER_RECORDED[key] as string) : `不允许的字段（可填写：${REPORT_FIELDS.join('、')}）` }));
  if (refused.length > 0) throw new ReportBodyInvalid(refused);
  const { [ON_SPOT]: onSpotValue, ...fields } = parsed as Record<string, unknown>;
  let onSpot: string | null = null;
  if (onSpotValue !== undefined) {
    if (writer.role !== 'grid_worker') throw new ForbiddenError('只有网格员可以就地解决并结案', { errors: [{ field: ON_SPOT, reason: '只有网格员可以就地解决' }] });
    const text = typeof onSpotValue === 'string' ? onSpotValue.trim() : '';
    const problem = typeof onSpotValue !== 'string' || text === '' ? '请填写就地解决情况' : noteProblem('就地解决情况', text, 500);
    if (problem) throw new ReportRejected([{ field: ON_SPOT, reason: problem }]);
    onSpot = text;
  }
  const checked = await checkRows(db, [{ ...(fields as Omit<RawIncident, 'row'>), row: 1 }], { writer, times: 'server' });
  if (checked.errors.length > 0) throw new ReportRejected(checked.errors.map((e) => ({ field: e.field, reason: e.reason })));
  const note = onSpot;
  const ids = await writeIncidents(db, checked.valid, {
    writer,
    imported: false,
    ...(note === null ? {} : { afterWrite: async (tx, written) => void (await closeOnSpot(tx, written[0] as number, writer, note)) }),
  });
  const id = ids[0] as number;
  const state = await incidentState(db, id);
  const [place] = await db.rows<{ grid_code: string; community_code: string; street_code: string }>(sql`SELECT grid_code, community_code, street_code FROM incidents WHERE id = ${id}`);
  if (!state || !place) throw new Error(`事件 ${id} 写入后未能读回`);
  return { ...incidentView(state), gridCode: place.grid_code, communityCode: place.community_code, streetCode: place.street_code };
}
