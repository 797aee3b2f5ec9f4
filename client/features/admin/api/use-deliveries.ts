import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Delivery = RouterOutputs['alerts']['deliveries'][number];
export type DeliveryStatus = Delivery['status'];

const LIMIT = 200;

/** Feishu deliveries, newest first; `failed` = the permanent failures to fix; `alertId`: one alert's. */
export function useDeliveries(status: DeliveryStatus | undefined, alertId?: number | null) {
  return useQuery({
    ...trpc.alerts.deliveries.queryOptions({ limit: LIMIT, ...(status ? { status } : {}), ...(alertId ? { alertId } : {}) }),
    placeholderData: keepPreviousData,
  });
}

/** Sends a failed delivery again (after its target was fixed). */
export function useResendDelivery() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.alerts.resend.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.deliveries.pathKey() }),
    }),
  );
}

export type AlertTargetSummary = RouterOutputs['alerts']['targets'][number];

/** The stores' current targets: channel, webhook host, whether a secret is set (never the secret). */
export function useAlertTargets() {
  return useQuery(trpc.alerts.targets.queryOptions());
}

/** Where a store's alerts go; pending deliveries read the target when they are sent, so they are refreshed. */
export function useSetAlertTarget() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.alerts.setTarget.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.targets.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.deliveries.pathKey() });
      },
    }),
  );
}
