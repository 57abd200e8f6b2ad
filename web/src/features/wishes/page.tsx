/** Routes /wishes to the 为民红绳/微心愿 board of a community (its own chunk). */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/wishes', title: '红绳心愿', Component: lazyPage(() => import('./WishBoardPage'), 'WishBoardPage') };
