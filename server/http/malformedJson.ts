/**
 * The one answer to a JSON body that is empty or does not parse. Hono's json
 * validator (used by @hono/zod-validator) throws an English HTTPException
 * ("Malformed JSON in request body") without field or reason; app.onError turns
 * that into this problem, and validators of our own throw it directly, so every
 * route answers the same Chinese 400 with errors [{ field: '(body)', reason }].
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from './domainError';

export class MalformedJson extends DomainError {
  constructor(empty = false) {
    const reason = empty ? '请求体为空，应为 JSON' : '请求体不是有效的 JSON';
    super(400, '请求参数无效', reason, { errors: [{ field: '(body)', reason }] });
  }
}

/** The body text a validator already read (hono caches it), or null when it was never read as text. */
async function readBodyText(c: Context): Promise<string | null> {
  const cached = c.req.bodyCache.text;
  if (!cached) return null;
  try {
    return await cached;
  } catch {
    return null;
  }
}

/** Hono's validator refusing a JSON body, as MalformedJson; null for any other error. */
export async function malformedJsonFrom(err: unknown, c: Context): Promise<MalformedJson | null> {
  if (!(err instanceof HTTPException) || err.status !== 400 || !err.message.startsWith('Malformed JSON')) return null;
  const text = await readBodyText(c);
  return new MalformedJson(text !== null && text.trim() === '');
}
