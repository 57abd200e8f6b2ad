/** Routes /admin to account administration and the audit log (admins only). */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/admin', title: '系统管理', Component: lazyPage(() => import('./AdminPage'), 'AdminPage'), roles: ['admin'] };
