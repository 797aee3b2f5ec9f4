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
      onSuccess: (saved) => queryClient.setQueryData(trpc.admin.settings.get.queryKey(), saved),
    }),
  );
}
