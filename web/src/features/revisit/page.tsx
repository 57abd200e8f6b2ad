/** Routes /revisit/<token> to the residents' 回访 page: public, not in the navigation. */
import type { PageRoute } from '../../pages';
import { RevisitPage } from './RevisitPage';

export const page: PageRoute = { path: '/revisit', title: '事件回访', Component: RevisitPage, public: true, hidden: true, prefix: true };
