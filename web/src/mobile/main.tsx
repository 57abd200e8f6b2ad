/**
 * Entry of 网格通 (/m), the grid worker's phone app: its own Vite entry (web/m.html),
 * sharing nothing with the desktop pages but the API client, so a phone downloads only
 * this. Starts the outbox sync and the service worker, then the app.
 */
import './mobile.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { shouldRetry } from '../api/queries';
import { MobileApp } from './MobileApp';
import { onSent, startSync } from './outbox/sync';
import { registerServiceWorker } from './pwa';

const queryClient = new QueryClient({
  defaultOptions: {
    // Offline: keep showing what was loaded; refetch when the network is back.
    queries: { retry: shouldRetry, refetchOnWindowFocus: false, networkMode: 'offlineFirst', staleTime: 30_000, gcTime: 24 * 3600_000 },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('m.html 缺少 #root 元素');
onSent(() => void queryClient.invalidateQueries());
startSync();
// Once the service worker controls the page, what was loaded before it is loaded again through it (and cached).
registerServiceWorker(() => void queryClient.refetchQueries());
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MobileApp />
    </QueryClientProvider>
  </StrictMode>,
);
