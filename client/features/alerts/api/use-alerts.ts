import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type AlertItem = RouterOutputs['alerts']['list']['items'][number];

/** The most alerts one list query (and one `ackMany`) takes. */
export const MAX_ALERTS = 200;

/** Hot-spot alerts of the caller's stores, newest first; `acked: false` = only those still to acknowledge. */
export function useAlerts({ acked, limit, enabled = true }: { acked?: boolean; limit: number; enabled?: boolean }) {
  return useQuery({ ...trpc.alerts.list.queryOptions({ limit, ...(acked === undefined ? {} : { acked }) }), placeholderData: keepPreviousData, enabled });
}

/** Acknowledges alerts (a card's, or all listed) in one call; every alerts list (and the badge) refreshes. */
export function useAckAlerts() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.alerts.ackMany.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.list.pathKey() }),
    }),
  );
}
