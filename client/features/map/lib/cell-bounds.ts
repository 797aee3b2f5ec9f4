import { cellToBoundary, cellToLatLng, isValidCell } from 'h3-js';
import type { Bbox } from '../../../lib/filters.js';

/**
 * The box (WGS-84 `[west, south, east, north]`, degrees) around an H3 cell's outline, or null
 * for a string that is not a cell (a hand-edited or truncated alert link). Cells crossing the
 * antimeridian do not occur in the cities served, so no wrap handling.
 */
export function cellBounds(cell: string): Bbox | null {
  if (!isValidCell(cell)) return null;
  let [west, south, east, north] = [180, 90, -180, -90];
  // h3-js gives [lat, lng] pairs.
  for (const [lat, lng] of [...cellToBoundary(cell), cellToLatLng(cell)]) {
    west = Math.min(west, lng);
    east = Math.max(east, lng);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [west, south, east, north];
}
