/**
 * Incident photos (LOOP-CONTRACT.md "Photos API"):
 *   POST /api/incidents/:id/photos  multipart: `files` (1–9), optional `transitionId` → 201 { photos }
 *   GET  /api/incidents/:id/photos  → { photos }
 *   GET  /api/photos/:id, /api/photos/:id/thumb → the image
 * The work and every refusal are in server/photos/*. The upload body is exempt from
 * the JSON-only rule and has its own size limit (server/http/hardening.ts). Images are
 * private to readers of the incident: `Cache-Control: private`, an ETag from the
 * SHA-256, nosniff, and the type the magic bytes said when it was stored.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { idempotent } from '../http/idempotency';
import { writerOf } from '../incidents/incidentWriter';
import { listPhotos, type PhotoUpload, PhotosRefused, photoBytes, uploadPhotos } from '../photos/photos';

const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
const TRANSITION_ID = /^[1-9]\d{0,15}$/;

/** Fields the server records itself; a form naming them is refused rather than silently ignored. */
const SERVER_RECORDED: Record<string, string> = {
  actor: '上传人由服务器按登录账号记录，请勿提交',
  uploadedBy: '上传人由服务器按登录账号记录，请勿提交',
  at: '上传时间由服务器时钟记录，请勿提交',
  uploadedAt: '上传时间由服务器时钟记录，请勿提交',
  takenAt: '拍摄时间从照片的 EXIF 读取，请勿提交',
  lon: '拍摄位置从照片的 EXIF 读取，请勿提交',
  lat: '拍摄位置从照片的 EXIF 读取，请勿提交',
};

/** The multipart form: its files (in order) and the step they belong to. */
async function readForm(request: Request): Promise<{ files: PhotoUpload[]; transitionId: number | null }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new PhotosRefused(400, '请求参数无效', [{ field: '(body)', reason: `照片应以 multipart/form-data 表单上传（字段 files），收到 ${type.slice(0, 100) || '未注明 Content-Type'}` }]);
  }
  const form = await request.formData().catch(() => null);
  if (!form) throw new PhotosRefused(400, '请求参数无效', [{ field: '(body)', reason: '表单格式错误，无法读取' }]);
  const files: PhotoUpload[] = [];
  const refused: { field: string; reason: string }[] = [];
  let transitionId: number | null = null;
  for (const [key, value] of form.entries()) {
    if (key === 'files') {
      if (typeof value === 'string') refused.push({ field: 'files', reason: 'files 应为文件，不能是文本' });
      else files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
    } else if (key === 'transitionId' && typeof value === 'string' && transitionId === null) {
      if (TRANSITION_ID.test(value.trim())) transitionId = Number(value.trim());
      else refused.push({ field: 'transitionId', reason: 'transitionId 应为正整数（处理环节编号）' });
    } else {
      refused.push({ field: key.slice(0, 50), reason: SERVER_RECORDED[key] ?? '不允许的字段（可填写：files、transitionId）' });
    }
  }
  if (refused.length > 0) throw new PhotosRefused(400, '请求参数无效', refused);
  return { files, transitionId };
}

/** The bytes of an image, cacheable only by this user's browser, revalidated by content hash. */
function imageResponse(ifNoneMatch: string | undefined, image: { mime: string; etag: string; data: Uint8Array }) {
  const headers = { 'Cache-Control': 'private, max-age=3600', ETag: image.etag, 'X-Content-Type-Options': 'nosniff', 'Content-Type': image.mime };
  const matches = ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === image.etag);
  if (matches) return new Response(null, { status: 304, headers });
  return new Response(image.data as Uint8Array<ArrayBuffer>, { status: 200, headers: { ...headers, 'Content-Length': String(image.data.length) } });
}

export const photosRoute = new Hono<AppEnv>()
  .post('/incidents/:id/photos', idempotent(), zValidator('param', idParam, invalidInput), async (c) => {
    const { files, transitionId } = await readForm(c.req.raw);
    return c.json({ photos: await uploadPhotos(c.var.db, writerOf(c.var.user), c.req.valid('param').id, transitionId, files) }, 201);
  })
  .get('/incidents/:id/photos', zValidator('param', idParam, invalidInput), async (c) => c.json({ photos: await listPhotos(c.var.db, writerOf(c.var.user), c.req.valid('param').id) }, 200))
  .get('/photos/:id', zValidator('param', idParam, invalidInput), async (c) => imageResponse(c.req.header('if-none-match'), await photoBytes(c.var.db, writerOf(c.var.user), c.req.valid('param').id, 'full')))
  .get('/photos/:id/thumb', zValidator('param', idParam, invalidInput), async (c) => imageResponse(c.req.header('if-none-match'), await photoBytes(c.var.db, writerOf(c.var.user), c.req.valid('param').id, 'thumb')));
