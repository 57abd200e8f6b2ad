/**
 * 网格通's frame: sign-in when needed, then one tab at a time (path /m/<tab>) above
 * the bottom tab bar 我的网格 / 上报 / 我的任务 / 巡查 / 走访 / 队列. Each tab is its own
 * lazy chunk (the map's tab carries MapLibre); the 队列 tab shows a badge of unsent items.
 */
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { categoriesQuery } from './categories';
import { myGridsQuery } from './myGrids';
import { LoginScreen } from './LoginScreen';
import { useOnline } from './useOnline';
import { useMobileSession } from './session';
import { useOutbox } from './outbox/sync';
import { TABS, type TabId, tabFromPath } from './tabs';

type Loader = () => Promise<{ default: React.ComponentType }>;
const LOADERS: Record<TabId, Loader> = {
  grid: () => import('./tabs/GridTab').then((m) => ({ default: m.GridTab })),
  report: () => import('./tabs/ReportTab').then((m) => ({ default: m.ReportTab })),
  tasks: () => import('./tabs/TasksTab').then((m) => ({ default: m.TasksTab })),
  patrol: () => import('./tabs/PatrolTab').then((m) => ({ default: m.PatrolTab })),
  visit: () => import('./tabs/VisitTab').then((m) => ({ default: m.VisitTab })),
  queue: () => import('./tabs/QueueTab').then((m) => ({ default: m.QueueTab })),
};
const PANES = Object.fromEntries(Object.entries(LOADERS).map(([id, load]) => [id, lazy(load)])) as unknown as Record<TabId, React.LazyExoticComponent<React.ComponentType>>;

/**
 * Once the first tab is shown, the other tabs' code is fetched too (small chunks, not the
 * map's): a worker who loses the network right after opening the app can still switch to
 * 上报 or 队列 where no service worker keeps them (WeChat's WebView may have none).
 */
function preloadTabs() {
  const run = () => {
    for (const load of Object.values(LOADERS)) void load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 });
  else setTimeout(run, 1500);
}

export function navigate(tab: TabId) {
  window.history.pushState(null, '', `/m/${tab}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function useTab(): TabId {
  const [tab, setTab] = useState(() => tabFromPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setTab(tabFromPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return tab;
}

export function MobileApp() {
  const me = useMobileSession();
  const tab = useTab();
  const online = useOnline();
  const outbox = useOutbox();
  const unsent = outbox.filter((i) => i.status !== 'sent').length;
  const current = TABS.find((t) => t.id === tab)!;
  useEffect(() => {
    document.title = `${current.label} · 网格通`;
  }, [current]);
  const queryClient = useQueryClient();
  const signedIn = Boolean(me.data);
  const hasGrids = (me.data?.gridCodes.length ?? 0) > 0;
  useEffect(() => {
    if (!signedIn) return;
    preloadTabs();
    // What 上报 needs offline: the categories and my grids (the inside-grid check).
    void queryClient.prefetchQuery(categoriesQuery);
    if (hasGrids) void queryClient.prefetchQuery(myGridsQuery);
  }, [signedIn, hasGrids, queryClient]);

  if (me.isPending)
    return (
      <p className="m-status" role="status">
        正在验证登录…
      </p>
    );
  if (me.error)
    return (
      <p className="m-status m-error" role="alert">
        无法连接服务器：{me.error.message}
      </p>
    );
  if (!me.data) return <LoginScreen />;
  const Pane = PANES[tab];
  return (
    <div className="m-app">
      <header className="m-header">
        <h1>{current.label}</h1>
        <span className="m-user">{me.data.displayName ?? me.data.username}</span>
        {!online && (
          <span className="m-offline" role="status" data-testid="offline-badge">
            离线
          </span>
        )}
      </header>
      <main className="m-main">
        <Suspense
          fallback={
            <p className="m-status" role="status">
              正在加载…
            </p>
          }
        >
          <Pane />
        </Suspense>
      </main>
      <nav className="m-tabbar" aria-label="网格通">
        {TABS.map((t) => (
          <a
            key={t.id}
            href={`/m/${t.id}`}
            aria-current={t.id === tab ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(t.id);
            }}
          >
            <span className="m-tab-icon" aria-hidden="true">
              {t.icon}
            </span>
            <span>{t.label}</span>
            {t.id === 'queue' && unsent > 0 && (
              <span className="m-badge" data-testid="queue-badge">
                {unsent}
              </span>
            )}
          </a>
        ))}
      </nav>
    </div>
  );
}
