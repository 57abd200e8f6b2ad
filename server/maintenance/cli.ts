/**
 * npm run backup -- --out dangjian.backup            (DATABASE_URL, or the embedded folder; stop the server first for embedded)
 * npm run restore -- --from dangjian.backup [--database-url postgres://…/empty_db | --embedded-dir data/db/restored]
 */
import { parseArgs } from 'node:util';
import { defaultEmbeddedDir, openDatabase } from '../../db/client';
import { backupTo, restoreFrom } from './backup';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { out: { type: 'string' }, from: { type: 'string' }, 'database-url': { type: 'string', default: process.env.DATABASE_URL }, 'embedded-dir': { type: 'string' } },
});

if (command === 'backup') {
  if (!values.out) throw new Error('--out <file> is required');
  const db = await openDatabase({ databaseUrl: values['database-url'], embeddedDir: values['embedded-dir'] ?? process.env.PGLITE_DIR ?? defaultEmbeddedDir });
  await backupTo(db, values.out);
  await db.close();
  console.log(`backup written to ${values.out}`);
} else if (command === 'restore') {
  if (!values.from) throw new Error('--from <file> is required');
  const url = values['database-url'];
  await restoreFrom(values.from, url ? { databaseUrl: url } : { embeddedDir: values['embedded-dir'] ?? defaultEmbeddedDir });
  console.log('restored');
} else {
  console.error('usage: tsx server/maintenance/cli.ts backup --out FILE | restore --from FILE [--database-url URL | --embedded-dir DIR]');
  process.exit(2);
}
