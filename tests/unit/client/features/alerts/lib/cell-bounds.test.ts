import { cellToBoundary, cellToLatLng } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { boundaryToBounds, cellToBounds } from '../../../../../../client/features/alerts/lib/cell-bounds.js';

describe('cell bounds for "show on map"', () => {
  // A Fuzhou cell at resolution 9, a resolution 7 cell, and a pentagon.
  test.each(['8941a8d8a5bffff', '8741a8d8affffff', '891c0000003ffff'])('%s: [west, south, east, north] around the cell centre', async (cell) => {
    const [west, south, east, north] = await cellToBounds(cell);
    const [lat, lng] = cellToLatLng(cell);
    expect(west).toBeLessThan(lng);
    expect(east).toBeGreaterThan(lng);
    expect(south).toBeLessThan(lat);
    expect(north).toBeGreaterThan(lat);
    // Wider than the cell itself (context around it), same shape.
    const tight = boundaryToBounds(cellToBoundary(cell), 0);
    expect(east - west).toBeCloseTo((tight[2] - tight[0]) * 4, 9);
    expect(north - south).toBeCloseTo((tight[3] - tight[1]) * 4, 9);
  });

  test('boundary pairs are [lat, lng]: lat goes to south/north', () => {
    expect(boundaryToBounds([[26, 119], [26.1, 119.3]], 0)).toEqual([119, 26, 119.3, 26.1]);
  });

  test('an empty boundary is refused', () => {
    expect(() => boundaryToBounds([])).toThrow(/empty/);
  });
});
