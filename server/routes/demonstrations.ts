/**
 * /api/demonstrations — 示范带 (belts) and 示范圈 (circles).
 *  GET    /                      both lists with geometry and member communities
 *  GET    /belts/:id | /circles/:id   one of them (404 when unknown)
 *  POST   /belts | /circles      create (201)
 *  PUT    /belts/:id | /circles/:id   update the given fields
 *  DELETE /belts/:id | /circles/:id
 * `designatedOn` is the 认定日期 (China date YYYY-MM-DD, not after today; null = unknown):
 * the scorecards (server/routes/scorecards.ts) compare before and after it.
 * The records and their writes are server/screen/demonstrations.ts. Writes are for
 * admins (server/auth/policy.ts); the audit row names the signed-in user.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { polygonGeometry } from '../grids/geometryInput';
import { impossibleDate, integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { nameText, noteText } from '../http/text';
import { createDemonstration, deleteDemonstration, getDemonstration, listDemonstrations, updateDemonstration, type DemoInput, type DemoKind } from '../screen/demonstrations';

const position = z
  .array(z.number({ message: '坐标应为数字' }))
  .min(2, '坐标应为 [经度, 纬度]')
  .max(3, '坐标应为 [经度, 纬度]')
  .refine((p) => p.every(Number.isFinite) && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90, '坐标超出经纬度范围');
const line = z.array(position).min(2, '路线至少需要 2 个坐标').max(10_000, '路线顶点过多');
const routeGeometry = z.discriminatedUnion(
  'type',
  [z.object({ type: z.literal('LineString'), coordinates: line }), z.object({ type: z.literal('MultiLineString'), coordinates: z.array(line).min(1, '路线不能为空').max(100, '路线段过多') })],
  { message: '路线应为 LineString 或 MultiLineString' },
);
const name = nameText('名称', 100);
const description = noteText('简介', 2000).nullable();
/** Today in China (the server clock), YYYY-MM-DD. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const designatedOn = z
  .string({ message: '认定日期应为 YYYY-MM-DD' })
  .superRefine((v, ctx) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const impossible = m ? impossibleDate(Number(m[1]), Number(m[2]), Number(m[3])) : '认定日期应为 YYYY-MM-DD，如 2026-03-01';
    if (impossible) ctx.addIssue({ code: 'custom', message: impossible });
    else if (v > chinaToday()) ctx.addIssue({ code: 'custom', message: `认定日期不能晚于今天（${chinaToday()}）` });
    else if (v < '1949-10-01') ctx.addIssue({ code: 'custom', message: '认定日期过早' });
  })
  .nullable();
const members = z.array(z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字')).max(500, '成员社区最多 500 个');

const beltFields = {
  description: description.optional(),
  route: routeGeometry.optional(),
  corridor: polygonGeometry.optional(),
  corridorM: z.number().min(10, '走廊宽度至少 10 米').max(5000, '走廊宽度最多 5000 米').optional(),
  memberCommunityCodes: members.optional(),
  designatedOn: designatedOn.optional(),
};
const circleFields = {
  description: description.optional(),
  area: polygonGeometry.optional(),
  centre: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], { message: 'centre 应为 [经度, 纬度]' }).optional(),
  radiusM: z.number().min(50, '半径至少 50 米').max(20_000, '半径最多 20000 米').optional(),
  memberCommunityCodes: members.optional(),
  designatedOn: designatedOn.optional(),
};

const beltCreate = z
  .object({ name, ...beltFields })
  .strict()
  .refine((b) => b.route, { message: '请提供示范带的路线 route', path: ['route'] });
const beltUpdate = z
  .object({ name: name.optional(), ...beltFields })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '请至少提供一个要修改的字段');
const circleCreate = z
  .object({ name, ...circleFields })
  .strict()
  .refine((b) => b.area || b.centre, { message: '请提供示范圈的范围 area，或圆心 centre（与半径 radiusM）', path: ['area'] })
  .refine((b) => !(b.area && b.centre), { message: 'area 与 centre 只能二选一', path: ['centre'] });
const circleUpdate = z
  .object({ name: name.optional(), ...circleFields })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '请至少提供一个要修改的字段')
  .refine((b) => !(b.area && b.centre), { message: 'area 与 centre 只能二选一', path: ['centre'] })
  .refine((b) => !(b.radiusM !== undefined && !b.centre), { message: '修改半径时请同时提供圆心 centre', path: ['centre'] });

const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });

type BeltBody = z.infer<typeof beltUpdate>;
type CircleBody = z.infer<typeof circleUpdate>;

const beltInput = (b: BeltBody): DemoInput => ({
  name: b.name,
  description: b.description,
  route: b.route as DemoInput['route'],
  area: b.corridor as DemoInput['area'],
  corridorM: b.corridorM,
  memberCommunityCodes: b.memberCommunityCodes,
  designatedOn: b.designatedOn,
});
const circleInput = (b: CircleBody): DemoInput => ({
  name: b.name,
  description: b.description,
  area: b.area as DemoInput['area'],
  centre: b.centre,
  radiusM: b.radiusM,
  memberCommunityCodes: b.memberCommunityCodes,
  designatedOn: b.designatedOn,
});

/** The signed-in admin (the access policy admits nobody else to writes). */
function actorOf(c: Context<AppEnv>): string {
  const user = c.var.user;
  return user ? user.displayName || user.username : '(未登录)';
}

const kindParam = idParam.extend({ kind: z.enum(['belts', 'circles']) });
const kindOf = (path: 'belts' | 'circles'): DemoKind => (path === 'belts' ? 'belt' : 'circle');

export const demonstrationsRoute = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await listDemonstrations(c.var.db), 200))
  .post('/belts', zValidator('json', beltCreate, invalidInput), async (c) => c.json(await createDemonstration(c.var.db, 'belt', { ...beltInput(c.req.valid('json')), name: c.req.valid('json').name }, actorOf(c)), 201))
  .post('/circles', zValidator('json', circleCreate, invalidInput), async (c) =>
    c.json(await createDemonstration(c.var.db, 'circle', { ...circleInput(c.req.valid('json')), name: c.req.valid('json').name }, actorOf(c)), 201),
  )
  .get('/:kind{belts|circles}/:id', zValidator('param', kindParam, invalidInput), async (c) => {
    const { kind, id } = c.req.valid('param');
    return c.json(await getDemonstration(c.var.db, kindOf(kind), id), 200);
  })
  .put('/belts/:id', zValidator('param', idParam, invalidInput), zValidator('json', beltUpdate, invalidInput), async (c) =>
    c.json(await updateDemonstration(c.var.db, 'belt', c.req.valid('param').id, beltInput(c.req.valid('json')), actorOf(c)), 200),
  )
  .put('/circles/:id', zValidator('param', idParam, invalidInput), zValidator('json', circleUpdate, invalidInput), async (c) =>
    c.json(await updateDemonstration(c.var.db, 'circle', c.req.valid('param').id, circleInput(c.req.valid('json')), actorOf(c)), 200),
  )
  .delete('/:kind{belts|circles}/:id', zValidator('param', kindParam, invalidInput), async (c) => {
    const { kind, id } = c.req.valid('param');
    await deleteDemonstration(c.var.db, kindOf(kind), id, actorOf(c));
    return c.json({ deleted: true as const, id }, 200);
  });
