/** Routes /admin to account administration and the audit log (admins only). */
import type { PageRoute } from '../../pages';
import { AdminPage } from './AdminPage';

export const page: PageRoute = { path: '/admin', title: '系统管理', Component: AdminPage, roles: ['admin'] };
