/** Routes /revisit/<token> to the residents' 回访 page: public, not in the navigation; its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/revisit', title: '事件回访', Component: lazyPage(() => import('./RevisitPage'), 'RevisitPage'), public: true, hidden: true, prefix: true };
