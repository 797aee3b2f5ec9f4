import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type SessionUser = NonNullable<RouterOutputs['auth']['me']>;

/** The signed-in user (null when signed out). Decides which screen the app shows. */
export function useMe() {
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
}

export function useDemoUsers(enabled: boolean) {
  return useQuery({ ...trpc.auth.demoUsers.queryOptions(), enabled, staleTime: Infinity });
}

/** How this server signs people in (dev or feishu) and the Feishu app's public settings. */
export function useAuthConfig() {
  return useQuery({ ...trpc.auth.config.queryOptions(), staleTime: Infinity });
}

/** After any sign-in: another user's cached data must not leak into this session. */
function useSignedIn() {
  const queryClient = useQueryClient();
  return (user: SessionUser) => {
    queryClient.removeQueries({ predicate: (q) => !isMeQuery(q.queryKey) });
    queryClient.setQueryData(trpc.auth.me.queryKey(), user);
  };
}

export function useDevLogin() {
  const onSuccess = useSignedIn();
  return useMutation(trpc.auth.devLogin.mutationOptions({ onSuccess }));
}

/** Inside the Feishu client: exchange the SDK's code for a session. */
export function useFeishuLogin() {
  const onSuccess = useSignedIn();
  return useMutation(trpc.auth.feishuLogin.mutationOptions({ onSuccess }));
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries({ predicate: (q) => !isMeQuery(q.queryKey) });
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
      },
    }),
  );
}

function isMeQuery(key: readonly unknown[]): boolean {
  const meKey = trpc.auth.me.queryKey();
  return JSON.stringify(key[0]) === JSON.stringify(meKey[0]);
}
