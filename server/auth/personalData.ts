/**
 * Personal data — names of secretaries and grid workers, phone numbers — read by
 * whom, record by record. The rules are PERSONAL_DATA_POLICY (server/auth/policy.ts)
 * with withinJurisdiction (kernel/roles.ts); this module decides a reader's view of
 * one record (peopleView), applies the rule to export rows in SQL
 * (peopleReadableSql) and to attribute snapshots (withholdPeople), and is the only
 * way to unmask a phone number (revealPeople): checked, and audited before anything
 * is shown. How a view shows a value (masking) is kernel/personalData.ts.
 *
 * Withheld means absent, not masked: a reader outside the rule gets null for every
 * name and phone and `personalDataWithheld: true`, so a UI can say 无权查看.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { PeopleView } from '../../kernel/personalData';
import { withinOwnArea, type SessionUser } from '../../kernel/roles';
import type { AuditDetail } from '../audit/auditLog';
import { ForbiddenError } from '../http/domainError';
import { PERSONAL_DATA_POLICY } from './policy';

/** Fields a reader may ask to see unmasked (?reveal=…). */
export const REVEAL_FIELDS = ['phone'] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];

/** Whether `reader` reads the people of a record in region `regionCode` (a grid code, community, street …). */
export function mayReadPeople(reader: SessionUser | null, regionCode: string): boolean {
  if (!reader) return false;
  switch (PERSONAL_DATA_POLICY[reader.role].names) {
    case 'everywhere':
      return true;
    case 'nowhere':
      return false;
    case 'jurisdiction':
      return withinOwnArea(reader, regionCode);
  }
}

/** Whether `reader` may ask for the phones of that record unmasked. */
export function mayRevealPhones(reader: SessionUser | null, regionCode: string): boolean {
  return !!reader && PERSONAL_DATA_POLICY[reader.role].revealPhones && mayReadPeople(reader, regionCode);
}

/** The view without a reveal: names where the rule allows, phones masked. */
export function peopleView(reader: SessionUser | null, regionCode: string): PeopleView {
  return { names: mayReadPeople(reader, regionCode), phones: 'masked' };
}

/**
 * mayReadPeople as a SQL boolean over a region-code expression, for rules applied
 * per row (exports). `reader` undefined: an operator tool on the server itself (the
 * export CLI), which reads the database anyway. Kept equal to mayReadPeople by a test
 * over every grid and role (server/auth/personalData.test.ts).
 */
export function peopleReadableSql(reader: SessionUser | null | undefined, regionCode: SQL): SQL {
  if (reader === undefined) return sql`TRUE`;
  if (reader === null) return sql`FALSE`;
  switch (PERSONAL_DATA_POLICY[reader.role].names) {
    case 'everywhere':
      return sql`TRUE`;
    case 'nowhere':
      return sql`FALSE`;
    case 'jurisdiction':
      // withinOwnArea: admins everywhere, planners/dispatchers under their code, grid workers in their grids.
      if (reader.role === 'admin') return sql`TRUE`;
      if (reader.role === 'grid_worker') {
        if (reader.gridCodes.length === 0) return sql`FALSE`;
        return sql`(${sql.join(
          reader.gridCodes.map((grid) => sql`starts_with(${regionCode}, ${grid})`),
          sql` OR `,
        )})`;
      }
      if ((reader.role !== 'planner' && reader.role !== 'dispatcher') || !reader.jurisdictionCode) return sql`FALSE`;
      return sql`starts_with(${regionCode}, ${reader.jurisdictionCode})`;
  }
}

/** Keys of a grid's attribute snapshot (grid_versions, db/gridRecord.ts) that name people. */
const SNAPSHOT_PEOPLE_KEYS = ['partySecretary', 'gridWorkers'] as const;

/** An attribute snapshot with its names withheld (null) unless the view shows them. */
export function withholdPeople(view: PeopleView, snapshot: Record<string, unknown> | null): Record<string, unknown> | null {
  if (view.names || !snapshot) return snapshot;
  return { ...snapshot, ...Object.fromEntries(SNAPSHOT_PEOPLE_KEYS.filter((k) => k in snapshot).map((k) => [k, null])) };
}

/** 403: the reader may not unmask these fields of this record. */
export class RevealForbidden extends ForbiddenError {
  constructor(detail: string) {
    super(detail, { errors: [{ field: 'reveal', reason: detail }] });
  }
}

export interface RevealRequest {
  reader: SessionUser | null;
  /** What record: the audit log's entity and id (grids / 450902005001001). */
  entity: string;
  entityId: string;
  /** Where the record is, for the jurisdiction rule. */
  regionCode: string;
  fields: readonly RevealField[];
  /** Client address as the server vouches for it. */
  address: string | null;
  /** The request's query string, as the audit middleware records it. */
  query?: string;
}

async function auditReveal(db: DbHandle, r: RevealRequest, status: 200 | 403): Promise<void> {
  const detail: AuditDetail = { status, query: r.query?.slice(0, 500) || undefined, role: r.reader?.role, fields: r.fields };
  await db.rows(sql`
    INSERT INTO audit_log (actor, action, entity, entity_id, ip, detail)
    VALUES (${r.reader?.username ?? '(未登录)'}, 'REVEAL', ${r.entity}, ${r.entityId.slice(0, 200)}, ${r.address}, ${JSON.stringify(detail)}::jsonb)`);
}

/**
 * The one way to unmask: refused (403, and audited) unless the reader's role needs
 * the numbers and the record is theirs to read; otherwise the audit entry — who,
 * which record, when, from where — is written first, and a reveal whose entry cannot
 * be written is not served (the error propagates).
 */
export async function revealPeople(db: DbHandle, request: RevealRequest): Promise<PeopleView> {
  if (!mayRevealPhones(request.reader, request.regionCode)) {
    try {
      await auditReveal(db, request, 403);
    } catch (e) {
      console.error('audit log write failed:', (e as Error).message);
    }
    const role = request.reader?.role;
    throw new RevealForbidden(role && PERSONAL_DATA_POLICY[role].revealPhones ? '只能查看本辖区人员的完整联系电话' : '当前角色无权查看完整联系电话');
  }
  await auditReveal(db, request, 200);
  return { names: true, phones: 'plain' };
}
