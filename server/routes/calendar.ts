/**
 * /api/calendar — the working-day calendar: any signed-in user reads a year's holidays
 * and 调休 working days; admins set or clear one date (policy: WRITE /api/calendar is
 * admin-only). The work is in server/calendar/calendar.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { isIsoDate, localDate } from '../../kernel/workCalendar';
import type { AppEnv } from '../appEnv';
import { calendarYear, deleteCalendarDay, setCalendarDay } from '../calendar/calendar';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { nameText } from '../http/text';

const yearQuery = z.strictObject({ year: integerString('year', 2000, 2100).optional() }, { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的参数：${issue.keys.join('、')}` : undefined) });
const dateParam = z.object({
  date: z
    .string()
    .refine(isIsoDate, '日期应为存在的 YYYY-MM-DD（例如 2026-10-01）')
    .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', '日期应在 2000 年至 2100 年之间'),
});
const dayBody = z.strictObject(
  {
    kind: z.enum(['holiday', 'workday'], { message: 'kind 只能取 holiday（放假）或 workday（调休上班）' }),
    name: nameText('名称', 30),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
);

export const calendarRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', yearQuery, invalidInput), async (c) => {
    const year = c.req.valid('query').year ?? Number(localDate(new Date()).slice(0, 4));
    return c.json(await calendarYear(c.var.db, year), 200);
  })
  .put('/:date', zValidator('param', dateParam, invalidInput), zValidator('json', dayBody, invalidInput), async (c) =>
    c.json(await setCalendarDay(c.var.db, c.req.valid('param').date, c.req.valid('json'), c.var.user?.username ?? '(未登录)'), 200),
  )
  .delete('/:date', zValidator('param', dateParam, invalidInput), async (c) => c.json(await deleteCalendarDay(c.var.db, c.req.valid('param').date), 200));
