/** Routes /party to the party organisation tree with its 组建率; its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/party', title: '党组织', Component: lazyPage(() => import('./PartyOrgsPage'), 'PartyOrgsPage') };
