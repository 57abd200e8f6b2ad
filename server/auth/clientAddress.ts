/**
 * Who is on the other end of a request: the socket's address, never a header a client
 * can write. X-Forwarded-For counts only when the socket belongs to a proxy listed in
 * TRUST_PROXY (addresses or CIDRs); the client is then the right-most forwarded address
 * that is not itself a trusted proxy — the left part of the header is the client's own
 * say and can hold anything.
 */
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Requests handed to app.request() in-process (tests, tools) have no socket. They share
 * this one name, which no network client can ever have (every request from the network
 * arrives on a socket with a real address), so in-process callers can only slow each other.
 */
export const IN_PROCESS_ADDRESS = 'in-process';

export interface TrustedProxies {
  has(address: string): boolean;
  readonly entries: readonly string[];
}

/** ::ffff:192.0.2.1 (IPv4 on a dual-stack socket) is 192.0.2.1. */
export function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1]! : a;
}

/** TRUST_PROXY: addresses and CIDRs separated by commas or spaces, e.g. "127.0.0.1, 10.0.0.0/8, fd00::/8". */
export function parseTrustProxy(list: string | undefined): TrustedProxies {
  const blocks = new BlockList();
  const entries: string[] = [];
  for (const entry of (list ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [address = '', prefix, extra] = entry.split('/');
    const ip = normaliseAddress(address);
    const family = isIP(ip);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))) {
      throw new Error(`TRUST_PROXY 中的「${entry}」不是 IP 地址或 CIDR（例如 127.0.0.1、10.0.0.0/8）`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(ip, type);
    else blocks.addSubnet(ip, bits, type);
    entries.push(entry);
  }
  return {
    entries,
    has(address: string) {
      const ip = normaliseAddress(address);
      const family = isIP(ip);
      return family !== 0 && blocks.check(ip, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

function socketAddress(c: Context): string | null {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normaliseAddress(address) : null;
  } catch {
    return null;
  }
}

let warned = false;

/** The client's address as this server can vouch for it. */
export function clientAddress(c: Context, trusted: TrustedProxies): string {
  const socket = socketAddress(c);
  if (!socket) return IN_PROCESS_ADDRESS;
  if (!trusted.has(socket)) {
    if (!warned && c.req.header('x-forwarded-for') && trusted.entries.length === 0) {
      warned = true;
      console.warn(`收到 X-Forwarded-For，但来源 ${socket} 不在 TRUST_PROXY 中，已忽略。如服务在反向代理之后，请把代理地址写入 TRUST_PROXY。`);
    }
    return socket;
  }
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => normaliseAddress(s))
    .filter(Boolean);
  let client = socket;
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i]!;
    // Garbage in the header ends the chain at the last proxy that could vouch for it.
    if (!isIP(hop)) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}
