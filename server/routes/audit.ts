/** The audit trail for admins: browse with filters, or download as CSV. */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const query = z.object({
  actor: z.string().max(50).optional(),
  entity: z.string().regex(/^[a-z]{1,30}$/, 'entity 应为小写字母').optional(),
  from: z.iso.datetime({ offset: true, message: 'from 应为 ISO 时间' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'to 应为 ISO 时间' }).optional(),
  limit: integerString('limit', 1, 10_000).optional(),
  format: z.enum(['json', 'csv'], { message: 'format 应为 json 或 csv' }).optional(),
});

interface AuditRow {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  at: Date | string;
  ip: string | null;
  detail: unknown;
}

/** CSV cells are quoted, and formula-looking cells neutralised for spreadsheet safety. */
const csvCell = (v: unknown) => {
  let s = v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

export const auditRoute = new Hono<AppEnv>().get('/', zValidator('query', query, invalidInput), async (c) => {
  const q = c.req.valid('query');
  const rows = await c.var.db.rows<AuditRow>(sql`
    SELECT id, actor, action, entity, entity_id, at, ip, detail FROM audit_log
    WHERE (${q.actor ?? null}::text IS NULL OR actor = ${q.actor ?? null})
      AND (${q.entity ?? null}::text IS NULL OR entity = ${q.entity ?? null})
      AND (${q.from ?? null}::timestamptz IS NULL OR at >= ${q.from ?? null}::timestamptz)
      AND (${q.to ?? null}::timestamptz IS NULL OR at < ${q.to ?? null}::timestamptz)
    ORDER BY id DESC LIMIT ${q.limit ?? 500}`);
  const entries = rows.map((r) => ({ id: Number(r.id), actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, at: new Date(r.at).toISOString(), ip: r.ip, detail: r.detail }));
  if (q.format === 'csv') {
    const lines = ['id,actor,action,entity,entity_id,at,ip,detail', ...entries.map((e) => [e.id, e.actor, e.action, e.entity, e.entityId, e.at, e.ip, e.detail].map(csvCell).join(','))];
    return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit-log.csv"' });
  }
  return c.json({ entries }, 200);
});
