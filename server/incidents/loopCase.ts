/**
 * An incident as the action table (kernel/loopActions.ts) sees it, loaded in one
 * query — locked inside a write's transaction, plain for the detail's allowedActions —
 * so the buttons shown and the writes accepted are decided on the same facts.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { LoopCase, RequestKind } from '../../kernel/loopActions';
import type { IncidentStage } from '../../kernel/stages';

export type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
export type Executor = Pick<Tx, 'execute'>;

export const execRows = async <T>(ex: Executor, query: ReturnType<typeof sql>) => ((await ex.execute(query)) as unknown as { rows: T[] }).rows;

interface CaseRow {
  stage: IncidentStage;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  reporter_user_id: number | null;
  department_id: number | null;
  assignee_user_id: number | null;
  handler_user_id: number | null;
  pending_request: RequestKind | null;
  suspended: boolean;
  extended: boolean;
  satisfaction: number | null;
  unreported: number[] | string | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));
const ints = (v: number[] | string | null): number[] =>
  Array.isArray(v)
    ? v.map(Number)
    : !v || v === '{}'
      ? []
      : v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .map(Number);

/** The case, or null when the incident does not exist. `lock`: FOR UPDATE (inside a transaction). */
export async function loadCase(ex: Executor, id: number, lock: boolean): Promise<LoopCase | null> {
  const [r] = await execRows<CaseRow>(
    ex,
    sql`SELECT i.stage, i.grid_code, i.community_code, i.street_code, i.reporter_user_id, i.department_id, i.assignee_user_id,
      i.handler_user_id, i.pending_request, i.suspended, i.extended, i.satisfaction,
      ARRAY(SELECT s.department_id FROM incident_summons s WHERE s.incident_id = i.id AND s.reported_at IS NULL ORDER BY s.department_id) AS unreported
    FROM incidents i WHERE i.id = ${id} ${lock ? sql`FOR UPDATE OF i` : sql``}`,
  );
  if (!r) return null;
  return {
    stage: r.stage,
    gridCode: r.grid_code,
    communityCode: r.community_code,
    streetCode: r.street_code,
    reporterUserId: num(r.reporter_user_id),
    departmentId: num(r.department_id),
    assigneeUserId: num(r.assignee_user_id),
    handlerUserId: num(r.handler_user_id),
    pendingRequest: r.pending_request,
    suspended: r.suspended,
    extended: r.extended,
    satisfaction: num(r.satisfaction),
    unreportedSummons: ints(r.unreported),
  };
}
