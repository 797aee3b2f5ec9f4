import { gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { confidenceBin, giStar } from '../../../../server/domain/hotspots/getis-ord.js';

/**
 * A 19-cell study area: a centre cell (value 10), its ring (5 each) and the ring beyond (0).
 * By hand: n = 19, sum = 10 + 6 * 5 = 40, mean = 40/19 = 2.105263, sum of squares = 100 + 6 * 25
 * = 250, S = sqrt(250/19 - (40/19)^2) = sqrt(13.157895 - 4.432133) = 2.953940.
 * Neighbourhoods inside the area (binary weights, self included):
 *   centre:  w = 7, sum wx = 10 + 6 * 5        = 40
 *   ring 1:  w = 7, sum wx = 5 + 10 + 2 * 5    = 25  (centre, two ring cells, three outer zeros)
 *   ring 2 corner (straight out from a ring-1 cell): w = 4, sum wx = 5   (one ring-1 cell)
 *   ring 2 edge: w = 5, sum wx = 10                                     (two ring-1 cells)
 * Gi* = (sum wx - mean w) / (S sqrt((n w - w^2) / (n - 1))):
 *   centre = (40 - 14.736842) / (2.953940 * sqrt(84/18)) = 25.263158 / 6.381274 = 3.958973
 *   ring 1 = (25 - 14.736842) / 6.381274 = 1.608333
 *   corner = (5 - 8.421053) / (2.953940 * sqrt(60/18)) = -3.421053 / 5.393153 = -0.634335
 *   edge   = (10 - 10.526316) / (2.953940 * sqrt(70/18)) = -0.526316 / 5.825272 = -0.090351
 */
describe('giStar', () => {
  const centre = latLngToCell(26.08, 119.29, 9);
  const area = gridDisk(centre, 2);
  const ring = (cell: string) => gridDistance(centre, cell);
  const values = new Map(area.map((c) => [c, ring(c) === 0 ? 10 : ring(c) === 1 ? 5 : 0]));
  const result = giStar(values);
  const zOf = (cell: string) => result.z[result.cells.indexOf(cell)]!;

  it('matches the hand computation for the centre, the ring and the outer ring', () => {
    expect(area).toHaveLength(19);
    expect(zOf(centre)).toBeCloseTo(3.958973, 5);
    for (const cell of area.filter((c) => ring(c) === 1)) expect(zOf(cell)).toBeCloseTo(1.608333, 5);
    const outer = area.filter((c) => ring(c) === 2).map(zOf).sort((a, b) => a - b);
    expect(outer.slice(0, 6).every((z) => Math.abs(z - -0.634335) < 1e-5)).toBe(true);
    expect(outer.slice(6).every((z) => Math.abs(z - -0.090351) < 1e-5)).toBe(true);
  });

  it('gives two-sided p-values, FDR-adjusted p and bins', () => {
    const k = result.cells.indexOf(centre);
    // 2 * (1 - Phi(3.958973)) = 7.5273e-5; BH: smallest of 19 -> * 19 = 1.4302e-3 -> 99 % bin
    expect(result.p[k]).toBeCloseTo(7.5273e-5, 8);
    expect(result.q[k]).toBeCloseTo(1.4302e-3, 6);
    expect(result.bin[k]).toBe(3);
    // the ring's p = 0.10776 is above 0.10 even before correction
    expect(result.bin.filter((b) => b !== 0)).toEqual([3]);
  });

  it('is zero everywhere on a constant field and handles a pentagon (five neighbours)', () => {
    const pentagon = '891c0000003ffff';
    const disk = gridDisk(pentagon, 1);
    expect(disk).toHaveLength(6);
    const flat = giStar(new Map(disk.map((c) => [c, 3])));
    expect(flat.z.every((z) => z === 0)).toBe(true);
    const peaked = giStar(new Map([...gridDisk(pentagon, 2)].map((c) => [c, c === pentagon ? 12 : 1])));
    expect(peaked.z[peaked.cells.indexOf(pentagon)]).toBeGreaterThan(0);
  });

  it.each([
    [2.7, 0.004, 3],
    [2.1, 0.03, 2],
    [1.7, 0.09, 1],
    [1.5, 0.11, 0],
    [-2.7, 0.004, -3],
    [-1.7, 0.09, -1],
  ])('confidenceBin(z=%s, q=%s) = %s', (z, q, bin) => {
    expect(confidenceBin(z, q)).toBe(bin);
  });
});
