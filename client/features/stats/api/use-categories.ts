import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Categories = RouterOutputs['stats']['categories'];

/** Incidents per kind and category, most frequent first. */
export function useCategories(filters: IncidentFilters) {
  return useQuery({ ...trpc.stats.categories.queryOptions({ filters }), placeholderData: keepPreviousData });
}
