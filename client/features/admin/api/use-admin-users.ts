import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type AdminUser = RouterOutputs['admin']['users']['list'][number];

/** Every user with role, stores and Feishu open id (admins only). */
export function useAdminUsers() {
  return useQuery(trpc.admin.users.list.queryOptions());
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() });
}

/** Create or update a user by id. */
export function useSaveUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(trpc.admin.users.save.mutationOptions({ onSuccess: invalidate }));
}

/** Remove a user (the server refuses the admin's own account). */
export function useRemoveUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(trpc.admin.users.remove.mutationOptions({ onSuccess: invalidate }));
}
