/**
 * Keeps react-query data fresh from the live stream: every incident event (and a
 * `resync`) invalidates the given query keys, at most once per 250 ms however many
 * events arrive, so a batch import of thousands of rows costs one refetch per key.
 */
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { useIncidentEvents, type LiveIncidentEvent, type LiveStatus } from './useIncidentEvents';

const COALESCE_MS = 250;

export function useLiveInvalidation(keys: readonly QueryKey[], { enabled = true, onEvent }: { enabled?: boolean; onEvent?: (event: LiveIncidentEvent) => void } = {}): { status: LiveStatus } {
  const queryClient = useQueryClient();
  const latest = useRef({ keys, onEvent });
  latest.current = { keys, onEvent };
  const timer = useRef<number | undefined>(undefined);

  const invalidate = useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      for (const queryKey of latest.current.keys) void queryClient.invalidateQueries({ queryKey });
    }, COALESCE_MS);
  }, [queryClient]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return useIncidentEvents(
    (event) => {
      latest.current.onEvent?.(event);
      invalidate();
    },
    { enabled, onResync: invalidate },
  );
}
