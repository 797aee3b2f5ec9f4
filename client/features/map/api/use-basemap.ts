import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import { resolveBasemap } from '../basemaps.js';
import type { BasemapConfig } from '../basemaps.js';

/** The deployment's configuration (`config.client`): it does not change while the page is open. */
export function useClientConfig() {
  return useQuery({ ...trpc.config.client.queryOptions(), staleTime: Infinity });
}

/**
 * The configured basemap as a MapLibre style. Some kinds need a request first (a PMTiles
 * archive's header); a failure there is reported like an unreachable basemap.
 */
export function useBasemap(config: BasemapConfig | undefined) {
  return useQuery({
    queryKey: ['basemap-style', config],
    queryFn: () => resolveBasemap(config!),
    enabled: config !== undefined,
    staleTime: Infinity,
    retry: false,
  });
}
