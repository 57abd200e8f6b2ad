/** The board's calls through the typed client: the board, units to claim for, suggestions, posting and moves. */
import { api, call, type Answer } from '../../api/client';

export type Board = Answer<(typeof api.api.wishes.board)[':community']['$get']>;
export type Wish = Board['wishes'][number];

export const boardKey = (community: string) => ['wishes', 'board', community] as const;

export const fetchBoard = (community: string) => call(api.api.wishes.board[':community'].$get({ param: { community } }));
export const fetchUnits = async (community: string) => (await call(api.api['dual-report'].units.$get({ query: { region: community } }))).units;
export const fetchSuggestions = (id: number) => call(api.api.wishes[':id'].suggestions.$get({ param: { id: String(id) } }));

type ActionBody = Parameters<(typeof api.api.wishes)[':id']['actions']['$post']>[0]['json'];
export const actOn = (id: number, json: ActionBody) => call(api.api.wishes[':id'].actions.$post({ param: { id: String(id) }, json }));

type PostBody = Parameters<typeof api.api.wishes.$post>[0]['json'];
export const postWish = (json: PostBody) => call(api.api.wishes.$post({ json }));
