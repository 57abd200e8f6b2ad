/** The audit trail for admins: browse with filters (JSON), or download as CSV (server/audit/*). */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { auditCsv } from '../audit/auditCsv';
import { auditEntries } from '../audit/auditLog';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const query = z.object({
  actor: z.string().max(50).optional(),
  entity: z
    .string()
    .regex(/^[a-z]{1,30}$/, 'entity 应为小写字母')
    .optional(),
  from: z.iso.datetime({ offset: true, message: 'from 应为 ISO 时间' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'to 应为 ISO 时间' }).optional(),
  limit: integerString('limit', 1, 10_000).optional(),
  format: z.enum(['json', 'csv'], { message: 'format 应为 json 或 csv' }).optional(),
});

export const auditRoute = new Hono<AppEnv>().get('/', zValidator('query', query, invalidInput), async (c) => {
  const { format, ...filter } = c.req.valid('query');
  const entries = await auditEntries(c.var.db, filter);
  if (format === 'csv') return c.body(auditCsv(entries), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit-log.csv"' });
  return c.json({ entries }, 200);
});
