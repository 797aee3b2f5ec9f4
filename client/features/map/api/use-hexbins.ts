import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Hexbins = RouterOutputs['map']['hexbins'];

export interface HexbinView {
  resolution: number;
  /** Already snapped (see lib/bbox.ts) so that the query key is stable across small pans. */
  bbox: Bbox;
}

/**
 * Hexbins of the incidents matching `filters` in the view. The only place that knows the
 * query key. While a new resolution or box loads the previous answer stays on screen
 * (no flicker); `isPlaceholderData` tells that it is stale.
 */
export function useHexbins(filters: IncidentFilters, view: HexbinView | null) {
  return useQuery({
    ...trpc.map.hexbins.queryOptions(
      { resolution: view?.resolution ?? 6, filters, bbox: view?.bbox },
      { enabled: view !== null },
    ),
    placeholderData: keepPreviousData,
  });
}
