/**
 * /api/public/revisit/:token — the resident's 回访 through a one-time link, without an
 * account (policy rule 'public'; the token is the credential). GET shows what the case
 * was about (no personal data), POST records the satisfaction once.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { invalidInput } from '../http/problem';
import { noteText } from '../http/text';
import { answerRevisit, revisitLinkView } from '../incidents/revisitLinks';

const tokenParam = z.object({ token: z.string().max(100, '链接无效') });
const answerBody = z.strictObject(
  {
    satisfaction: z.number({ error: '满意度应为 1~5 的整数' }).int('满意度应为整数').min(1, '满意度应为 1~5').max(5, '满意度应为 1~5'),
    note: noteText('意见', 300).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
);

export const publicRevisitRoute = new Hono<AppEnv>()
  .get('/:token', zValidator('param', tokenParam, invalidInput), async (c) => c.json(await revisitLinkView(c.var.db, c.req.valid('param').token), 200))
  .post('/:token', zValidator('param', tokenParam, invalidInput), zValidator('json', answerBody, invalidInput), async (c) => c.json(await answerRevisit(c.var.db, c.req.valid('param').token, c.req.valid('json')), 200));
