import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';
import type { Interval, Split } from '../lib/cross-filter.js';

export type Timeseries = RouterOutputs['stats']['timeseries'];

/** Incidents per day, week or month of the filter, one series per kind or severity when split. */
export function useTimeseries(filters: IncidentFilters, interval: Interval, split: Split) {
  return useQuery({ ...trpc.stats.timeseries.queryOptions({ filters, interval, split }), placeholderData: keepPreviousData });
}
