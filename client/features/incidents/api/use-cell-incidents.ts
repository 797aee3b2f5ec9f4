import { useInfiniteQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc, trpcClient } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type IncidentListItem = RouterOutputs['incidents']['list']['items'][number];

const PAGE_SIZE = 50;

/**
 * The incidents of one hexagon matching the filters, newest first, a page at a time.
 * Built by hand rather than with `infiniteQueryOptions`: that helper adds a `direction` key
 * to the input, which the server's strict input schema rejects.
 */
export function useCellIncidents(filters: IncidentFilters, cell: string | null) {
  const input = { filters, cell: cell ?? undefined, limit: PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: [...trpc.incidents.list.queryKey(input), 'pages'],
    queryFn: ({ pageParam, signal }) =>
      trpcClient.incidents.list.query({ ...input, cursor: pageParam ?? undefined }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: cell !== null,
  });
}
