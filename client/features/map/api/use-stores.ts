import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Store = RouterOutputs['stores']['list'][number];

/** The stores the user may see (markers, delivery-radius rings, picker, where to look first). */
export function useStores() {
  return useQuery({ ...trpc.stores.list.queryOptions(), staleTime: 5 * 60_000 });
}
