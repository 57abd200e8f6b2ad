/**
 * Test databases: each test file gets its own copy of the prepared template, on
 * the embedded engine and (when DATABASE_URL is set) on real PostGIS, so suites
 * can write without disturbing each other.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type DbHandle, type EngineKind } from '../../db/client';

/** The server's maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export interface TestDatabase {
  handle: DbHandle;
  /** postgres:// URL of the copy (PostGIS only). */
  url?: string;
  dispose(): Promise<void>;
}

export async function openEmbeddedCopy(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'dangjian-test-'));
  cpSync(inject('embeddedTemplateDir'), dir, { recursive: true });
  const handle = await openDatabase({ embeddedDir: dir });
  return {
    handle,
    dispose: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openPostgisCopy(): Promise<TestDatabase> {
  const templateUrl = inject('postgisTemplateUrl');
  const templateName = inject('postgisTemplateName');
  if (!templateUrl || !templateName) throw new Error('DATABASE_URL is not set');
  const pg = (await import('pg')).default;
  const name = `dangjian_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: adminUrl(templateUrl) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
  await admin.end();
  const u = new URL(templateUrl);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: u.toString(), poolSize: 8 });
  return {
    handle,
    url: u.toString(),
    dispose: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: adminUrl(templateUrl) });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/**
 * Runs the same suite on every engine. Without DATABASE_URL (local runs only —
 * CI refuses to start without it) the PostGIS variant is reported as skipped.
 */
export function describeEachEngine(title: string, suite: (db: () => DbHandle, engine: EngineKind) => void) {
  const engines: { engine: EngineKind; open: () => Promise<TestDatabase>; available: boolean }[] = [
    { engine: 'embedded', open: openEmbeddedCopy, available: true },
    { engine: 'postgis', open: openPostgisCopy, available: inject('postgisTemplateUrl') !== null },
  ];
  for (const { engine, open, available } of engines) {
    const block = available ? describe : describe.skip;
    block(`${title} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await open();
      });
      afterAll(async () => {
        await database?.dispose();
      });
      suite(() => {
        if (!database) throw new Error('test database not open');
        return database.handle;
      }, engine);
    });
  }
}
