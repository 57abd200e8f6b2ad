/** Routes /screen to the leaders' big screen (see web/src/pages.ts). */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/screen', title: '党建版图大屏', Component: lazyPage(() => import('./ScreenPage'), 'ScreenPage') };
