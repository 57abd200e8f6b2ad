// Why: a worker thread does not inherit the parent's tsx loader (under tsx, vitest or
// `npm start`), so this plain-JS entry registers tsx for the thread, then loads the
// TypeScript worker. Started by parseOffThread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./parseWorker.ts');
