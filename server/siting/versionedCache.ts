/**
 * Why: the siting analysis keeps whole-city results in memory (coverage states, reach tables) per
 * database, each valid for one data version. This is the one cache they share: a result is
 * computed once per key and version (concurrent askers share the promise), recomputed when the
 * version moves on, and forgotten when its computation fails so the next request tries again.
 */
import type { DbHandle } from '../../db/client';

export interface VersionedCache<T> {
  /** The value for `key` at `version`, from the cache or from `compute` (started at most once per key and version). */
  get(db: DbHandle, key: string, version: string, compute: () => Promise<T>): Promise<T>;
  /** Drops every value of this database (tests, the bench's cold runs). */
  forget(db: DbHandle): void;
}

export function versionedCache<T>(): VersionedCache<T> {
  const byDb = new WeakMap<DbHandle, Map<string, { version: string; value: Promise<T> }>>();
  return {
    get(db, key, version, compute) {
      let perDb = byDb.get(db);
      if (!perDb) {
        perDb = new Map();
        byDb.set(db, perDb);
      }
      const cached = perDb.get(key);
      if (cached && cached.version === version) return cached.value;
      const value = compute();
      const entries = perDb;
      entries.set(key, { version, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    forget(db) {
      byDb.delete(db);
    },
  };
}
