/**
 * Prepares the databases every test file clones from, once per run:
 *  - an embedded (PGlite) data folder with migrations and the default sample;
 *  - with DATABASE_URL, a PostGIS template database with the same content.
 * In CI both are required: a missing database fails the run instead of skipping.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openDatabase } from '../../db/client';
import { loadDataset } from '../../data/load';
import { generateSample } from '../../data/sample';
import { adminUrl } from './databases';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplateDir: string;
    postgisTemplateUrl: string | null;
    postgisTemplateName: string | null;
  }
}

const repoRoot = resolve(import.meta.dirname, '../..');

/** The template is reused between local runs until migrations or the generator change. */
function contentHash(): string {
  const hash = createHash('sha256');
  for (const dir of [migrationsFolder, join(repoRoot, 'data')]) {
    for (const file of readdirSync(dir, { recursive: true }).map(String).sort()) {
      const path = join(dir, file);
      if (/\.(ts|sql|json)$/.test(file) && !file.endsWith('.test.ts')) hash.update(file).update(readFileSync(path));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export default async function setup(project: TestProject) {
  const sample = generateSample();
  const embeddedDir = join(tmpdir(), `dangjian-test-template-${contentHash()}`);
  if (!existsSync(join(embeddedDir, 'READY'))) {
    // Built aside and renamed into place, so concurrent runs never see a half-built template.
    const building = `${embeddedDir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const handle = await openDatabase({ embeddedDir: join(building, 'pgdata') });
    await loadDataset(handle, sample);
    await handle.close();
    writeFileSync(join(building, 'READY'), new Date().toISOString());
    try {
      if (existsSync(join(embeddedDir, 'READY'))) throw new Error('another run finished first');
      rmSync(embeddedDir, { recursive: true, force: true });
      renameSync(building, embeddedDir);
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
  }
  project.provide('embeddedTemplateDir', join(embeddedDir, 'pgdata'));

  const url = process.env.DATABASE_URL;
  if (!url) {
    if (process.env.CI) throw new Error('CI=true but DATABASE_URL is not set: the PostGIS suites must run in CI');
    project.provide('postgisTemplateUrl', null);
    project.provide('postgisTemplateName', null);
    return;
  }
  // One template per test run, so concurrent runs on the same server do not drop each other's.
  const TEMPLATE_DB = `dangjian_test_template_${process.pid}`;
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  const templateUrl = withDatabase(url, TEMPLATE_DB);
  const handle = await openDatabase({ databaseUrl: templateUrl, poolSize: 2 });
  await loadDataset(handle, sample);
  await handle.close();
  await admin.end();
  project.provide('postgisTemplateUrl', templateUrl);
  project.provide('postgisTemplateName', TEMPLATE_DB);
  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl(url) });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await cleanup.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
