import { useQuery } from '@tanstack/react-query';
import { resolveBasemap } from '../basemaps.js';
import type { BasemapConfig } from '../basemaps.js';

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
