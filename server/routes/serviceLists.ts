/** /api/service-lists — a community's 三清单 (需求, 资源, 共建项目); community staff write (server/partyService/serviceLists.ts). */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { LIST_KINDS, PROJECT_STATUSES } from '../../kernel/partyService';
import type { AppEnv } from '../appEnv';
import { noteText } from '../http/text';
import { invalidInput } from '../http/problem';
import { addListItem, addProject, communityLists, setProjectStatus } from '../partyService/serviceLists';
import { category, communityParam, idParam, positiveId, strict } from './partyInputs';

const status = z.enum(PROJECT_STATUSES, { message: '项目状态只能取 planned（计划）、ongoing（进行中）、done（完成）' });
const itemBody = strict({
  list: z.enum(LIST_KINDS, { message: '清单只能取 need（需求）或 resource（资源）' }),
  title: noteText('标题', 60, { required: true }),
  category,
  description: noteText('说明', 500).nullable().optional(),
  unitId: positiveId('报到单位').nullable().optional(),
  memberId: positiveId('在职党员').nullable().optional(),
});
const projectBody = strict({
  title: noteText('项目名称', 60, { required: true }),
  needId: positiveId('需求').nullable().optional(),
  resourceId: positiveId('资源').nullable().optional(),
  status: status.optional(),
});

export const serviceListsRoute = new Hono<AppEnv>()
  .patch('/projects/:id', zValidator('param', idParam, invalidInput), zValidator('json', strict({ status }), invalidInput), async (c) =>
    c.json(await setProjectStatus(c.var.db, c.var.user!, c.req.valid('param').id, c.req.valid('json').status), 200),
  )
  .get('/:community', zValidator('param', communityParam, invalidInput), async (c) => c.json(await communityLists(c.var.db, c.req.valid('param').community), 200))
  .post('/:community/items', zValidator('param', communityParam, invalidInput), zValidator('json', itemBody, invalidInput), async (c) =>
    c.json(await addListItem(c.var.db, c.var.user!, c.req.valid('param').community, c.req.valid('json')), 201),
  )
  .post('/:community/projects', zValidator('param', communityParam, invalidInput), zValidator('json', projectBody, invalidInput), async (c) =>
    c.json(await addProject(c.var.db, c.var.user!, c.req.valid('param').community, c.req.valid('json')), 201),
  );
