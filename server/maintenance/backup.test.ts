import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { openDatabase, type DbHandle, type EngineKind } from '../../db/client';
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

/** Dumping and restoring the embedded sample folder takes minutes on a busy 2-core machine. */
const ROUND_TRIP_MS = 400_000;

/** Backs `db` up, restores into a fresh database of the same engine, and hands that to `check`. */
async function roundTrip(db: DbHandle, engine: EngineKind, check: (restored: DbHandle) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dangjian-backup-'));
  const file = join(dir, 'backup.bin');
  let restored: DbHandle | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  try {
    await backupTo(db, file);
    if (engine === 'postgis') {
      const name = `dangjian_restore_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: adminUrl(inject('postgisTemplateUrl')!) });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(db.url!);
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
    await check(restored);
  } finally {
    await restored?.close();
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every stored photo, bytes and thumbnail included, as one digest. */
async function photosDigest(db: DbHandle): Promise<{ digest: string | null; photos: number }> {
  const [row] = await db.rows<{ digest: string | null; photos: number }>(sql`
    SELECT md5(string_agg(id || '|' || incident_id || '|' || mime || '|' || sha256 || '|' || coalesce(taken_at::text, '') || '|' || coalesce(lon::text, '') || '|' || md5(data) || '|' || md5(thumb), ',' ORDER BY id)) AS digest,
           count(*)::int AS photos
    FROM incident_photos`);
  return { digest: row!.digest, photos: Number(row!.photos) };
}

describeEachEngine('backup and restore', (db, engine) => {
  it(
    'round-trips grids and their history exactly',
    async () => {
      // Some history beyond the sample first.
      const [g] = await db().rows<{ version: number }>(sql`SELECT version FROM grids WHERE code = '450902005001001'`);
      const res = await request(db(), '/api/grids/450902005001001', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: g!.version, attributes: { starRating: 5, households: 321 } }),
      });
      expect(res.status).toBe(200);
      const before = await gridsAndHistory(db());
      await roundTrip(db(), engine, async (restored) => {
        expect(await gridsAndHistory(restored)).toEqual(before);
        expect(before.versions).toBeGreaterThan(1200);
      });
    },
    ROUND_TRIP_MS,
  );

  it(
    'keeps incident photos, originals and thumbnails, byte for byte',
    async () => {
      const [g] = await db().rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = '450902005001001'`);
      const reported = await request(db(), '/api/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lon: Number(g!.lon), lat: Number(g!.lat), category: 'SR01', source: 'grid', description: '备份照片测试' }),
      });
      expect(reported.status).toBe(201);
      const { id } = (await reported.json()) as { id: number };
      const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#884422' } })
        .jpeg()
        .withExif({ IFD2: { DateTimeOriginal: '2026:12:01 10:00:00' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 38/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '110/1 9/1 0/1' } })
        .toBuffer();
      const form = new FormData();
      form.append('files', new File([new Uint8Array(jpeg)], 'backup.jpg', { type: 'image/jpeg' }));
      form.append(
        'files',
        new File(
          [
            new Uint8Array(
              await sharp({ create: { width: 50, height: 80, channels: 4, background: '#00ff0080' } })
                .png()
                .toBuffer(),
            ),
          ],
          'b.png',
        ),
      );
      const uploaded = await request(db(), `/api/incidents/${id}/photos`, { method: 'POST', body: form });
      expect(uploaded.status).toBe(201);
      const before = await photosDigest(db());
      expect(before.photos).toBe(2);
      await roundTrip(db(), engine, async (restored) => {
        expect(await photosDigest(restored)).toEqual(before);
        const [p] = await restored.rows<{ data: Uint8Array }>(sql`SELECT data FROM incident_photos WHERE incident_id = ${id} AND mime = 'image/jpeg'`);
        expect(Buffer.from(p!.data).equals(jpeg)).toBe(true);
      });
    },
    ROUND_TRIP_MS,
  );
});
