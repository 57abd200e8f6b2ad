/** Routes /editor to the planners' grid editor (see web/src/pages.ts). */
import type { PageRoute } from '../../pages';
import { EditorPage } from './EditorPage';

export const page: PageRoute = { path: '/editor', title: '网格编辑', Component: EditorPage, roles: ['planner', 'admin'] };
