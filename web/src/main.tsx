/** Entry: react-query client and the app. */
// Styles cascade in import order: MapLibre's own, then the app-wide base (app.css), then the
// features' (each imported by its component, so they refine the base).
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
// Styles of features whose components live in folders being reworked; they move beside those imports.
import './features/header/header.css';
import './features/map/map.css';
import './features/admin/admin.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { shouldRetry } from './api/queries';
import { lazyPage, pageFor } from './pages';
import { SessionGate } from './features/auth/session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: shouldRetry, refetchOnWindowFocus: false },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html 缺少 #root 元素');
const page = pageFor(window.location.pathname);
if (page) document.title = `${page.title} · 党建版图`;
// The grid map (/) is a page like the others: its code is its own chunk.
const Page = page?.Component ?? lazyPage(() => import('./App'), 'App');
const loading = (
  <p className="muted page-loading" role="status">
    正在加载…
  </p>
);
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Suspense fallback={loading}>
        {page?.public ? (
          <Page />
        ) : (
          <SessionGate>
            <Page />
          </SessionGate>
        )}
      </Suspense>
    </QueryClientProvider>
  </StrictMode>,
);
