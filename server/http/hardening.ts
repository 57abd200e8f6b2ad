/**
 * Request hardening shared by every route: body size limits, JSON-only bodies
 * outside the two upload routes, a nesting limit for JSON (deep nesting would
 * exhaust the validator's stack), security headers.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { IMPORT_MAX_BYTES } from '../exports/imports/upload';
import { PHOTO_MAX_BYTES, PHOTOS_PER_STEP } from '../../kernel/photos';
import { problem } from './problem';

const MB = 1024 * 1024;

/**
 * The uploads that take files, not JSON: grid imports (raw file or multipart, any
 * content type — server/exports/imports/route.ts), incident batches (CSV or
 * GeoJSON, told apart by ?format= or the content type — server/incidents/batchImport.ts)
 * and incident photos (multipart — server/routes/photos.ts).
 */
const GRID_IMPORTS = '/api/exports/imports';
const INCIDENT_BATCH = '/api/incidents/batch';
/** 楼栋 imports: CSV, zipped Shapefile or GeoPackage, raw (server/buildings/importBuildings.ts). */
const BUILDING_IMPORTS = '/api/buildings/imports';
/** Incident photos (multipart, server/routes/photos.ts): 9 files of 10 MB and the form around them. */
const INCIDENT_PHOTOS = /^\/api\/incidents\/\d+\/photos$/;
export const PHOTOS_BODY_MAX_BYTES = PHOTOS_PER_STEP * PHOTO_MAX_BYTES + MB;
/** Table imports (CSV/xlsx, server/routes/dataImports.ts) and roster photos (server/routes/party.ts). */
const TABLE_IMPORTS = /^\/api\/imports\/[a-z-]+$/;
const ROSTER_PHOTO = /^\/api\/party\/roster\/\d+\/photo$/;
const isUpload = (path: string) =>
  path.startsWith(GRID_IMPORTS) || path.startsWith(INCIDENT_BATCH) || path.startsWith(BUILDING_IMPORTS) || INCIDENT_PHOTOS.test(path) || TABLE_IMPORTS.test(path) || ROSTER_PHOTO.test(path);

/** Bulk uploads get room; everything else is small JSON. The grid import limit is the import route's own. */
export function limitFor(path: string): number {
  if (path.startsWith(GRID_IMPORTS)) return IMPORT_MAX_BYTES;
  if (path.startsWith(INCIDENT_BATCH) || path.startsWith(BUILDING_IMPORTS)) return 30 * MB;
  if (INCIDENT_PHOTOS.test(path)) return PHOTOS_BODY_MAX_BYTES;
  if (TABLE_IMPORTS.test(path)) return 20 * MB;
  return 5 * MB;
}

function tooLarge(c: Context) {
  const mb = Math.round(limitFor(c.req.path) / MB);
  // The same words as the import route's own limit, whichever of the two refuses first.
  if (c.req.path.startsWith(GRID_IMPORTS)) return problem(c, 413, '文件过大', `导入文件不能超过 ${mb} MB`, { errors: [{ field: 'file', reason: '文件过大' }] });
  if (INCIDENT_PHOTOS.test(c.req.path)) {
    const reason = `一次最多上传 ${PHOTOS_PER_STEP} 张照片，每张不超过 ${PHOTO_MAX_BYTES / MB} MB（整个请求不超过 ${mb} MB）`;
    return problem(c, 413, '照片过大', reason, { errors: [{ field: 'files', reason }] });
  }
  return problem(c, 413, '请求体过大', `请求体不能超过 ${mb} MB`);
}

export function bodyLimits(): MiddlewareHandler {
  return (c, next) => bodyLimit({ maxSize: limitFor(c.req.path), onError: tooLarge })(c, next);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** application/json and its +json relatives (the media types Hono's json validator reads). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Whether the request carries a body at all (after bodyLimits, so reading a copy is bounded). */
async function hasBody(c: Context): Promise<boolean> {
  if (!c.req.raw.body) return false;
  const length = c.req.header('content-length');
  if (length !== undefined && !c.req.header('transfer-encoding')) return Number(length) > 0;
  return (await c.req.raw.clone().arrayBuffer()).byteLength > 0;
}

/**
 * Writes send JSON: a body of any other type is a 415 (a JSON text sent as
 * text/plain — as a cross-site form would — is not read as JSON). Writes without
 * a body (DELETE, logout) need no content type; the upload routes keep theirs.
 */
export function jsonBodiesOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || isUpload(c.req.path)) return next();
    const contentType = c.req.header('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim();
    if (JSON_MEDIA_TYPE.test(mediaType) || !(await hasBody(c))) return next();
    const given = mediaType ? `收到 ${mediaType.slice(0, 100)}` : '未注明 Content-Type';
    return problem(c, 415, '不支持的内容类型', `请求体应为 JSON，请以 Content-Type: application/json 提交（${given}）`, {
      errors: [{ field: '(body)', reason: `Content-Type 应为 application/json（${given}）` }],
    });
  };
}

/** Deepest bracket nesting of a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash escapes the next character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) max = Math.max(max, ++depth);
    else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

export function jsonDepthGuard(maxDepth = 32): MiddlewareHandler {
  return async (c, next) => {
    if ((c.req.header('content-type') ?? '').includes('json') && c.req.method !== 'GET') {
      // A clone, so the body stays unread for the route (and any limit of its own).
      const depth = jsonDepth(await c.req.raw.clone().text());
      if (depth > maxDepth) return problem(c, 400, '请求参数无效', `JSON 嵌套过深（${depth} 层，最多 ${maxDepth} 层）`, { errors: [{ field: '(body)', reason: 'JSON 嵌套过深' }] });
    }
    return next();
  };
}

/**
 * Same-origin everything: the app loads nothing from elsewhere unless a basemap is configured.
 * Vector tiles (/tiles/…) are left out: they are data fetched by the map's worker, which none of
 * these document policies (CSP, Permissions-Policy, framing, COOP) apply to, and setting the
 * dozen headers cost ~0.09 ms per tile, a quarter of a tile's HTTP path. The tile route sends
 * X-Content-Type-Options: nosniff itself (server/routes/tiles.ts).
 */
export function securityHeaders(extraImageOrigins: string[] = []): MiddlewareHandler {
  const documents = documentHeaders(extraImageOrigins);
  return (c, next) => (c.req.path.startsWith('/tiles/') ? next() : documents(c, next));
}

function documentHeaders(extraImageOrigins: string[]): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...extraImageOrigins],
      connectSrc: ["'self'", ...extraImageOrigins],
      workerSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: 'same-origin',
    // Only this site, and only what a field app will ask for (location, photos); the rest is off.
    permissionsPolicy: {
      geolocation: ['self'],
      camera: ['self'],
      fullscreen: ['self'],
      microphone: [],
      displayCapture: [],
      payment: [],
      usb: [],
      serial: [],
      hid: [],
      bluetooth: [],
      midi: [],
      accelerometer: [],
      gyroscope: [],
      magnetometer: [],
      xrSpatialTracking: [],
      idleDetection: [],
      browsingTopics: [],
    },
  });
}
