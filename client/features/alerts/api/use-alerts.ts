import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type AlertItem = RouterOutputs['alerts']['list']['items'][number];

/** Hot-spot alerts of the caller's stores, newest first; `acked: false` = only those still to acknowledge. */
export function useAlerts({ acked, limit }: { acked?: boolean; limit: number }) {
  return useQuery({ ...trpc.alerts.list.queryOptions({ limit, ...(acked === undefined ? {} : { acked }) }), placeholderData: keepPreviousData });
}

/** Acknowledge an alert; every alerts list (any filter, any length) refreshes. */
export function useAckAlert() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.alerts.ack.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.list.pathKey() }),
    }),
  );
}
