/**
 * Reading grids: GET /api/grids?bbox=&limit= (GeoJSON features for the map) and
 * GET /api/grids/:code[?reveal=phone] (one grid with its community, street,
 * district and party organisation; its people as the reader may see them, phones
 * unmasked only on request, for roles that need them, audited). Queries in
 * server/grids/gridQueries.ts; the record's shape in db/gridRecord.ts; who sees
 * which people in server/auth/personalData.ts. Edits are in routes/gridEdits.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { clientAddress, parseTrustProxy } from '../auth/clientAddress';
import { REVEAL_FIELDS } from '../auth/personalData';
import { gridByCode, gridsInBbox } from '../grids/gridQueries';
import { bboxParam, integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const codeParam = z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const bboxQuery = z.object({ bbox: bboxParam, limit: integerString('limit', 1, 10000).optional() });
const detailQuery = z.object({ reveal: z.enum(REVEAL_FIELDS, { message: 'reveal 只能是 phone（查看完整联系电话）' }).optional() });

export const gridsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', bboxQuery, invalidInput), async (c) => {
    const { bbox, limit = 2000 } = c.req.valid('query');
    return c.json(await gridsInBbox(c.var.db, bbox, limit), 200);
  })
  .get('/:code', zValidator('param', codeParam, invalidInput), zValidator('query', detailQuery, invalidInput), async (c) => {
    const { reveal } = c.req.valid('query');
    const request = reveal && {
      fields: [reveal],
      address: clientAddress(c, parseTrustProxy(process.env.TRUST_PROXY)),
      query: new URL(c.req.url).search,
    };
    return c.json(await gridByCode(c.var.db, c.req.valid('param').code, c.var.user, request || undefined), 200);
  });
