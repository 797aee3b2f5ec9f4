import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';
import type { RankingSort } from '../../../../server/domain/stats-vocabulary.js';

export type StoreRanking = RouterOutputs['stats']['storeRanking'];
// the server's own list (server/domain), not a copy
export { RANKING_SORTS } from '../../../../server/domain/stats-vocabulary.js';
export type { RankingSort } from '../../../../server/domain/stats-vocabulary.js';

/** Stores ranked over the filter's period (the server's default: the last 30 days) against the period before. */
export function useStoreRanking(filters: IncidentFilters, sort: RankingSort) {
  return useQuery({ ...trpc.stats.storeRanking.queryOptions({ filters, sort, limit: 50 }), placeholderData: keepPreviousData });
}
