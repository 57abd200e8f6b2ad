/**
 * API keys of the 12345 hotline link. An admin creates a key (shown once), the
 * hotline sends it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`; only the
 * key's SHA-256 is stored, so a leaked table lets nobody push cases. Keys are
 * revoked, never deleted, so the history still says which key wrote a case.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, NotFoundError } from '../http/domainError';

export interface HotlineKey {
  id: number;
  name: string;
  jurisdictionCode: string | null;
}

const KEY_PREFIX = 'hl_';
const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export class HotlineKeyMissing extends DomainError {
  constructor(reason: string) {
    super(401, '接口密钥无效', reason, { errors: [{ field: 'Authorization', reason }] });
  }
}

/** The key a request carries (Bearer or X-Api-Key). */
export function keyFromHeaders(authorization: string | undefined, apiKey: string | undefined): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? (apiKey?.trim() || null);
}

/** The key's record, or a 401 (unknown, revoked, or none sent). Marks it used. */
export async function authenticateKey(db: DbHandle, key: string | null): Promise<HotlineKey> {
  if (!key) throw new HotlineKeyMissing('缺少接口密钥：请在 Authorization: Bearer <密钥> 或 X-Api-Key 请求头中提供');
  if (key.length > 200) throw new HotlineKeyMissing('接口密钥无效或已吊销');
  const [row] = await db.rows<{ id: number; name: string; jurisdiction_code: string | null }>(sql`
    UPDATE hotline_keys SET last_used_at = now()
    WHERE key_hash = ${hashKey(key)} AND revoked_at IS NULL
    RETURNING id, name, jurisdiction_code`);
  if (!row) throw new HotlineKeyMissing('接口密钥无效或已吊销');
  return { id: row.id, name: row.name, jurisdictionCode: row.jurisdiction_code };
}

/** Creates a key; the only time the key itself is returned. */
export async function createKey(db: DbHandle, admin: SessionUser, input: { name: string; jurisdictionCode?: string | null }) {
  if (input.jurisdictionCode) {
    const [region] = await db.rows(sql`SELECT 1 FROM regions WHERE code = ${input.jurisdictionCode}`);
    if (!region) throw new DomainError(422, '辖区无效', `区划代码 ${input.jurisdictionCode} 不存在`, { errors: [{ field: 'jurisdictionCode', reason: '区划代码不存在' }] });
  }
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const [row] = await db.rows<{ id: number; created_at: string | Date }>(sql`
    INSERT INTO hotline_keys (name, key_hash, prefix, jurisdiction_code, created_by)
    VALUES (${input.name}, ${hashKey(key)}, ${prefix}, ${input.jurisdictionCode ?? null}, ${admin.username})
    RETURNING id, created_at`);
  if (!row) throw new Error('hotline key insert returned nothing');
  return { id: row.id, name: input.name, prefix, jurisdictionCode: input.jurisdictionCode ?? null, createdAt: new Date(row.created_at).toISOString(), key };
}

export async function listKeys(db: DbHandle) {
  const rows = await db.rows<{
    id: number;
    name: string;
    prefix: string;
    jurisdiction_code: string | null;
    created_by: string;
    created_at: string | Date;
    last_used_at: string | Date | null;
    revoked_at: string | Date | null;
  }>(sql`SELECT id, name, prefix, jurisdiction_code, created_by, created_at, last_used_at, revoked_at FROM hotline_keys ORDER BY id`);
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    jurisdictionCode: r.jurisdiction_code,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

/** Revokes a key at once (idempotent); 404 for an unknown id. */
export async function revokeKey(db: DbHandle, id: number) {
  const [row] = await db.rows<{ id: number; revoked_at: string | Date }>(sql`
    UPDATE hotline_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING id, revoked_at`);
  if (!row) throw new NotFoundError(`没有编号为 ${id} 的接口密钥`);
  return { id: row.id, revokedAt: new Date(row.revoked_at).toISOString() };
}
