/**
 * /api/departments — 责任单位 and the category → default departments map. Reading is
 * for every signed-in user (dispatch pickers); writing for admins (server/auth/policy.ts).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { categoryMap, createDepartment, DEPARTMENT_LEVELS, deleteDepartment, listDepartments, putCategoryMap, updateDepartment } from '../departments/departments';
import { integerString, safeName } from '../http/params';
import { invalidInput } from '../http/problem';

const strict = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) });

const departmentShape = {
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '单位编码应为 1~32 位字母、数字、- 或 _'),
  name: safeName('单位名称', 60),
  level: z.enum(DEPARTMENT_LEVELS, { message: `层级只能取 ${DEPARTMENT_LEVELS.join('、')}` }),
  serviceRegionCode: z
    .string()
    .regex(/^(\d{6}|\d{9}|\d{12})$/, '服务区域应为 6、9 或 12 位区划代码')
    .nullable()
    .optional(),
  contactName: safeName('联系人', 30).nullable().optional(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{3,30}$/, '联系电话只能包含数字、+、-、括号和空格')
    .nullable()
    .optional(),
  active: z.boolean({ message: 'active 应为 true 或 false' }).optional(),
};
const createBody = strict(departmentShape);
const updateBody = strict(departmentShape).partial();
const mapBody = strict({
  map: z
    .array(
      strict({
        categoryCode: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '事件小类编码无效'),
        departmentIds: z.array(z.number().int('单位编号应为整数').positive('单位编号应为正整数')).max(20, '每个小类最多 20 个默认单位'),
      }),
    )
    .max(1000, '最多 1000 个小类'),
});
const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });

export const departmentsRoute = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await listDepartments(c.var.db, c.var.user), 200))
  .post('/', zValidator('json', createBody, invalidInput), async (c) => c.json(await createDepartment(c.var.db, c.req.valid('json')), 201))
  .get('/category-map', async (c) => c.json(await categoryMap(c.var.db), 200))
  .put('/category-map', zValidator('json', mapBody, invalidInput), async (c) => c.json(await putCategoryMap(c.var.db, c.req.valid('json').map), 200))
  .patch('/:id', zValidator('param', idParam, invalidInput), zValidator('json', updateBody, invalidInput), async (c) => c.json(await updateDepartment(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200))
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await deleteDepartment(c.var.db, c.req.valid('param').id), 200));
