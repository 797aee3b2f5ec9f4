import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';

/** The deployment's configuration (`config.client`): it does not change while the page is open. */
export function useClientConfig() {
  return useQuery({ ...trpc.config.client.queryOptions(), staleTime: Infinity });
}
