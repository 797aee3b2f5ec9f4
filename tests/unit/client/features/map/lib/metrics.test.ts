import { describe, expect, test } from 'vitest';
import { PALETTE } from '../../../../../../client/features/map/lib/color-scale.js';
import { metricScale, metricValues, NO_VALUE_COLOR, rateBreaks, ZERO_COLOR } from '../../../../../../client/features/map/lib/metrics.js';

const HEX = {
  cells: ['881f1d4ae1fffff', '881f1d4ae3fffff', '881f1d4ae5fffff', '881f1d4ae7fffff'],
  count: [4, 10, 1, 0],
  weighted: [8, 30, 1, 0],
  open: [0, 5, 1, 0],
  closed: [4, 5, 0, 0],
  overdue: [0, 2, 1, 0],
  ai: [2, 0, 1, 0],
  pending: [1, 0, 1, 0],
};

describe('colour metrics', () => {
  test.each([
    ['count', [4, 10, 1, 0]],
    ['weighted', [8, 30, 1, 0]],
    ['open', [0, 5, 1, 0]],
    ['overdue', [0, 2, 1, 0]],
    ['closure', [1, 0.5, 0, 0]],
    // pending / ai; not defined (NaN) without AI detections, never 0
    ['pending', [0.5, NaN, 1, NaN]],
  ] as const)('%s per cell', (metric, expected) => {
    expect(metricValues(HEX, metric)).toEqual(expected);
  });

  test('per 1,000 deliveries: the smoothed rate of cells with exposure, NaN elsewhere', () => {
    const rates = { cells: ['881f1d4ae3fffff', '881f1d4ae1fffff'], per1000: [9, 2], per1000Smoothed: [4.5, 2.5] };
    expect(metricValues(HEX, 'per1000', rates)).toEqual([2.5, 4.5, NaN, NaN]);
    expect(metricValues(HEX, 'per1000')).toEqual([NaN, NaN, NaN, NaN]);
  });

  test('a cell where the metric is not defined is drawn as "no value", not as the lowest class', () => {
    const pending = metricScale([0.05, NaN, 0.8], 'pending');
    expect(pending.colorOf(NaN)).toEqual(NO_VALUE_COLOR);
    expect(pending.classes[0]).toEqual({ label: '–', color: NO_VALUE_COLOR });
    expect(pending.classes.slice(1).map((c) => c.label)).toEqual(['0%–10%', '10%–25%', '25%–50%', '50%–75%', '≥ 75%']);
    expect(pending.colorOf(0.8)).not.toEqual(pending.colorOf(0.05));
    expect(pending.heightOf(NaN)).toBe(0);
    const rate = metricScale([1.234, NaN, 5.6, 0.42], 'per1000');
    expect(rate.colorOf(NaN)).toEqual(NO_VALUE_COLOR);
    expect(rate.colorOf(5.6)).not.toEqual(rate.colorOf(0.42));
    expect(rate.heightOf(5.6)).toBe(1);
  });

  test('rate breaks: quantiles of the defined rates with two significant digits, from 0', () => {
    // sorted 0.42, 1.234, 2.5, 5.6, 7.77: quantiles at floor(i/6*5) = 0, 1, 2, 3, 4
    expect(rateBreaks([5.6, NaN, 0.42, 1.234, 2.5, 7.77])).toEqual([0, 0.42, 1.2, 2.5, 5.6, 7.8]);
    expect(rateBreaks([NaN])).toEqual([]);
  });

  test('a metric of 0 is drawn in a neutral colour, listed first in the legend', () => {
    const scale = metricScale([0, 5, 1], 'open');
    expect(scale.colorOf(0)).toEqual(ZERO_COLOR);
    expect(scale.classes[0]).toEqual({ label: '0', color: ZERO_COLOR });
    expect(scale.colorOf(5)).not.toEqual(ZERO_COLOR);
  });

  test('closure rate: fixed classes around the 90 % target, low rates hot', () => {
    const scale = metricScale([0.2, 0.95], 'closure');
    expect(scale.classes.map((c) => c.label)).toEqual(['0%–50%', '50%–70%', '70%–80%', '80%–90%', '≥ 90%']);
    expect(scale.colorOf(0.2)).toEqual(PALETTE[PALETTE.length - 1]);
    expect(scale.colorOf(0.95)).toEqual(PALETTE[PALETTE.length - 5]);
    expect(scale.colorOf(0.9)).toEqual(scale.colorOf(1));
    expect(scale.heightOf(0)).toBe(1);
    expect(scale.heightOf(1)).toBe(0);
  });

  test('share closed: the classes end at the target of the settings, not at a fixed 90 %', () => {
    const scale = metricScale([0.2, 0.8], 'closure', 0.75);
    expect(scale.classes.map((c) => c.label)).toEqual(['0%–35%', '35%–55%', '55%–65%', '65%–75%', '≥ 75%']);
    expect(scale.colorOf(0.75)).toEqual(scale.colorOf(1));
    expect(scale.colorOf(0.74)).not.toEqual(scale.colorOf(0.75));
    expect(scale.colorOf(0.8)).toEqual(PALETTE[PALETTE.length - 5]);
    // a target with a decimal keeps it in the legend
    expect(metricScale([], 'closure', 0.855).classes.map((c) => c.label)).toEqual([
      '0%–45.5%',
      '45.5%–65.5%',
      '65.5%–75.5%',
      '75.5%–85.5%',
      '≥ 85.5%',
    ]);
    // a low target: the bounds that would fall under 0 are dropped
    expect(metricScale([], 'closure', 0.15).classes.map((c) => c.label)).toEqual(['0%–5%', '5%–15%', '≥ 15%']);
  });

  test('extrusion height is the share of the largest value', () => {
    const scale = metricScale([2, 8, 4], 'count');
    expect(scale.heightOf(8)).toBe(1);
    expect(scale.heightOf(2)).toBe(0.25);
    expect(metricScale([], 'count').heightOf(3)).toBe(0);
  });
});
