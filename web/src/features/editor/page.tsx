/** Routes /editor to the planners' grid editor (see web/src/pages.ts). */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/editor', title: '网格编辑', Component: lazyPage(() => import('./EditorPage'), 'EditorPage'), roles: ['planner', 'admin'] };
