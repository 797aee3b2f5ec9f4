import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { decodeHexbins } from '../../../../server/domain/hexbin-wire.js';
import type { Hexbins } from '../../../../server/domain/hexbin-wire.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import { trpc, trpcClient } from '../../../lib/trpc.js';
import type { RouterInputs } from '../../../lib/trpc.js';

export type { Hexbins };
export type HexbinsInput = RouterInputs['map']['hexbins'];

export interface HexbinView {
  resolution: number;
  /** Already snapped (see lib/bbox.ts) so that the query key is stable across small pans. */
  bbox: Bbox;
}

/**
 * The one query of `map.hexbins` for `input`, used by the map and by the first screen's early
 * request (boot/first-screen.ts), so that both share one cache entry. The server sends the
 * compact wire form (server/domain/hexbin-wire.ts); the cache holds the decoded Hexbins, which
 * the live updates change in place (features/live). The key is tRPC's own, so
 * `trpc.map.hexbins.queryKey()` still finds every entry.
 */
export function hexbinsQueryOptions(input: HexbinsInput, opts: { enabled?: boolean } = {}) {
  return queryOptions({
    queryKey: trpc.map.hexbins.queryKey(input),
    queryFn: async ({ signal }): Promise<Hexbins> => decodeHexbins(await trpcClient.map.hexbins.query(input, { signal })),
    enabled: opts.enabled,
  });
}

/**
 * Hexbins of the incidents matching `filters` in the view. The only place that knows the
 * query key. While a new resolution or box loads the previous answer stays on screen
 * (no flicker); `isPlaceholderData` tells that it is stale.
 */
export function useHexbins(filters: IncidentFilters, view: HexbinView | null) {
  return useQuery({
    ...hexbinsQueryOptions({ resolution: view?.resolution ?? 6, filters, bbox: view?.bbox }, { enabled: view !== null }),
    placeholderData: keepPreviousData,
  });
}
