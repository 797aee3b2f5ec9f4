import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type TrustFigures = RouterOutputs['aiTrust']['figures'];

export function useTrustFigures() {
  return useQuery(trpc.aiTrust.figures.queryOptions({}));
}

export function useThreshold() {
  return useQuery(trpc.aiTrust.threshold.queryOptions({}));
}

/** Detections awaiting review, by expected value; `minConfidence` narrows to the bulk-confirmable. */
export function useReviewQueue(limit: number, minConfidence?: number) {
  return useQuery(trpc.aiTrust.queue.queryOptions(minConfidence === undefined ? { limit } : { limit, minConfidence }));
}

/** Bulk confirmation; everything AI-trust (and the incident lists) refreshes afterwards. */
export function useBulkConfirm() {
  const client = useQueryClient();
  return useMutation({
    ...trpc.aiTrust.bulkConfirm.mutationOptions(),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: trpc.aiTrust.pathKey() });
      await client.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
    },
  });
}
