/**
 * The tRPC client, created once. Features build their queries from `trpc` (typed from the
 * server's router, imported as a type only, so no server code reaches the bundle).
 * No transformer: the server speaks plain JSON (timestamps are ISO strings).
 */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/routers/_app.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Auth and validation errors do not get better by asking again.
      retry: (failureCount, error) => failureCount < 2 && !isClientError(error),
    },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    // Subscriptions (live.changes) over Server-Sent Events; the link resumes a dropped stream
    // with the last tracked id (lastEventId). Everything else batched over plain HTTP.
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', eventSourceOptions: { withCredentials: true } }),
      false: httpBatchLink({
        url: '/trpc',
        // Same origin in production; `include` also keeps the session cookie inside the Feishu frame.
        fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
      }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/** The tRPC error code (`UNAUTHORIZED`, `BAD_REQUEST`...) of a failed call, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string } | undefined;
    return data?.code;
  }
  return undefined;
}

function isClientError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'UNAUTHORIZED' || code === 'FORBIDDEN' || code === 'BAD_REQUEST' || code === 'NOT_FOUND';
}
