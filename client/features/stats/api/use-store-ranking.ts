import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterInputs, RouterOutputs } from '../../../lib/trpc.js';

export type StoreRanking = RouterOutputs['stats']['storeRanking'];
export type RankingSort = NonNullable<RouterInputs['stats']['storeRanking']['sort']>;
export const RANKING_SORTS: readonly RankingSort[] = ['incidents', 'perMonth', 'closureRate', 'overdue', 'change', 'per1000Smoothed'];

/** Stores ranked over the filter's period (the server's default: the last 30 days) against the period before. */
export function useStoreRanking(filters: IncidentFilters, sort: RankingSort) {
  return useQuery({ ...trpc.stats.storeRanking.queryOptions({ filters, sort, limit: 50 }), placeholderData: keepPreviousData });
}
