import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type HourOfWeek = RouterOutputs['stats']['hourOfWeek'];

/** The 7 x 24 grid of the filter (Monday first, each city's local hours). */
export function useHourOfWeek(filters: IncidentFilters) {
  return useQuery({ ...trpc.stats.hourOfWeek.queryOptions({ filters }), placeholderData: keepPreviousData });
}
