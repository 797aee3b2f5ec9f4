/**
 * H3 cells as 64-bit integers (../DESIGN.md "Storage").
 *
 * Every incident stores one H3 cell at STORED_RESOLUTION as a BIGINT. Coarser cells are derived
 * by bit arithmetic instead of being stored: an H3 index keeps its resolution in bits 52-55 and
 * one 3-bit digit per level 1..15 below that (digit r at bits 3*(15-r) .. 3*(15-r)+2); digits
 * finer than the cell's resolution are all 7. So
 *   parent(cell, r) = (cell & ~RES_MASK) | (r << 52) | lowOnes(3 * (15 - r))
 * and every descendant of a cell at the stored resolution lies in one contiguous integer range,
 * which makes drill-down a range scan. The functions here give the constants the SQL needs.
 */
import { cellToLatLng, getResolution, isValidCell, latLngToCell } from 'h3-js';

export const STORED_RESOLUTION = 11;
export const MIN_RESOLUTION = 5;
export const MAX_RESOLUTION = 11;

const RES_SHIFT = 52n;
const RES_MASK = 0xfn << RES_SHIFT;

/** Bits below the digit of resolution `r`: the digits r+1..15, three bits each. */
function lowOnes(r: number): bigint {
  return (1n << BigInt(3 * (15 - r))) - 1n;
}

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

/**
 * WGS-84 degrees -> the stored cell at STORED_RESOLUTION.
 * @throws CellError for coordinates outside [-90, 90] x [-180, 180] or not finite.
 */
export function latLngToCellId(lat: number, lng: number, resolution = STORED_RESOLUTION): bigint {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new CellError(`latitude ${lat} is outside -90..90`);
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new CellError(`longitude ${lng} is outside -180..180`);
  return BigInt('0x' + latLngToCell(lat, lng, resolution));
}

/** Resolution encoded in a cell id (bits 52-55). */
export function cellIdResolution(id: bigint): number {
  return Number((id & RES_MASK) >> RES_SHIFT);
}

/**
 * The ancestor of `id` at `resolution` (<= the cell's own), by bit arithmetic.
 * @throws CellError when resolution is finer than the cell's.
 */
export function cellIdToParent(id: bigint, resolution: number): bigint {
  const own = cellIdResolution(id);
  if (resolution > own) throw new CellError(`resolution ${resolution} is finer than the cell's ${own}`);
  return (id & ~RES_MASK & ~lowOnes(resolution)) | (BigInt(resolution) << RES_SHIFT) | lowOnes(resolution);
}

/**
 * Constants for `parent = (cell & and) | or` in SQL: the stored cell's ancestor at `resolution`.
 * Both fit in a signed BIGINT (bit 63 of an H3 index is always 0).
 */
export function parentMasks(resolution: number): { and: bigint; or: bigint } {
  assertServedResolution(resolution);
  return {
    and: ~RES_MASK & ~lowOnes(resolution) & 0x7fffffffffffffffn,
    or: (BigInt(resolution) << RES_SHIFT) | lowOnes(resolution),
  };
}

/**
 * The inclusive range of stored-resolution ids that descend from `id`.
 * @throws CellError when the cell is finer than STORED_RESOLUTION.
 */
export function cellIdToDescendantRange(id: bigint, stored = STORED_RESOLUTION): { min: bigint; max: bigint } {
  const r = cellIdResolution(id);
  if (r > stored) throw new CellError(`cell resolution ${r} is finer than the stored ${stored}`);
  const base = (id & ~RES_MASK) | (BigInt(stored) << RES_SHIFT);
  // digits r+1..stored: 0 for the smallest descendant, 7 for the largest; finer ones stay 7.
  const digitBits = lowOnes(r) & ~lowOnes(stored);
  return { min: base & ~digitBits, max: base | digitBits };
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
