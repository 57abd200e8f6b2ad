import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { pageChunksReport } from './tools/chunks/pageChunks';
import { MOBILE_RUNTIME_CACHING, mobilePrecache } from './tools/pwa/mobilePrecache';

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const precache = mobilePrecache();
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [
    react(),
    pageChunksReport(),
    precache.plugin,
    // 网格通 (/m): a service worker scoped to /m, precaching only what m.html loads (tools/pwa);
    // the manifest and icons are static files in web/public/m, registered by web/src/mobile/pwa.ts.
    VitePWA({
      injectRegister: false,
      manifest: false,
      filename: 'm-sw.js',
      scope: '/m',
      workbox: {
        globPatterns: ['m.html', 'assets/*.{js,mjs,css}', 'm/**/*.{png,webmanifest}'],
        manifestTransforms: [precache.transform],
        maximumFileSizeToCacheInBytes: 5_000_000,
        navigateFallback: '/m.html',
        navigateFallbackAllowlist: [/^\/m(\/|$)/],
        runtimeCaching: MOBILE_RUNTIME_CACHING,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    // Two entries: the desktop pages (index.html) and the grid worker's phone app 网格通 (m.html → web/src/mobile).
    rollupOptions: { input: { main: fileURLToPath(new URL('./web/index.html', import.meta.url)), m: fileURLToPath(new URL('./web/m.html', import.meta.url)) } },
  },
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
