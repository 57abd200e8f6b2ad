/** Account administration (admins only, enforced by the access policy). */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { ROLES } from '../../kernel/roles';
import { createUser, UserProblem, validateUser } from '../auth/users';
import { integerString, safeName } from '../http/params';
import { invalidInput, notFound, problem } from '../http/problem';

const userBody = z.object({
  username: z.string().trim(),
  displayName: safeName('姓名', 50),
  role: z.enum(ROLES, { message: `角色应为 ${ROLES.join('、')}` }),
  jurisdictionCode: z.string().nullable().optional(),
  password: z.string(),
});
const updateBody = userBody.omit({ username: true, password: true }).partial().extend({ password: z.string().optional() });
const idParam = z.object({ id: integerString('id', 1, 1e9) });

const userProblem = (c: Parameters<typeof invalidInput>[1], e: UserProblem) =>
  problem(c, 400, '请求参数无效', `${e.field}：${e.message}`, { errors: [{ field: e.field, reason: e.message }] });

export const usersRoute = new Hono<AppEnv>()
  .get('/', async (c) => {
    const rows = await c.var.db.rows<{ id: number; username: string; display_name: string; role: string; jurisdiction_code: string | null; created_at: Date | string }>(sql`
      SELECT id, username, display_name, role, jurisdiction_code, created_at FROM users ORDER BY id`);
    return c.json({ users: rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, jurisdictionCode: r.jurisdiction_code, createdAt: new Date(r.created_at).toISOString() })) }, 200);
  })
  .post('/', zValidator('json', userBody, invalidInput), async (c) => {
    try {
      const id = await createUser(c.var.db, c.req.valid('json'));
      return c.json({ id }, 201);
    } catch (e) {
      if (e instanceof UserProblem) return userProblem(c, e);
      throw e;
    }
  })
  .patch('/:id', zValidator('param', idParam, invalidInput), zValidator('json', updateBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const [current] = await c.var.db.rows<{ username: string; display_name: string; role: (typeof ROLES)[number]; jurisdiction_code: string | null }>(sql`
      SELECT username, display_name, role, jurisdiction_code FROM users WHERE id = ${id}`);
    if (!current) return notFound(c, `用户 ${id} 不存在`);
    const next = {
      username: current.username,
      displayName: change.displayName ?? current.display_name,
      role: change.role ?? current.role,
      jurisdictionCode: change.jurisdictionCode === undefined ? current.jurisdiction_code : change.jurisdictionCode,
    };
    try {
      await validateUser(c.var.db, next);
      if (change.password !== undefined) {
        const weak = passwordProblem(change.password);
        if (weak) throw new UserProblem('password', weak);
      }
    } catch (e) {
      if (e instanceof UserProblem) return userProblem(c, e);
      throw e;
    }
    const hash = change.password !== undefined ? await hashPassword(change.password) : null;
    await c.var.db.rows(sql`
      UPDATE users SET display_name = ${next.displayName}, role = ${next.role},
             jurisdiction_code = ${next.role === 'planner' ? next.jurisdictionCode : null},
             password_hash = coalesce(${hash}, password_hash)
      WHERE id = ${id}`);
    return c.json({ id }, 200);
  })
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    if (c.var.user?.id === id) return problem(c, 409, '不能删除自己', '请由其他管理员删除此账号');
    const rows = await c.var.db.rows(sql`DELETE FROM users WHERE id = ${id} RETURNING id`);
    if (rows.length === 0) return notFound(c, `用户 ${id} 不存在`);
    return c.json({ id }, 200);
  });
