import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentFilters } from '../../../lib/filters.js';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type Hotspots = RouterOutputs['map']['hotspots'];
export type HotspotMode = 'gi' | 'emerging';

export interface HotspotView {
  mode: HotspotMode;
  /** At most HOTSPOT_MAX_RESOLUTION (lib/hotspot-scale.ts). */
  resolution: number;
}

/**
 * Gi* or emerging hot-spot classes of the filtered incidents. The only place that knows the
 * query key. No bounding box: the statistics are computed over each whole city (a cell's
 * class must not change with the viewport). Disabled while `view` is null (hexbins mode).
 */
export function useHotspots(filters: IncidentFilters, view: HotspotView | null) {
  return useQuery({
    ...trpc.map.hotspots.queryOptions(
      { resolution: view?.resolution ?? 6, filters, mode: view?.mode ?? 'gi' },
      { enabled: view !== null },
    ),
    placeholderData: keepPreviousData,
  });
}
