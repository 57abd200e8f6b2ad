/** /api/stars — 星级评定 on the 五好 (issue 16 point 7): self-assessment, review, 公示, objections, final; history, distribution and the map's latest final ratings. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { FIVE_GOOD, MAX_PUBLIC_DAYS, MIN_PUBLIC_DAYS, RATING_ACTIONS } from '../../kernel/starRating';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { noteText } from '../http/text';
import { invalidInput } from '../http/problem';
import { latestFinalStars } from '../partyService/starMap';
import { actOnRating, listRatings, ratingHistory, selfAssess, starDistribution } from '../partyService/starRatings';
import { idParam, positiveId, regionCode, strict } from './partyInputs';

const scores = strict(
  Object.fromEntries(
    FIVE_GOOD.map((i) => [
      i.key,
      z
        .number({ error: `${i.label}得分应为数字` })
        .min(0, `${i.label}得分不能为负`)
        .max(i.max, `${i.label}得分最高 ${i.max}`),
    ]),
  ) as Record<(typeof FIVE_GOOD)[number]['key'], z.ZodNumber>,
);
const year = z.number({ error: '年度应为整数' }).int('年度应为整数').min(2000, '年度应在 2000~2100').max(2100, '年度应在 2000~2100');
const orgCode = z.string().regex(/^(\d{12}|\d{15})$/, '组织编码应为 12 位社区或 15 位网格编码');
const selfBody = strict({ orgCode, year, scores });
const actionBody = strict({
  action: z.enum(RATING_ACTIONS, { message: `操作只能取 ${RATING_ACTIONS.join('、')}` }),
  scores: scores.optional(),
  days: z.number().int('公示天数应为整数').min(MIN_PUBLIC_DAYS, `公示期至少 ${MIN_PUBLIC_DAYS} 天`).max(MAX_PUBLIC_DAYS, `公示期最多 ${MAX_PUBLIC_DAYS} 天`).optional(),
  text: noteText('异议内容', 500).optional(),
  objectionId: positiveId('异议').optional(),
  decision: z.enum(['upheld', 'dismissed'], { message: '处理结果只能取 upheld（成立）或 dismissed（不成立）' }).optional(),
});
const listQuery = z.object({ region: regionCode, year: integerString('year', 2000, 2100) });
const mapQuery = z.object({ region: regionCode.optional() });

export const starsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => c.json(await listRatings(c.var.db, c.req.valid('query').region, c.req.valid('query').year), 200))
  .get('/distribution', zValidator('query', listQuery, invalidInput), async (c) => c.json(await starDistribution(c.var.db, c.req.valid('query').region, c.req.valid('query').year), 200))
  .get('/latest-final', zValidator('query', mapQuery, invalidInput), async (c) => c.json(await latestFinalStars(c.var.db, c.req.valid('query').region ?? null), 200))
  .get('/history/:orgCode', zValidator('param', z.object({ orgCode }), invalidInput), async (c) => c.json(await ratingHistory(c.var.db, c.req.valid('param').orgCode), 200))
  .post('/', zValidator('json', selfBody, invalidInput), async (c) => {
    const b = c.req.valid('json');
    return c.json(await selfAssess(c.var.db, c.var.user!, b.orgCode, b.year, b.scores), 201);
  })
  .post('/:id/actions', zValidator('param', idParam, invalidInput), zValidator('json', actionBody, invalidInput), async (c) =>
    c.json(await actOnRating(c.var.db, c.var.user!, c.req.valid('param').id, c.req.valid('json')), 200),
  );
