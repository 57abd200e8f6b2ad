/**
 * Named what-if scenarios, one list per user: the candidates only (their figures
 * are recomputed on opening, so they follow the current facilities and network).
 * The owner is the signed-in user; nobody else reads or changes them.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { executeRows, type DbHandle } from '../../db/client';
import { DomainError, NotFoundError } from '../http/domainError';
import { nameText } from '../http/text';
import { facilityKindParam } from '../coverage/centres';
import type { Candidate } from './candidateIsochrones';

const position = z.tuple([z.number({ error: '经度应为数字' }).min(-180).max(180), z.number({ error: '纬度应为数字' }).min(-90).max(90)], { error: 'position 应为 [经度, 纬度]' });

export const candidateSchema = z.strictObject({ name: nameText('候选点名称', 100), kind: facilityKindParam, position });
export const candidatesSchema = z.array(candidateSchema, { error: 'candidates 应为候选点列表' }).min(1, '请至少放置一个候选点').max(50, '一次最多 50 个候选点');
export const scenarioBody = z.strictObject({ name: nameText('方案名称', 100), candidates: candidatesSchema });

export interface Scenario {
  id: number;
  name: string;
  candidates: Candidate[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  name: string;
  candidates: Candidate[] | string;
  created_at: Date | string;
  updated_at: Date | string;
}

const toScenario = (r: Row): Scenario => ({
  id: Number(r.id),
  name: r.name,
  candidates: typeof r.candidates === 'string' ? (JSON.parse(r.candidates) as Candidate[]) : r.candidates,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listScenarios(db: DbHandle, owner: string): Promise<Scenario[]> {
  return (await db.rows<Row>(sql`SELECT id, name, candidates, created_at, updated_at FROM siting_scenarios WHERE owner = ${owner} ORDER BY id`)).map(toScenario);
}

export async function getScenario(db: DbHandle, owner: string, id: number): Promise<Scenario> {
  const [row] = await db.rows<Row>(sql`SELECT id, name, candidates, created_at, updated_at FROM siting_scenarios WHERE owner = ${owner} AND id = ${id}`);
  if (!row) throw new NotFoundError(`方案 ${id} 不存在`);
  return toScenario(row);
}

/** Saves by name: the same name replaces that scenario's candidates. */
export async function saveScenario(db: DbHandle, owner: string, body: z.infer<typeof scenarioBody>): Promise<Scenario> {
  return db.db.transaction(async (tx) => {
    const [row] = await executeRows<Row>(
      tx,
      sql`INSERT INTO siting_scenarios (owner, name, candidates) VALUES (${owner}, ${body.name}, ${JSON.stringify(body.candidates)}::jsonb)
          ON CONFLICT (owner, name) DO UPDATE SET candidates = excluded.candidates, updated_at = clock_timestamp()
          RETURNING id, name, candidates, created_at, updated_at`,
    );
    if (!row) throw new DomainError(500, '保存失败', '方案未能保存');
    return toScenario(row);
  });
}

export async function deleteScenario(db: DbHandle, owner: string, id: number): Promise<void> {
  const rows = await db.rows<{ id: number }>(sql`DELETE FROM siting_scenarios WHERE owner = ${owner} AND id = ${id} RETURNING id`);
  if (rows.length === 0) throw new NotFoundError(`方案 ${id} 不存在`);
}
