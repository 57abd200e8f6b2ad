/** Routes /scorecards to 示范评估: before/after scorecards of 示范带/示范圈 or chosen communities. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/scorecards', title: '示范评估', Component: lazyPage(() => import('./ScorecardPage'), 'ScorecardPage') };
