import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Kpis = RouterOutputs['stats']['kpis'];

/** KPI counts and closure rates of the filter (the whole filter, not only the map's box). */
export function useKpis(filters: IncidentFilters) {
  return useQuery({ ...trpc.stats.kpis.queryOptions({ filters }), placeholderData: keepPreviousData });
}
