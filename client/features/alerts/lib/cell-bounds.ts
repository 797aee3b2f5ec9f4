/**
 * The box to show around an alert's H3 cell: the cell's boundary (h3-js gives `[lat, lng]`
 * pairs) turned into `[west, south, east, north]`, widened so the streets around it show too.
 */
export type Bounds = [west: number, south: number, east: number, north: number];

/** Extra room on each side, as a share of the cell's own width or height. */
export const CONTEXT_SHARE = 1.5;

/** @throws Error for an empty boundary. */
export function boundaryToBounds(boundary: ReadonlyArray<readonly [lat: number, lng: number]>, share = CONTEXT_SHARE): Bounds {
  if (!boundary.length) throw new Error('empty cell boundary');
  const lats = boundary.map(([lat]) => lat);
  const lngs = boundary.map(([, lng]) => lng);
  const [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const dLat = (north - south) * share;
  const dLng = (east - west) * share;
  return [west - dLng, south - dLat, east + dLng, north + dLat];
}

/** The bounds of a cell; h3-js is loaded on demand (it already sits in the map's chunk). */
export async function cellToBounds(cell: string): Promise<Bounds> {
  const { cellToBoundary } = await import('h3-js');
  return boundaryToBounds(cellToBoundary(cell));
}
