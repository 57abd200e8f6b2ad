/**
 * Live updates for the workbench: every incident event of the stream (the live
 * feature's hook, which reconnects on its own) refetches the list, the counts and
 * the open detail — all under WORKBENCH_KEY.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useIncidentEvents } from '../live/useIncidentEvents';
import { WORKBENCH_KEY } from './workbenchApi';

export function useLiveRefresh(): void {
  const queryClient = useQueryClient();
  const onEvent = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: WORKBENCH_KEY });
  }, [queryClient]);
  useIncidentEvents(onEvent);
}
