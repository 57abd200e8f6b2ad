/** TRUST_PROXY parsing, the forwarded-chain walk and IPv6 /64 grouping (pure, no database). */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, IN_PROCESS_ADDRESS, parseTrustProxy } from './clientAddress';
import { addressKey } from './loginLimiter';

/** What the handler sees for a request from socket `remote` carrying `xff`. */
async function seen(trustProxy: string, remote: string | null, xff?: string) {
  const trusted = parseTrustProxy(trustProxy);
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, trusted)));
  const env = remote === null ? undefined : { incoming: { socket: { remoteAddress: remote } } };
  const res = await app.request('/', { headers: xff ? { 'x-forwarded-for': xff } : {} }, env);
  return res.text();
}

describe('client address', () => {
  it('is the socket address; X-Forwarded-For from an untrusted socket is ignored', async () => {
    expect(await seen('', '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
    expect(await seen('10.0.0.0/8', '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  });

  it('walks X-Forwarded-For from the right through trusted proxies only', async () => {
    expect(await seen('10.0.0.0/8', '10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    // The client cannot prepend its way out: the right-most untrusted hop counts.
    expect(await seen('10.0.0.0/8', '10.0.0.1', '1.2.3.4, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
    expect(await seen('10.0.0.1', '::ffff:10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await seen('fd00::/8', 'fd00::1', '2001:db8::5')).toBe('2001:db8::5');
    // Garbage ends the chain at the proxy that forwarded it.
    expect(await seen('10.0.0.0/8', '10.0.0.1', 'not-an-ip')).toBe('10.0.0.1');
  });

  it('in-process requests (no socket) share one name no network client can have', async () => {
    expect(await seen('10.0.0.0/8', null, '203.0.113.9')).toBe(IN_PROCESS_ADDRESS);
  });

  it('refuses a TRUST_PROXY that is not addresses or CIDRs, in Chinese', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/不是 IP 地址或 CIDR/);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8 fd00::/8').entries).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
  });

  it('limits IPv6 clients per /64', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::ffff')).toBe(addressKey('2001:0db8:0001:0002:1:2:3:4'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
  });
});
