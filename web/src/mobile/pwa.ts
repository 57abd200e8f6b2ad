/**
 * Registers 网格通's service worker (built by vite-plugin-pwa as /m-sw.js, scope /m;
 * see tools/pwa/mobilePrecache.ts for what it keeps). Browsers without service workers
 * (some in-app WebViews) simply run online; the outbox still keeps writes in IndexedDB.
 * On the first visit the page loads my grids and the categories before the worker takes
 * control, so they bypass its cache: `onFirstControl` (the app refetches its queries) runs
 * once the worker controls the page, so those answers are cached before the worker loses
 * the network.
 */
export function registerServiceWorker(onFirstControl: () => void = () => undefined): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  if (!navigator.serviceWorker.controller) navigator.serviceWorker.addEventListener('controllerchange', onFirstControl, { once: true });
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m-sw.js', { scope: '/m' }).catch((e) => console.warn('离线功能不可用：', e));
  });
}
