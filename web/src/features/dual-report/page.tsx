/** Routes /dual-report to the 双报到 · 三清单 · 星级 page (its own chunk). */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/dual-report', title: '双报到与星级', Component: lazyPage(() => import('./DualReportPage'), 'DualReportPage') };
