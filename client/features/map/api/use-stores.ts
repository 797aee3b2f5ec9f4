import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';

/** The stores the user may see (markers, delivery-radius rings, where to look first). */
export function useStores() {
  return useQuery({ ...trpc.stores.list.queryOptions(), staleTime: 5 * 60_000 });
}
