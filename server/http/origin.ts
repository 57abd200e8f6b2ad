/**
 * Cross-site request refusal: the session cookie goes along with any request a
 * browser makes to this server, so a page on another site could otherwise post a
 * form or a simple fetch (text/plain, multipart) that writes as the signed-in user.
 * Every unsafe method (POST/PUT/PATCH/DELETE) is refused with 403 when the browser
 * says it comes from elsewhere — `Sec-Fetch-Site: cross-site`, or an `Origin`
 * whose host is not the request's own. Requests without these headers (curl,
 * scripts, the CLI) are not from a browser and stay allowed; they carry no
 * ambient cookie an attacker could borrow.
 *
 * The request's own host is its Host header, or the X-Forwarded-Host a reverse
 * proxy set (a cross-site page cannot add that header without a CORS preflight,
 * which this server never grants). Only hosts are compared, so TLS ending at the
 * proxy (https outside, http inside) does not refuse the app itself.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './problem';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Hosts (host[:port], lower case) this request may legitimately come from. */
function ownHosts(c: Context): Set<string> {
  const hosts = new Set<string>();
  hosts.add(new URL(c.req.url).host.toLowerCase());
  const host = c.req.header('host');
  if (host) hosts.add(host.trim().toLowerCase());
  for (const forwarded of (c.req.header('x-forwarded-host') ?? '').split(',')) {
    if (forwarded.trim()) hosts.add(forwarded.trim().toLowerCase());
  }
  return hosts;
}

/** The host of an Origin header, or null for `null` and anything unparsable. */
function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site')?.trim().toLowerCase();
    const origin = c.req.header('origin');
    if (site === 'cross-site') {
      return problem(c, 403, '跨站请求被拒绝', '不接受来自其他网站的修改请求，请在本系统页面中操作', { errors: [{ field: 'Sec-Fetch-Site', reason: '请求来自其他网站（cross-site）' }] });
    }
    if (origin !== undefined) {
      const host = originHost(origin);
      if (host === null || !ownHosts(c).has(host)) {
        return problem(c, 403, '跨站请求被拒绝', `不接受来自其他来源（${origin.slice(0, 200)}）的修改请求，请在本系统页面中操作`, {
          errors: [{ field: 'Origin', reason: `来源 ${origin.slice(0, 200)} 不是本站` }],
        });
      }
    }
    return next();
  };
}
