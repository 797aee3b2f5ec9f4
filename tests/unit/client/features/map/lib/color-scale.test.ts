import { describe, expect, test } from 'vitest';
import { breakLabels, colorBreaks, colorScale, PALETTE } from '../../../../../../client/features/map/lib/color-scale.js';

/** The offline and vector basemaps' land colour (#f3f1ec, basemaps.ts) and the hexagons' opacity (hex-map.tsx). */
const LAND = [243, 241, 236] as const;
const HEXAGON_OPACITY = 0.78;

describe('colour scale', () => {
  test('counts up to the palette length get one class per integer', () => {
    expect(colorBreaks([1, 1, 3])).toEqual([1, 2, 3]);
    expect(colorBreaks([1, 1, 1, 2, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(colorBreaks([0, 0])).toEqual([]);
  });

  test('larger counts get 1-2-5 quantile breaks', () => {
    const counts = [...Array(200).fill(1), ...Array(100).fill(3), ...Array(50).fill(12), ...Array(10).fill(80), 400];
    expect(colorBreaks(counts)).toEqual([1, 2, 10, 50]);
    expect(breakLabels(colorBreaks(counts))).toEqual(['1', '2–9', '10–49', '≥ 50']);
  });

  test('colours rise with the value and the hottest class gets the darkest colour', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const scale = colorScale(values);
    expect(scale.colorOf(100)).toEqual(PALETTE[PALETTE.length - 1]);
    expect(scale.colorOf(1)).toEqual(PALETTE[0]);
    const indexOf = (v: number) => PALETTE.findIndex((c) => c === scale.colorOf(v));
    for (let v = 2; v <= 100; v++) expect(indexOf(v)).toBeGreaterThanOrEqual(indexOf(v - 1));
  });

  test('the palest class stands out from the land it is drawn over', () => {
    // Blended as deck.gl draws it: opacity × colour + (1 − opacity) × land. The old palest
    // class (#ffffb2) came out 47 RGB units from the land: hard to see (issue 19).
    const blended = PALETTE[0]!.slice(0, 3).map((c, i) => HEXAGON_OPACITY * c + (1 - HEXAGON_OPACITY) * LAND[i]!);
    const distance = Math.hypot(...blended.map((c, i) => c - LAND[i]!));
    expect(distance).toBeGreaterThan(70);
  });
});
