/** Reading the audit trail (audit_log) for admins: newest first, filtered by actor, entity and time. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { Role } from '../../kernel/roles';

export interface AuditFilter {
  actor?: string;
  entity?: string;
  /** ISO instants; `to` is exclusive. */
  from?: string;
  to?: string;
  /** Default 500. */
  limit?: number;
}

/**
 * What was recorded with the entry: the request middleware (server/audit/auditMiddleware.ts)
 * writes the response status, the query string and the role; domain writes record
 * their own members (before/after, name, fields …).
 */
export interface AuditDetail {
  status?: number;
  query?: string;
  role?: Role;
  [member: string]: unknown;
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  at: string;
  ip: string | null;
  detail: AuditDetail | null;
}

interface AuditRow {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  at: Date | string;
  ip: string | null;
  detail: AuditDetail | null;
}

export async function auditEntries(db: DbHandle, q: AuditFilter): Promise<AuditEntry[]> {
  const rows = await db.rows<AuditRow>(sql`
    SELECT id, actor, action, entity, entity_id, at, ip, detail FROM audit_log
    WHERE (${q.actor ?? null}::text IS NULL OR actor = ${q.actor ?? null})
      AND (${q.entity ?? null}::text IS NULL OR entity = ${q.entity ?? null})
      AND (${q.from ?? null}::timestamptz IS NULL OR at >= ${q.from ?? null}::timestamptz)
      AND (${q.to ?? null}::timestamptz IS NULL OR at < ${q.to ?? null}::timestamptz)
    ORDER BY id DESC LIMIT ${q.limit ?? 500}`);
  return rows.map((r) => ({ id: Number(r.id), actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, at: new Date(r.at).toISOString(), ip: r.ip, detail: r.detail }));
}
