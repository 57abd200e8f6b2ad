/** Routes /rosters to a grid's 网格队伍, 1+1带N and its printable 民情联系卡. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/rosters', title: '网格队伍', Component: lazyPage(() => import('./RostersPage'), 'RostersPage') };
