/** Account administration (admins only, enforced by the access policy). */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { ROLES } from '../../kernel/roles';
import { createUser, deleteUser, listUsers, signOutEverywhere, updateUser } from '../auth/users';
import { integerString, safeName } from '../http/params';
import { invalidInput } from '../http/problem';

const userBody = z.object({
  username: z.string().trim(),
  displayName: safeName('姓名', 50),
  role: z.enum(ROLES, { message: `角色应为 ${ROLES.join('、')}` }),
  jurisdictionCode: z.string().nullable().optional(),
  gridCodes: z.array(z.string(), { message: 'gridCodes 应为网格编码数组' }).max(50, '一名网格员最多绑定 50 个网格').optional(),
  departmentId: z.number().int('departmentId 应为整数').positive('departmentId 应为正整数').nullable().optional(),
  password: z.string(),
});
const updateBody = userBody.omit({ username: true, password: true }).partial().extend({ password: z.string().optional() });
const idParam = z.object({ id: integerString('id', 1, 1e9) });

export const usersRoute = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ users: await listUsers(c.var.db) }, 200))
  .post('/', zValidator('json', userBody, invalidInput), async (c) => c.json({ id: await createUser(c.var.db, c.req.valid('json')) }, 201))
  .patch('/:id', zValidator('param', idParam, invalidInput), zValidator('json', updateBody, invalidInput), async (c) => c.json(await updateUser(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200))
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await deleteUser(c.var.db, c.req.valid('param').id, c.var.user?.id), 200))
  // 强制下线: every session of the user ends at once.
  .post('/:id/sessions/revoke', zValidator('param', idParam, invalidInput), async (c) => c.json(await signOutEverywhere(c.var.db, c.req.valid('param').id), 200));
