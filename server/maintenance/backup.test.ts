import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../db/client';
import { adminUrl, describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { backupTo, restoreFrom } from './backup';

/** Grids and their whole history, geometry included, as one digest. */
async function gridsAndHistory(db: DbHandle): Promise<{ grids: string; history: string; versions: number }> {
  const [row] = await db.rows<{ grids: string; history: string; versions: number }>(sql`
    SELECT (SELECT md5(string_agg(code || version || md5(ST_AsEWKB(geom)::text) || grid_attrs(g)::text, '|' ORDER BY code)) FROM grids g) AS grids,
           (SELECT md5(string_agg(grid_code || version || action || actor || coalesce(md5(ST_AsEWKB(after_geom)::text), '') || coalesce(after_attrs::text, ''), '|' ORDER BY id)) FROM grid_versions) AS history,
           (SELECT count(*)::int FROM grid_versions) AS versions`);
  return row!;
}

describeEachEngine('backup and restore', (db, engine) => {
  it('round-trips grids and their history exactly', async () => {
    // Some history beyond the sample first.
    const [g] = await db().rows<{ version: number }>(sql`SELECT version FROM grids WHERE code = '450902005001001'`);
    const res = await request(db(), '/api/grids/450902005001001', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: g!.version, attributes: { starRating: 5, households: 321 } }),
    });
    expect(res.status).toBe(200);
    const before = await gridsAndHistory(db());

    const dir = mkdtempSync(join(tmpdir(), 'dangjian-backup-'));
    const file = join(dir, 'backup.bin');
    let restored: DbHandle | undefined;
    let dropDb: (() => Promise<void>) | undefined;
    try {
      await backupTo(db(), file);
      if (engine === 'postgis') {
        const name = `dangjian_restore_${process.pid}_${Date.now()}`;
        const admin = new pg.Client({ connectionString: adminUrl(inject('postgisTemplateUrl')!) });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(db().url!);
        url.pathname = `/${name}`;
        await restoreFrom(file, { databaseUrl: url.toString() });
        restored = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
        dropDb = async () => {
          const drop = new pg.Client({ connectionString: adminUrl(url.toString()) });
          await drop.connect();
          await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await drop.end();
        };
      } else {
        await restoreFrom(file, { embeddedDir: join(dir, 'restored') });
        restored = await openDatabase({ embeddedDir: join(dir, 'restored') });
      }
      expect(await gridsAndHistory(restored)).toEqual(before);
      expect(before.versions).toBeGreaterThan(1200);
    } finally {
      await restored?.close();
      await dropDb?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
