/** Routes /estates to the 小区 list with organisation status, 红色物业 and the service-space norm. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/estates', title: '小区', Component: lazyPage(() => import('./EstatesPage'), 'EstatesPage') };
