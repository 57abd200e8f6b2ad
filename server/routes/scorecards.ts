/**
 * /api/scorecards — 示范评估 (server/scorecards/scorecard.ts):
 *  GET /?demo=belt:3|circle:2&date=YYYY-MM-DD&days=90   a 示范带/示范圈's member communities
 *  GET /?communities=<12-digit>,…&date=…&days=…          any chosen set of communities
 * `date` is the designation date (China time, start of that day); without it a 示范带/示范圈's own
 * 认定日期 (designatedOn) is used, and a set without either is refused (422, field date).
 * The two windows are `days` long (cut at today).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { invalidInput } from '../http/problem';
import { getDemonstration } from '../screen/demonstrations';
import { scorecard, ScorecardRejected } from '../scorecards/scorecard';

const query = z.object({
  demo: z
    .string()
    .regex(/^(belt|circle):\d{1,9}$/, 'demo 应为 belt:<编号> 或 circle:<编号>')
    .optional(),
  communities: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((v) => v.length <= 500 && v.every((c) => /^\d{12}$/.test(c)), '社区代码应为 12 位数字，逗号分隔，最多 500 个')
    .optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date 应为认定日期 YYYY-MM-DD')
    .optional(),
  days: z.coerce.number().int('days 应为整数').min(7, '窗口至少 7 天').max(730, '窗口最多 730 天').default(90),
});

export const scorecardsRoute = new Hono<AppEnv>().get('/', zValidator('query', query, invalidInput), async (c) => {
  const q = c.req.valid('query');
  let codes = q.communities ?? [];
  let demo: { kind: 'belt' | 'circle'; id: number; name: string; designatedOn: string | null } | null = null;
  if (q.demo) {
    const [kind, id] = q.demo.split(':') as ['belt' | 'circle', string];
    const d = await getDemonstration(c.var.db, kind, Number(id));
    demo = { kind, id: d.id, name: d.name, designatedOn: d.designatedOn };
    codes = d.members.map((m) => m.code);
    if (codes.length === 0) throw new ScorecardRejected('demo', `${d.name} 没有成员社区`);
  }
  const date = q.date ?? demo?.designatedOn;
  if (!date) {
    throw new ScorecardRejected('date', demo ? `${demo.name} 尚未登记认定日期：请填写认定日期，或在大屏“管理”中为它补填认定日期` : '请填写认定日期（自选社区没有登记的认定日期）');
  }
  const designatedOn = new Date(`${date}T00:00:00+08:00`);
  if (Number.isNaN(designatedOn.getTime())) throw new ScorecardRejected('date', '不是有效日期');
  // dateSource: whether the windows hinge on the typed date or on the demonstration's own 认定日期.
  const dateSource = q.date ? ('query' as const) : ('designation' as const);
  return c.json({ demo, dateSource, ...(await scorecard(c.var.db, codes, designatedOn, q.days, new Date())) }, 200);
});
