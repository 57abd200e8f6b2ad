/** The incident categories for 上报 (GET /api/incidents/categories), fetched at sign-in so 上报 works offline. */
import { api, call } from '../api/client';

export const categoriesQuery = { queryKey: ['categories'], queryFn: async () => (await call(api.api.incidents.categories.$get())).categories, staleTime: 24 * 3600_000 };
