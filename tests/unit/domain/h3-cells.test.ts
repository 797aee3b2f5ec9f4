import { cellToBoundary, cellToParent, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import {
  assertServedResolution,
  CellError,
  cellIdResolution,
  cellIdToHex,
  hexToCellId,
  latLngToCellId,
  latLngToServedCellIds,
} from '../../../server/domain/h3-cells.js';

/** Deterministic pseudo-random points over the whole sphere (uniform in area). */
function* randomPoints(n: number, seed = 42): Generator<[lat: number, lng: number]> {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) yield [(Math.asin(2 * next() - 1) * 180) / Math.PI, next() * 360 - 180];
}

const PENTAGON_RES9 = '891c0000003ffff';

describe('h3 cells as 64-bit integers', () => {
  it('round-trips hex <-> integer and matches h3-js for random points at resolution 11', () => {
    for (const [lat, lng] of randomPoints(2000)) {
      const id = latLngToCellId(lat, lng);
      expect(cellIdToHex(id)).toBe(latLngToCell(lat, lng, 11));
      expect(hexToCellId(cellIdToHex(id))).toBe(id);
      expect(cellIdResolution(id)).toBe(11);
    }
  });

  it('gives the containing cell at every served resolution, not the parent of the finest', () => {
    let parentDiffers = 0;
    for (const [lat, lng] of randomPoints(3000, 7)) {
      const ids = latLngToServedCellIds(lat, lng);
      expect(ids.map(cellIdToHex)).toEqual([5, 6, 7, 8, 9, 10, 11].map((r) => latLngToCell(lat, lng, r)));
      expect(ids.map(cellIdResolution)).toEqual([5, 6, 7, 8, 9, 10, 11]);
      for (const r of [5, 6, 7, 8, 9, 10]) if (cellToParent(latLngToCell(lat, lng, 11), r) !== cellIdToHex(ids[r - 5]!)) parentDiffers++;
    }
    // the hierarchy and containment disagree for a few per cent of points (the reason for the columns)
    expect(parentDiffers).toBeGreaterThan(100);
  });

  it('puts a point next to a hexagon boundary in the hexagon that contains it', () => {
    // the midpoint of a resolution-8 edge, nudged inwards: inside that hexagon, whatever its children say
    const hex = latLngToCell(26.07, 119.3, 8);
    const [a, b] = cellToBoundary(hex);
    const [lat0, lng0] = [(a![0] + b![0]) / 2, (a![1] + b![1]) / 2];
    const centre = cellToBoundary(hex).reduce(([x, y], [p, q]) => [x + p / 6, y + q / 6], [0, 0]);
    const [lat, lng] = [lat0 + (centre[0] - lat0) * 1e-4, lng0 + (centre[1] - lng0) * 1e-4];
    expect(cellIdToHex(latLngToServedCellIds(lat, lng)[8 - 5]!)).toBe(hex);
  });

  it.each([
    ['a pentagon', PENTAGON_RES9, 9],
    ['a cell near the antimeridian', latLngToCell(0.5, 179.9999, 8), 8],
    ['a cell near the north pole', latLngToCell(89.999, 45, 7), 7],
    ['a cell near the south pole', latLngToCell(-89.999, -120, 6), 6],
  ])('reads the resolution of %s from its bits', (_label, hex, resolution) => {
    expect(cellIdResolution(hexToCellId(hex))).toBe(resolution);
    expect(hexToCellId(hex)).toBeGreaterThan(0n); // fits a signed BIGINT
  });

  it.each([
    [91, 0, /latitude 91/],
    [-90.5, 0, /latitude -90.5/],
    [0, 180.01, /longitude 180.01/],
    [Number.NaN, 0, /latitude NaN/],
    [0, Number.POSITIVE_INFINITY, /longitude Infinity/],
  ])('rejects lat %s lng %s with a clear error', (lat, lng, message) => {
    expect(() => latLngToCellId(lat, lng)).toThrow(CellError);
    expect(() => latLngToCellId(lat, lng)).toThrow(message);
    expect(() => latLngToServedCellIds(lat, lng)).toThrow(message);
  });

  it('handles the poles and the antimeridian themselves', () => {
    expect(cellIdToHex(latLngToCellId(90, 0))).toBe(latLngToCell(90, 0, 11));
    expect(cellIdToHex(latLngToCellId(-90, 0))).toBe(latLngToCell(-90, 0, 11));
    expect(cellIdToHex(latLngToCellId(10, 180))).toBe(latLngToCell(10, -180, 11));
  });

  it.each(['', 'zzz', '8928308280fffff0', '0', '891c0000003fffg'])('rejects the malformed cell id %j', (hex) => {
    expect(() => hexToCellId(hex)).toThrow(CellError);
  });

  it('rejects resolutions outside 5..11', () => {
    expect(() => assertServedResolution(4)).toThrow(/resolution 4 is outside 5..11/);
    expect(() => assertServedResolution(12)).toThrow(CellError);
    expect(() => assertServedResolution(7.5)).toThrow(CellError);
  });
});
