/**
 * Stateless session tokens: the user, an expiry and an HMAC-SHA256 signature with the
 * server's secret. Sent as an HttpOnly, SameSite=Strict cookie (or a Bearer header for
 * scripts). Role changes take effect at the next sign-in (tokens live 8 hours).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type SessionUser } from '../../kernel/roles';

export const SESSION_COOKIE = 'dj_session';
export const SESSION_HOURS = 8;

interface Payload extends SessionUser {
  exp: number;
}

const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

export function issueToken(secret: string, user: SessionUser, now = Date.now()): string {
  const payload: Payload = { ...user, exp: now + SESSION_HOURS * 3_600_000 };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(secret, data)}`;
}

export function readToken(secret: string, token: string | undefined, now = Date.now()): SessionUser | null {
  if (!token || token.length > 4096) return null;
  const [data, signature, extra] = token.split('.');
  if (!data || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const p = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Payload;
    if (typeof p.exp !== 'number' || p.exp < now || !ROLES.includes(p.role)) return null;
    return { id: p.id, username: p.username, displayName: p.displayName, role: p.role, jurisdictionCode: p.jurisdictionCode ?? null };
  } catch {
    return null;
  }
}

export const newSecret = () => randomBytes(32).toString('base64url');
