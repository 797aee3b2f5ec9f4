import { describe, expect, test } from 'vitest';
import { breakLabels, colorScale, equalBreaks, niceFloor, PALETTE, quantileBreaks } from '../../../../../../client/features/map/lib/color-scale.js';

describe('colour scale', () => {
  test.each([
    [0, 1],
    [1, 1],
    [7.9, 7],
    [12, 10],
    [24, 20],
    [26, 25],
    [260, 250],
    [999, 500],
  ])('niceFloor(%d) = %d', (value, expected) => {
    expect(niceFloor(value)).toBe(expected);
  });

  test('quantile breaks of skewed counts start at 1, rise, and are nice numbers', () => {
    const counts = [...Array(200).fill(1), ...Array(100).fill(3), ...Array(50).fill(12), ...Array(10).fill(80), 400];
    const breaks = quantileBreaks(counts);
    expect(breaks[0]).toBe(1);
    for (let i = 1; i < breaks.length; i++) expect(breaks[i]!).toBeGreaterThan(breaks[i - 1]!);
    for (const b of breaks) expect(niceFloor(b)).toBe(b);
  });

  test('zeros are ignored and no values give no classes', () => {
    expect(quantileBreaks([0, 0, 0])).toEqual([]);
    expect(colorScale([]).breaks).toEqual([]);
  });

  test('few small counts get equal steps instead of collapsed quantiles', () => {
    expect(equalBreaks(6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(colorScale([1, 1, 1, 2, 7]).breaks.length).toBeGreaterThanOrEqual(3);
  });

  test('colours rise with the value and the hottest class gets the darkest colour', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const scale = colorScale(values);
    expect(scale.colorOf(100)).toEqual(PALETTE[PALETTE.length - 1]);
    expect(scale.colorOf(1)).toEqual(PALETTE[0]);
    const indexOf = (v: number) => PALETTE.findIndex((c) => c === scale.colorOf(v));
    for (let v = 2; v <= 100; v++) expect(indexOf(v)).toBeGreaterThanOrEqual(indexOf(v - 1));
  });

  test('labels read as ranges that cover every integer once', () => {
    expect(breakLabels([1, 2, 5, 10], 37)).toEqual(['1', '2–4', '5–9', '10–37']);
    expect(breakLabels([1, 5], 5)).toEqual(['1–4', '5']);
  });
});
