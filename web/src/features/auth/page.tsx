import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/login', title: '登录', Component: lazyPage(() => import('./LoginPage'), 'LoginPage'), public: true, hidden: true };
