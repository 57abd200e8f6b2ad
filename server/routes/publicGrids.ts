/**
 * /api/public/grids/:code — a grid's public page data (/g/<code>, the QR code of the
 * 民情联系卡): the grid, its 网格党支部 and the roster fields marked 公开; no account.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { publicGrid, rosterPhoto } from '../party/roster';

const gridParam = z.object({ code: z.string().regex(/^\d{15}$/, '网格编码应为 15 位数字') });
const photoParam = gridParam.extend({ id: integerString('id', 1, 2_000_000_000) });

export const publicGridsRoute = new Hono<AppEnv>()
  .get('/:code', zValidator('param', gridParam, invalidInput), async (c) => c.json(await publicGrid(c.var.db, c.req.valid('param').code), 200))
  .get('/:code/roster/:id/photo', zValidator('param', photoParam, invalidInput), async (c) => {
    const { code, id } = c.req.valid('param');
    const photo = await rosterPhoto(c.var.db, null, code, id);
    return c.body(photo.data as unknown as ArrayBuffer, 200, { 'Content-Type': photo.mime, 'Cache-Control': 'public, max-age=600', 'X-Content-Type-Options': 'nosniff' });
  });
