/**
 * Live updates for the workbench: every incident event of the stream (the live
 * feature's hook, which reconnects on its own and coalesces bursts) refetches the
 * list, the counts, the open detail (all under WORKBENCH_KEY) and its photos.
 */
import { useLiveInvalidation } from '../live/useLiveInvalidation';
import { WORKBENCH_KEY } from './workbenchApi';

const LIVE_KEYS = [WORKBENCH_KEY, ['incident']] as const;

export function useLiveRefresh() {
  return useLiveInvalidation(LIVE_KEYS);
}
