import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type AdminStore = RouterOutputs['admin']['stores']['list'][number];

/** Every store, archived ones included (admins only). */
export function useAdminStores() {
  return useQuery(trpc.admin.stores.list.queryOptions());
}

function useInvalidateStores() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.stores.list.pathKey() }),
      // The map's store picker lists stores too: a new radius or name must not wait for its stale time.
      queryClient.invalidateQueries({ queryKey: trpc.stores.list.pathKey() }),
    ]);
}

/** Create a store, or edit the one with this code. */
export function useSaveStore() {
  const invalidate = useInvalidateStores();
  return useMutation(trpc.admin.stores.save.mutationOptions({ onSuccess: invalidate }));
}

export function useArchiveStore() {
  const invalidate = useInvalidateStores();
  return useMutation(trpc.admin.stores.archive.mutationOptions({ onSuccess: invalidate }));
}

export type AdminCity = RouterOutputs['admin']['cities']['list'][number];

/** Every city, with or without stores. */
export function useAdminCities() {
  return useQuery(trpc.admin.cities.list.queryOptions());
}

export function useCreateCity() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.cities.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.cities.list.pathKey() }),
    }),
  );
}

/** A new code for a store; its id, incidents and users stay. */
export function useChangeStoreCode() {
  const invalidate = useInvalidateStores();
  return useMutation(trpc.admin.stores.changeCode.mutationOptions({ onSuccess: invalidate }));
}
