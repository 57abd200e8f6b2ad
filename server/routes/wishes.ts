/**
 * /api/wishes — 为民红绳 / 微心愿 (issue 16 point 5): the board of a community, posting
 * (own form, or 转为微心愿 from an incident), the moves of kernel/wishFlow.ts, matching.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { WISH_ACTIONS, WISH_KINDS, WISH_STATUSES } from '../../kernel/wishFlow';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { noteText } from '../http/text';
import { invalidInput } from '../http/problem';
import { actOnWish, postWish, wishBoard, wishFromIncident, wishSuggestions } from '../partyService/wishes';
import { category, communityCode, communityParam, idParam, positiveId, strict } from './partyInputs';

const kind = z.enum(WISH_KINDS, { message: '类型只能取 red_rope（为民红绳）或 wish（微心愿）' });
const postBody = strict({ communityCode, kind, title: noteText('标题', 60, { required: true }), description: noteText('说明', 500).nullable().optional(), category });
const fromIncidentBody = strict({ kind: kind.optional(), title: noteText('标题', 60, { required: true }).optional(), description: noteText('说明', 500).nullable().optional(), category: category.optional() });
const actionBody = strict({
  action: z.enum(WISH_ACTIONS, { message: `操作只能取 ${WISH_ACTIONS.join('、')}` }),
  unitId: positiveId('报到单位').nullable().optional(),
  memberId: positiveId('在职党员').nullable().optional(),
  note: noteText('备注', 500).nullable().optional(),
  expectedStatus: z.enum(WISH_STATUSES).optional(),
});

export const wishesRoute = new Hono<AppEnv>()
  .get('/board/:community', zValidator('param', communityParam, invalidInput), async (c) => c.json(await wishBoard(c.var.db, c.var.user!, c.req.valid('param').community), 200))
  .post('/', zValidator('json', postBody, invalidInput), async (c) => {
    const { communityCode: community, ...input } = c.req.valid('json');
    return c.json(await postWish(c.var.db, c.var.user!, community, input), 201);
  })
  .post('/from-incident/:incidentId', zValidator('param', z.object({ incidentId: integerString('incidentId', 1, 9_000_000_000_000) }), invalidInput), zValidator('json', fromIncidentBody, invalidInput), async (c) =>
    c.json(await wishFromIncident(c.var.db, c.var.user!, c.req.valid('param').incidentId, c.req.valid('json')), 201),
  )
  .post('/:id/actions', zValidator('param', idParam, invalidInput), zValidator('json', actionBody, invalidInput), async (c) => {
    const { action, ...input } = c.req.valid('json');
    return c.json(await actOnWish(c.var.db, c.var.user!, c.req.valid('param').id, action, input), 200);
  })
  .get('/:id/suggestions', zValidator('param', idParam, invalidInput), async (c) => c.json(await wishSuggestions(c.var.db, c.req.valid('param').id), 200));
