/**
 * MapLibre fetches its tiles in a web worker. Served from /assets/, that worker lies
 * outside the service worker's scope (/m), so its tile requests would bypass the
 * worker's tile cache: nothing cached while online, a blank map offline. A worker started
 * from a blob: URL belongs to the page that made it (the service worker's client), so
 * 网格通's map starts MapLibre's worker through a one-line blob that imports the real one.
 */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

let done = false;

/** Call before the first map is made (the worker pool starts with it). */
export function startMapWorkerInPageScope(): void {
  if (done || typeof Blob === 'undefined' || !('createObjectURL' in URL)) return;
  done = true;
  const real = new URL(workerUrl, window.location.href).href;
  // Kept for the page's life: MapLibre may start more workers later.
  maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([`import ${JSON.stringify(real)};`], { type: 'text/javascript' })));
}
