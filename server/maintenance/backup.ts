/**
 * Backups: pg_dump's custom format for PostGIS, the data folder tarball for the
 * embedded engine. A restore goes into an empty database (or a new folder).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { restoreEmbedded, type DbHandle } from '../../db/client';

const run = promisify(execFile);

export async function backupTo(handle: DbHandle, file: string): Promise<void> {
  if (handle.url) {
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', handle.url]);
  } else if (handle.dumpDataDir) {
    await writeFile(file, new Uint8Array(await (await handle.dumpDataDir()).arrayBuffer()));
  } else {
    throw new Error('this database cannot be backed up');
  }
}

/** `target`: an empty PostGIS database URL, or a folder for a new embedded database. */
export async function restoreFrom(file: string, target: { databaseUrl: string } | { embeddedDir: string }): Promise<void> {
  if ('databaseUrl' in target) {
    await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', target.databaseUrl, file]);
  } else {
    await restoreEmbedded(target.embeddedDir, new Blob([await readFile(file)]));
  }
}
