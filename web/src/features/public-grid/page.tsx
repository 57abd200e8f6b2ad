/** Routes /g/<code> to a grid's public page (the QR code of the 民情联系卡): no account, not in the navigation. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/g', title: '网格公开信息', Component: lazyPage(() => import('./PublicGridPage'), 'PublicGridPage'), public: true, hidden: true, prefix: true };
