import type { PageRoute } from '../../pages';
import { LoginPage } from './LoginPage';

export const page: PageRoute = { path: '/login', title: '登录', Component: LoginPage, public: true, hidden: true };
