import { cellToChildren, cellToParent, getResolution, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import {
  CellError,
  cellIdResolution,
  cellIdToDescendantRange,
  cellIdToHex,
  cellIdToParent,
  hexToCellId,
  latLngToCellId,
  parentMasks,
  STORED_RESOLUTION,
} from '../../../server/domain/h3-cells.js';

/** Deterministic pseudo-random points over the whole sphere (uniform in area). */
function* randomPoints(n: number, seed = 42): Generator<[lat: number, lng: number]> {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) yield [(Math.asin(2 * next() - 1) * 180) / Math.PI, next() * 360 - 180];
}

const PENTAGON_RES9 = '891c0000003ffff';

describe('h3 cells as 64-bit integers', () => {
  it('round-trips hex <-> integer and matches h3-js for random points at the stored resolution', () => {
    for (const [lat, lng] of randomPoints(2000)) {
      const id = latLngToCellId(lat, lng);
      expect(cellIdToHex(id)).toBe(latLngToCell(lat, lng, STORED_RESOLUTION));
      expect(hexToCellId(cellIdToHex(id))).toBe(id);
      expect(cellIdResolution(id)).toBe(STORED_RESOLUTION);
    }
  });

  it('derives every parent resolution 0..11 by bit arithmetic exactly as h3-js does', () => {
    for (const [lat, lng] of randomPoints(500, 7)) {
      const hex = latLngToCell(lat, lng, STORED_RESOLUTION);
      const id = hexToCellId(hex);
      for (let r = 0; r <= STORED_RESOLUTION; r++) {
        expect(cellIdToHex(cellIdToParent(id, r))).toBe(cellToParent(hex, r));
      }
      for (let r = 5; r <= 11; r++) {
        const { and, or } = parentMasks(r);
        expect((id & and) | or).toBe(cellIdToParent(id, r));
        expect(and).toBeGreaterThan(0n); // fits a signed BIGINT
      }
    }
  });

  it.each([
    ['a pentagon', PENTAGON_RES9],
    ['a cell near the antimeridian', latLngToCell(0.5, 179.9999, 8)],
    ['a cell near the north pole', latLngToCell(89.999, 45, 7)],
    ['a cell near the south pole', latLngToCell(-89.999, -120, 6)],
    ['a Fuzhou cell', latLngToCell(26.07, 119.3, 7)],
  ])('puts exactly the descendants of %s in one integer range', (_label, hex) => {
    const id = hexToCellId(hex);
    const { min, max } = cellIdToDescendantRange(id);
    const children = cellToChildren(hex, STORED_RESOLUTION).map(hexToCellId);
    for (const child of children) {
      expect(child >= min && child <= max).toBe(true);
      expect(cellIdToParent(child, getResolution(hex))).toBe(id);
    }
    // the neighbours' descendants fall outside the range
    const outside = latLngToCellId(0, 0);
    if (cellIdToParent(outside, getResolution(hex)) !== id) expect(outside >= min && outside <= max).toBe(false);
  });

  it('keeps a pentagon parent derivation (digit 1 is deleted in pentagons)', () => {
    const children = cellToChildren(PENTAGON_RES9, STORED_RESOLUTION);
    // two levels down: the centre pentagon's 6 children plus 7 for each of its 5 hexagon children
    expect(children.length).toBe(6 + 5 * 7);
    for (const child of children) expect(cellIdToHex(cellIdToParent(hexToCellId(child), 9))).toBe(PENTAGON_RES9);
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
  });

  it('handles the poles and the antimeridian themselves', () => {
    expect(cellIdToHex(latLngToCellId(90, 0))).toBe(latLngToCell(90, 0, 11));
    expect(cellIdToHex(latLngToCellId(-90, 0))).toBe(latLngToCell(-90, 0, 11));
    expect(cellIdToHex(latLngToCellId(10, 180))).toBe(latLngToCell(10, -180, 11));
  });

  it.each(['', 'zzz', '8928308280fffff0', '0', '891c0000003fffg'])('rejects the malformed cell id %j', (hex) => {
    expect(() => hexToCellId(hex)).toThrow(CellError);
  });

  it('rejects resolutions outside 5..11 and finer-than-cell parents', () => {
    expect(() => parentMasks(4)).toThrow(/resolution 4 is outside 5..11/);
    expect(() => parentMasks(12)).toThrow(CellError);
    expect(() => cellIdToParent(hexToCellId(latLngToCell(0, 0, 6)), 7)).toThrow(/finer/);
  });
});
