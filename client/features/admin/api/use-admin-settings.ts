import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';

/** First sign-ins as viewers, SLA hours per severity, closure-rate target. */
export function useAdminSettings() {
  return useQuery(trpc.admin.settings.get.queryOptions());
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.settings.save.mutationOptions({
      onSuccess: async (saved) => {
        queryClient.setQueryData(trpc.admin.settings.get.queryKey(), saved);
        // The closure-rate target and the overdue counts the charts show come from these
        // settings: refetch them now rather than after the 30 s stale time.
        await queryClient.invalidateQueries({ queryKey: trpc.stats.pathKey() });
      },
    }),
  );
}
