import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { pageChunksReport } from './tools/chunks/pageChunks';

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react(), pageChunksReport()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
  // `npm run dev:web` proxies the API to a running server (npm run dev).
  server: { proxy: { '/api': apiTarget, '/tiles': apiTarget } },
  test: {
    root: rootDir,
    include: ['kernel/**/*.test.ts', 'server/**/*.test.ts', 'data/**/*.test.ts', 'db/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'web/e2e/**/*.test.ts', 'tools/**/*.test.ts'],
    globalSetup: ['server/testing/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // PGlite instances are memory-hungry; two workers fit the 2-core CI machine.
    maxWorkers: 2,
  },
});
