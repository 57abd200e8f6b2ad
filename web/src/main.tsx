/** Entry: react-query client and the app. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { shouldRetry } from './api/queries';
import { App } from './App';
import './app.css';
import { pageFor } from './pages';
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
const Page = page?.Component ?? App;
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {page?.public ? (
        <Page />
      ) : (
        <SessionGate>
          <Page />
        </SessionGate>
      )}
    </QueryClientProvider>
  </StrictMode>,
);
