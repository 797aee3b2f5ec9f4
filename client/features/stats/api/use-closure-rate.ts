import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type ClosureRate = RouterOutputs['stats']['closureRate'];

/** Monthly closure rate of the filter's scope (all), `months` months up to this one. The server ignores the filter's time range. */
export function useClosureRate(filters: IncidentFilters, months = 12) {
  return useQuery({ ...trpc.stats.closureRate.queryOptions({ filters, months, by: 'all' }), placeholderData: keepPreviousData });
}
