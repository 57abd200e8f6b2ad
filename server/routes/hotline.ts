/**
 * /api/hotline — the 12345 hotline link.
 *  - POST /cases: the hotline pushes a case (or its new status), authenticated by its
 *    API key (`Authorization: Bearer <key>` or `X-Api-Key`), never by a session; the
 *    key is checked before the body is read.
 *  - admins: POST/GET /keys, DELETE /keys/:id (revoke); GET /deliveries (webhook log).
 * The work is in server/hotline/*.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { pushCase } from '../hotline/cases';
import { authenticateKey, createKey, keyFromHeaders, listKeys, revokeKey } from '../hotline/keys';
import { listDeliveries } from '../hotline/webhooks';
import { DomainError } from '../http/domainError';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { nameText, noteText } from '../http/text';
import { writerOf } from '../incidents/incidentWriter';

const SERVER_RECORDED = { actor: '操作人由接口密钥记录，请勿提交', at: '时间由服务器时钟记录，请勿提交', reportedAt: '受理时间由服务器时钟记录，请勿提交' } as const;

const caseBody = z
  .strictObject(
    {
      caseNo: z
        .string({ error: '工单编号应为文字' })
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, '工单编号应为 1~64 位字母、数字、- 或 _'),
      category: z.string({ error: '事件类别应为文字' }).trim().min(1, '缺少事件类别').max(50, '事件类别最长 50 个字'),
      description: noteText('事件描述', 2000).optional(),
      address: noteText('地址', 200).optional(),
      community: noteText('社区', 100).optional(),
      grid: noteText('网格', 100).optional(),
      lon: z.number({ error: '经度应为数字' }).min(-180, '经度应为 -180~180').max(180, '经度应为 -180~180').optional(),
      lat: z.number({ error: '纬度应为数字' }).min(-90, '纬度应为 -90~90').max(90, '纬度应为 -90~90').optional(),
      reporter: nameText('来电人', 50).optional(),
      status: nameText('热线状态', 32).optional(),
      statusNote: noteText('状态说明', 500).optional(),
      actor: z.never({ error: SERVER_RECORDED.actor }).optional(),
      at: z.never({ error: SERVER_RECORDED.at }).optional(),
      reportedAt: z.never({ error: SERVER_RECORDED.reportedAt }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  )
  .refine((b) => (b.lon === undefined) === (b.lat === undefined), { message: '经度和纬度应同时提供', path: ['lat'] });

class CaseBodyInvalid extends DomainError {
  constructor(errors: { field: string; reason: string }[]) {
    super(400, '请求参数无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

const keyBody = z.strictObject({
  name: nameText('密钥名称', 50),
  jurisdictionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/, '辖区应为 6、9 或 12 位区划代码')
    .nullable()
    .optional(),
});
const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
const deliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed'], { message: 'status 只能取 pending、delivered、failed' }).optional(),
  caseNo: z.string().max(64).optional(),
  page: integerString('page', 1, 100_000).optional(),
  pageSize: integerString('pageSize', 1, 200).optional(),
});

export const hotlineRoute = new Hono<AppEnv>()
  .post('/cases', async (c) => {
    const key = await authenticateKey(c.var.db, keyFromHeaders(c.req.header('authorization'), c.req.header('x-api-key')));
    const json = await c.req.json().catch(() => {
      throw new CaseBodyInvalid([{ field: '(body)', reason: '不是有效的 JSON' }]);
    });
    const parsed = caseBody.safeParse(json);
    if (!parsed.success) throw new CaseBodyInvalid(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message })));
    const { actor: _a, at: _t, reportedAt: _r, ...input } = parsed.data;
    const result = await pushCase(c.var.db, key, input);
    return c.json(result, result.created ? 201 : 200);
  })
  .post('/keys', zValidator('json', keyBody, invalidInput), async (c) => c.json(await createKey(c.var.db, writerOf(c.var.user), c.req.valid('json')), 201))
  .get('/keys', async (c) => c.json({ keys: await listKeys(c.var.db) }, 200))
  .delete('/keys/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await revokeKey(c.var.db, c.req.valid('param').id), 200))
  .get('/deliveries', zValidator('query', deliveriesQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await listDeliveries(c.var.db, { status: q.status, caseNo: q.caseNo, page: q.page ?? 1, pageSize: q.pageSize ?? 50 }), 200);
  });
