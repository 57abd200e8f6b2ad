/**
 * Request hardening shared by every route: body size limits, a nesting limit for
 * JSON (deep nesting would exhaust the validator's stack), security headers.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { problem } from './problem';

const MB = 1024 * 1024;

/** Bulk uploads get room; everything else is small JSON. */
export function limitFor(path: string): number {
  if (path.startsWith('/api/exports/imports')) return 60 * MB;
  if (path.startsWith('/api/incidents/batch')) return 30 * MB;
  return 5 * MB;
}

export function bodyLimits(): MiddlewareHandler {
  return (c, next) =>
    bodyLimit({
      maxSize: limitFor(c.req.path),
      onError: (ctx) => problem(ctx, 413, '请求体过大', `请求体不能超过 ${Math.round(limitFor(ctx.req.path) / MB)} MB`),
    })(c, next);
}

/** Deepest bracket nesting of a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash escapes the next character
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

/** Same-origin everything: the app loads nothing from elsewhere unless a basemap is configured. */
export function securityHeaders(extraImageOrigins: string[] = []): MiddlewareHandler {
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
  });
}
