import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type ApiKey = RouterOutputs['admin']['apiKeys']['list'][number];

/** API keys of the ingest API (names and dates; the keys themselves are stored hashed). */
export function useApiKeys() {
  return useQuery(trpc.admin.apiKeys.list.queryOptions());
}

function useInvalidateKeys() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.pathKey() });
}

/** Creates a key; the answer (`{id, key}`) is the only time the key is seen. */
export function useCreateApiKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.admin.apiKeys.create.mutationOptions({ onSuccess: invalidate }));
}

export function useRevokeApiKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.admin.apiKeys.revoke.mutationOptions({ onSettled: invalidate }));
}
