/**
 * H3 cells as 64-bit integers (../DESIGN.md "Storage").
 *
 * Every incident stores the cell that contains it at each served resolution (5-11), computed
 * with h3-js `latLngToCell` at write time, as BIGINT columns. Coarser cells are NOT derived
 * from the finest one: H3's children do not tile their parent exactly, so the parent of the
 * resolution-11 cell is, near a boundary, a neighbour of the hexagon that contains the point
 * (about 6 % of the Hong Kong accidents at resolution 8). An H3 index keeps its resolution in
 * bits 52-55; bit 63 is always 0, so every cell fits a signed BIGINT.
 */
import { cellToLatLng, getResolution, isValidCell, latLngToCell } from 'h3-js';

import { MAX_RESOLUTION, MIN_RESOLUTION, SERVED_RESOLUTIONS } from './resolutions.js';

export { MAX_RESOLUTION, MIN_RESOLUTION, SERVED_RESOLUTIONS, zoomToResolution } from './resolutions.js';

const RES_SHIFT = 52n;
const RES_MASK = 0xfn << RES_SHIFT;

export class CellError extends Error {}

/** h3-js hex string -> 64-bit integer. @throws CellError when the string is not a valid H3 cell. */
export function hexToCellId(hex: string): bigint {
  if (!/^[0-9a-f]{15,16}$/i.test(hex) || !isValidCell(hex)) {
    throw new CellError(`"${hex}" is not a valid H3 cell id`);
  }
  return BigInt('0x' + hex);
}

/** 64-bit integer -> h3-js hex string (lower case, no leading zeros, as h3-js writes it). */
export function cellIdToHex(id: bigint): string {
  return id.toString(16);
}

function assertLatLng(lat: number, lng: number): void {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new CellError(`latitude ${lat} is outside -90..90`);
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new CellError(`longitude ${lng} is outside -180..180`);
}

/**
 * WGS-84 degrees -> the cell that contains the point at `resolution` (default: the finest served).
 * @throws CellError for coordinates outside [-90, 90] x [-180, 180] or not finite.
 */
export function latLngToCellId(lat: number, lng: number, resolution: number = MAX_RESOLUTION): bigint {
  assertLatLng(lat, lng);
  return BigInt('0x' + latLngToCell(lat, lng, resolution));
}

/**
 * WGS-84 degrees -> the containing cell at every served resolution, in SERVED_RESOLUTIONS order
 * (each by `latLngToCell`, never by the hierarchy).
 * @throws CellError for coordinates outside [-90, 90] x [-180, 180] or not finite.
 */
export function latLngToServedCellIds(lat: number, lng: number): bigint[] {
  assertLatLng(lat, lng);
  return SERVED_RESOLUTIONS.map((r) => BigInt('0x' + latLngToCell(lat, lng, r)));
}

/** Resolution encoded in a cell id (bits 52-55). */
export function cellIdResolution(id: bigint): number {
  return Number((id & RES_MASK) >> RES_SHIFT);
}

export function assertServedResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < MIN_RESOLUTION || resolution > MAX_RESOLUTION) {
    throw new CellError(`resolution ${resolution} is outside ${MIN_RESOLUTION}..${MAX_RESOLUTION}`);
  }
}

/** A cell's centre as a labelled [lng, lat] tuple (h3-js gives [lat, lng]). */
export function cellIdToLngLat(id: bigint): [lng: number, lat: number] {
  const [lat, lng] = cellToLatLng(cellIdToHex(id));
  return [lng, lat];
}

export { getResolution as hexResolution };
