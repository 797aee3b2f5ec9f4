import { describe, expect, test } from 'vitest';
import { metricScale, metricValues } from '../../../../../../client/features/map/lib/metrics.js';
import { muteSparse, RATE_MIN_COUNT, SPARSE_COLOR, withSparse } from '../../../../../../client/features/map/lib/sparse-rates.js';

describe('rates over few incidents', () => {
  test('the minimum is 5 incidents', () => {
    expect(RATE_MIN_COUNT).toBe(5);
  });

  test('a cell with 1 incident, none closed, is muted, not 0 % in the darkest red', () => {
    // cells: 1 incident 0 closed; 4 incidents 0 closed; 5 incidents 0 closed; 10 incidents 9 closed
    const hex = { count: [1, 4, 5, 10], closed: [0, 0, 0, 9], weighted: [1, 4, 5, 10], open: [1, 4, 5, 1], overdue: [0, 0, 0, 0], ai: [0, 0, 0, 0], pending: [0, 0, 0, 0], cells: ['a', 'b', 'c', 'd'] };
    const values = muteSparse(metricValues(hex, 'closure'), hex.count);
    expect(values.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(values.slice(2)).toEqual([0, 0.9]);
    const scale = withSparse(metricScale(values, 'closure'), 'few');
    expect(scale.colorOf(values[0]!)).toEqual(SPARSE_COLOR);
    expect(scale.heightOf(values[0]!)).toBe(0);
    // 5 incidents, none closed: a real 0 %, in the hot colour (the rate scale's own).
    expect(scale.colorOf(values[2]!)).not.toEqual(SPARSE_COLOR);
    expect(scale.colorOf(values[2]!)).toEqual(metricScale([0], 'closure').colorOf(0));
    expect(scale.classes.at(-1)).toEqual({ label: 'few', color: SPARSE_COLOR });
  });
});
