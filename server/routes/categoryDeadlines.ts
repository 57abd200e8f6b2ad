/**
 * /api/incidents/categories/:code — admins set a category's handling deadline (working
 * hours or working days) and its 签收时限 (policy: admin-only, ahead of the editors'
 * rule for /api/incidents). New incidents take it; existing ones keep theirs.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { invalidInput } from '../http/problem';
import { setCategoryDeadline } from '../incidents/deadlines';

const codeParam = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '类别编码应为 1~16 位字母、数字') });
const deadlineBody = z
  .strictObject(
    {
      amount: z.number({ message: 'amount 应为数字' }).int('时限应为整数').min(1, '时限至少为 1'),
      unit: z.enum(['hours', 'days'], { message: 'unit 只能取 hours（工作小时）或 days（工作日）' }),
      signHours: z.number({ message: 'signHours 应为数字' }).int('签收时限应为整数工作小时').min(1, '签收时限至少 1 个工作小时').max(72, '签收时限最多 72 个工作小时').optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  )
  .refine((d) => d.amount <= (d.unit === 'days' ? 60 : 480), { message: '时限过长：最多 60 个工作日或 480 个工作小时', path: ['amount'] });

export const categoryDeadlinesRoute = new Hono<AppEnv>().put('/:code', zValidator('param', codeParam, invalidInput), zValidator('json', deadlineBody, invalidInput), async (c) =>
  c.json(await setCategoryDeadline(c.var.db, c.req.valid('param').code, c.req.valid('json')), 200),
);
