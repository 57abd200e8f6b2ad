/**
 * Registers 网格通's service worker (built by vite-plugin-pwa as /m-sw.js, scope /m;
 * see tools/pwa/mobilePrecache.ts for what it keeps). Browsers without service workers
 * (some in-app WebViews) simply run online; the outbox still keeps writes in IndexedDB.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m-sw.js', { scope: '/m' }).catch((e) => console.warn('离线功能不可用：', e));
  });
}
