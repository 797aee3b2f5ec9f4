import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getResolution } from 'h3-js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';
import type { HexbinView } from './use-hexbins.js';

export type ExposureRates = RouterOutputs['map']['exposureRates'];

/**
 * Incidents per 1,000 deliveries of the cells in view that have per-cell exposure (map.exposureRates).
 * The only place that knows its query key; disabled (view null) unless the map shows that metric.
 */
export function useExposureRates(filters: IncidentFilters, view: HexbinView | null) {
  return useQuery({
    ...trpc.map.exposureRates.queryOptions({ resolution: view?.resolution ?? 6, filters, bbox: view?.bbox }, { enabled: view !== null }),
    placeholderData: keepPreviousData,
  });
}

/** The rates of one clicked cell, for its panel. */
export function useCellExposureRate(filters: IncidentFilters, cell: string) {
  return useQuery(trpc.map.exposureRates.queryOptions({ resolution: getResolution(cell), filters, cell }));
}
