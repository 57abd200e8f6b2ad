/**
 * Cases pushed by the 12345 hotline (POST /api/hotline/cases). The case number is the
 * key: the first push creates the incident through the one ingest path
 * (server/incidents/ingest.ts: checked like a report, located, written with its
 * 信息收集 history row) and stores the number in the same transaction; a repeated push
 * returns that incident, and a changed hotline status becomes a history row
 * (action `hotline_status`) — pushing the same status twice writes nothing. The
 * place is the point when one is sent, else the grid/community/address name
 * (server/hotline/locate.ts). Actor and time are the key and the server clock.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { STAGE_LABELS, type IncidentStage } from '../../kernel/stages';
import { DomainError, ForbiddenError } from '../http/domainError';
import { checkRows, writeIncidents, type RawIncident } from '../incidents/ingest';
import { actorName, mayWrite } from '../incidents/incidentWriter';
import type { HotlineKey } from './keys';
import { locateByName } from './locate';

export interface HotlineCase {
  caseNo: string;
  category: string;
  description?: string;
  address?: string;
  community?: string;
  grid?: string;
  lon?: number;
  lat?: number;
  reporter?: string;
  status?: string;
  statusNote?: string;
}

/** History rows written by the hotline itself carry this username prefix (the webhooks do not echo them back). */
export const HOTLINE_ACTOR_PREFIX = 'hotline:';

/**
 * The writer ingest signs the case with. Not a session (no route ever sees it): ingest's
 * jurisdiction rule is the planner's, so a key scoped to a region writes like the
 * planner of that region, a city-wide key like an admin.
 */
export function hotlineWriter(key: HotlineKey): SessionUser {
  return {
    id: 0,
    username: `${HOTLINE_ACTOR_PREFIX}${key.name}`,
    displayName: `12345热线（${key.name}）`,
    role: key.jurisdictionCode ? 'planner' : 'admin',
    jurisdictionCode: key.jurisdictionCode,
    gridCodes: [],
    departmentId: null,
  };
}

export class CaseRejected extends DomainError {
  constructor(errors: { field: string; reason: string }[]) {
    super(422, '工单信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

interface ExistingRow {
  id: number;
  stage: IncidentStage;
  hotline_status: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
}

async function findCase(db: DbHandle, caseNo: string): Promise<ExistingRow | null> {
  const [row] = await db.rows<ExistingRow>(sql`SELECT id, stage, hotline_status, grid_code, community_code, street_code FROM incidents WHERE external_ref = ${caseNo}`);
  return row ?? null;
}

const isUniqueViolation = (error: unknown): boolean => {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) if (e.code === '23505') return true;
  return false;
};

const statusNote = (status: string, note?: string) => `12345 热线状态：${status}${note ? `（${note}）` : ''}`;

/** A repeat push: records a changed status as history, in one transaction with the column. */
async function updateCase(db: DbHandle, key: HotlineKey, existing: ExistingRow, input: HotlineCase): Promise<boolean> {
  const writer = hotlineWriter(key);
  if (!mayWrite(writer, { gridCode: existing.grid_code, communityCode: existing.community_code, streetCode: existing.street_code }))
    throw new ForbiddenError(`工单 ${input.caseNo} 不在此接口密钥的辖区（${key.jurisdictionCode}）内`, { errors: [{ field: 'caseNo', reason: '工单不在该密钥的辖区内' }] });
  if (!input.status) return false;
  return db.db.transaction(async (tx) => {
    const updated = (await tx.execute(sql`
      UPDATE incidents SET hotline_status = ${input.status}
      WHERE id = ${existing.id} AND hotline_status IS DISTINCT FROM ${input.status}
      RETURNING stage`)) as unknown as { rows: { stage: IncidentStage }[] };
    const stage = updated.rows[0]?.stage;
    if (!stage) return false;
    await tx.execute(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, actor_username, at, note, action)
      VALUES (${existing.id}, ${stage}, ${stage}, ${actorName(writer)}, ${writer.username}, now(), ${statusNote(input.status as string, input.statusNote)}, 'hotline_status')`);
    return true;
  });
}

/** Creates the incident; null when another push of the same case won the race (then it is a repeat). */
async function createCase(db: DbHandle, key: HotlineKey, input: HotlineCase): Promise<{ id: number; matchedBy: string } | null> {
  const writer = hotlineWriter(key);
  const hasPoint = input.lon !== undefined || input.lat !== undefined;
  const place = hasPoint ? { matchedBy: '经纬度' } : await locateByName(db, input);
  const raw: RawIncident = {
    row: 1,
    category: input.category,
    source: 'hotline',
    reporter: input.reporter,
    description: input.description ?? input.address,
    ...(hasPoint ? { lon: input.lon, lat: input.lat } : { gridCode: (place as { gridCode: string }).gridCode }),
  };
  const checked = await checkRows(db, [raw], { writer, times: 'server' });
  if (checked.errors.length > 0) throw new CaseRejected(checked.errors.map((e) => ({ field: e.field, reason: e.reason })));
  try {
    const [id] = await writeIncidents(db, checked.valid, {
      writer,
      imported: false,
      inTransaction: async (tx, ids) => {
        // The key is no account: the case has no reporter account, its history row no actor account.
        await tx.execute(sql`UPDATE incidents SET external_ref = ${input.caseNo}, hotline_status = ${input.status ?? null}, reporter_user_id = NULL WHERE id = ${ids[0] as number}`);
        await tx.execute(sql`UPDATE incident_transitions SET actor_user_id = NULL WHERE incident_id = ${ids[0] as number}`);
      },
    });
    return { id: id as number, matchedBy: place.matchedBy };
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

async function answer(db: DbHandle, id: number) {
  const [row] = await db.rows<{ id: number; external_ref: string; stage: IncidentStage; hotline_status: string | null; grid_code: string; community_code: string; street_code: string; reported_at: string | Date }>(sql`
    SELECT id, external_ref, stage, hotline_status, grid_code, community_code, street_code, reported_at FROM incidents WHERE id = ${id}`);
  if (!row) throw new Error(`incident ${id} vanished`);
  return {
    id: Number(row.id),
    caseNo: row.external_ref,
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage],
    hotlineStatus: row.hotline_status,
    gridCode: row.grid_code,
    communityCode: row.community_code,
    streetCode: row.street_code,
    reportedAt: new Date(row.reported_at).toISOString(),
  };
}

/** Creates or updates the case; `created` tells which. */
export async function pushCase(db: DbHandle, key: HotlineKey, input: HotlineCase) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findCase(db, input.caseNo);
    if (existing) {
      const statusRecorded = await updateCase(db, key, existing, input);
      return { created: false, statusRecorded, matchedBy: null, incident: await answer(db, existing.id) };
    }
    const created = await createCase(db, key, input);
    if (created) return { created: true, statusRecorded: false, matchedBy: created.matchedBy, incident: await answer(db, created.id) };
  }
  throw new Error(`hotline case ${input.caseNo}: neither created nor found`);
}
