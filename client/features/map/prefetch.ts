/**
 * What the map needs before it can draw, asked for while its 800 kB chunk is still loading:
 * the stores (the first camera) and the deployment's basemap. A light entry point: it must not
 * import MapLibre or deck.gl (the app imports it eagerly).
 */
import { useClientConfig } from './api/use-client-config.js';
import { useStores } from './api/use-stores.js';

export function useMapPrefetch(): void {
  useStores();
  useClientConfig();
}
