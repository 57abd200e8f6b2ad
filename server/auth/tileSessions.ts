/**
 * Why: a map view asks for dozens of vector tiles a second, and each paid a session lookup
 * (a primary-key join on sessions and users) before its tile — a database round trip per
 * tile that the tile cache cannot save. Tile requests alone reuse a session read of the last
 * TILE_SESSION_MS (default 2,000 ms; 0 turns it off). Every API request still reads the
 * session live, so what a user may do or see in records is never stale.
 * Any write to sessions or users in this process (server/auth/sessionGeneration.ts) drops
 * the memo at once: a signed-out or revoked session gets no further tile from this server;
 * another server process on the same database notices within the TTL.
 */
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { sessionGeneration } from './sessionGeneration';
import { readSession } from './sessions';

interface Memo {
  user: SessionUser | null;
  until: number;
  generation: number;
}

/** Bounded: past this many distinct tokens the memo starts over (one entry per signed-in device). */
const MAX_ENTRIES = 10_000;
const memos = new WeakMap<DbHandle, Map<string, Memo>>();

export function tileSessionTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TILE_SESSION_MS;
  if (raw === undefined || raw === '') return 2000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new Error(`TILE_SESSION_MS 应为 0–60000 的毫秒数，收到 ${raw}`);
  return ms;
}

/** readSession for tile requests: the same answer, read at most once per TTL per token. */
export async function readSessionForTiles(db: DbHandle, token: string, ttlMs: number, now = Date.now()): Promise<SessionUser | null> {
  if (ttlMs === 0) return readSession(db, token);
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
  }
  const generation = sessionGeneration();
  const held = memo.get(token);
  if (held && held.until > now && held.generation === generation) return held.user;
  const user = await readSession(db, token);
  // A write that happened while reading makes this answer of the older generation: not kept.
  if (sessionGeneration() === generation) {
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(token, { user, until: now + ttlMs, generation });
  }
  return user;
}
