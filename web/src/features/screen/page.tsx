import type { PageRoute } from '../../pages';
import { ScreenPage } from './ScreenPage';

export const page: PageRoute = { path: '/screen', title: '党建版图大屏', Component: ScreenPage };
