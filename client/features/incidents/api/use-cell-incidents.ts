import { useInfiniteQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type IncidentListItem = RouterOutputs['incidents']['list']['items'][number];

const PAGE_SIZE = 50;

/** The incidents of one hexagon matching the filters, newest first, a page at a time. */
export function useCellIncidents(filters: IncidentFilters, cell: string | null) {
  return useInfiniteQuery(
    trpc.incidents.list.infiniteQueryOptions(
      { filters, cell: cell ?? undefined, limit: PAGE_SIZE },
      {
        enabled: cell !== null,
        getNextPageParam: (page) => page.nextCursor ?? undefined,
      },
    ),
  );
}
