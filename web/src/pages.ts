/**
 * Pages beside the main map: each feature with a `page.tsx` exporting `page`
 * is routed by path (e.g. /editor, /screen), without a shared routing table to edit.
 * A page's component is loaded lazily, so each page downloads only its own code:
 *
 *   export const page: PageRoute = { path: '/x', title: '…', Component: lazyPage(() => import('./XPage'), 'XPage') };
 *
 * (page.tsx itself stays tiny: it is loaded with the entry, for the navigation.)
 * The build reports each page's initial JavaScript (tools/chunks).
 */
import { lazy, type ComponentType } from 'react';
import type { Role } from '../../kernel/roles';

export interface PageRoute {
  /** Path without trailing slash, e.g. '/editor'. */
  path: string;
  /** Chinese title for navigation and document.title. */
  title: string;
  Component: ComponentType;
  /** Reachable without signing in (the login page itself). */
  public?: boolean;
  /** Not listed in the navigation. */
  hidden?: boolean;
  /** Roles that see the page in the navigation (all when absent); the server enforces access anyway. */
  roles?: readonly Role[];
  /** Also answers paths below it (e.g. /revisit/<token>). */
  prefix?: boolean;
}

const modules = import.meta.glob<{ page: PageRoute }>('./features/*/page.tsx', { eager: true });

export const pages: PageRoute[] = Object.values(modules)
  .map((m) => m.page)
  .sort((a, b) => a.path.localeCompare(b.path));

export function pageFor(pathname: string): PageRoute | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  return pages.find((p) => p.path === path || (p.prefix && path.startsWith(`${p.path}/`)));
}

/** A component loaded on first render from its own chunk: `lazyPage(() => import('./XPage'), 'XPage')`. */
export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M>(load: () => Promise<M>, name: K): ComponentType {
  return lazy<ComponentType>(async () => ({ default: (await load())[name] }));
}
