/**
 * /api/dual-report — 双报到 (issue 16 point 4): reporting units and in-service members
 * (personal data per PERSONAL_DATA_POLICY), the figures per region; community staff register.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { safeName } from '../http/params';
import { invalidInput } from '../http/problem';
import { createMember, createUnit, dualReportFigures, listMembers, listUnits } from '../partyService/dualReport';
import { communityCode, isoDate, phone, positiveId, regionCode, strict, unitKind } from './partyInputs';

const regionQuery = z.object({ region: regionCode });
const unitBody = strict({
  name: safeName('单位名称', 60),
  kind: unitKind,
  communityCode,
  contactName: safeName('联系人', 30).nullable().optional(),
  contactPhone: phone.nullable().optional(),
  memberCount: z.number({ error: '党员人数应为整数' }).int('党员人数应为整数').min(0, '党员人数不能为负').max(100_000, '党员人数过大'),
  reportedOn: isoDate('报到日期'),
  lon: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
});
const memberBody = strict({
  name: safeName('姓名', 30),
  unitId: positiveId('报到单位'),
  phone: phone.nullable().optional(),
  communityCode: communityCode.nullable().optional(),
  reportedOn: isoDate('报到日期').nullable().optional(),
});

export const dualReportRoute = new Hono<AppEnv>()
  .get('/figures', zValidator('query', regionQuery, invalidInput), async (c) => c.json(await dualReportFigures(c.var.db, c.req.valid('query').region), 200))
  .get('/units', zValidator('query', regionQuery, invalidInput), async (c) => c.json(await listUnits(c.var.db, c.var.user, c.req.valid('query').region), 200))
  .get('/members', zValidator('query', regionQuery, invalidInput), async (c) => c.json(await listMembers(c.var.db, c.var.user, c.req.valid('query').region), 200))
  .post('/units', zValidator('json', unitBody, invalidInput), async (c) => c.json(await createUnit(c.var.db, c.var.user!, c.req.valid('json')), 201))
  .post('/members', zValidator('json', memberBody, invalidInput), async (c) => c.json(await createMember(c.var.db, c.var.user!, c.req.valid('json')), 201));
