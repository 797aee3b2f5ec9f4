import { describe, expect, test } from 'vitest';
import {
  bucketLabel,
  categoriesHeight,
  categoriesOption,
  closureOption,
  hourOfWeekOption,
  rateToPercent,
  seriesColor,
  timeseriesOption,
} from '../../../../../../client/features/stats/lib/chart-options.js';

// ECharts option types are unions too wide to index in a test: read them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a loose read of ECharts' option unions in a test (see above)
type AnyRecord = Record<string, any>;
const series = (option: unknown): AnyRecord[] => (option as AnyRecord).series as AnyRecord[];

describe('closureOption', () => {
  const data = {
    target: 0.9,
    months: ['2026-09', '2026-10', '2026-11'],
    series: [{ occurred: [10, 0, 4], closedNow: [9, 0, 1], closedByEnd: [7, 0, 1], rateNow: [0.9, null, 0.25], rateByEnd: [0.7, null, 0.25] }],
  };
  const option = closureOption(data, { now: 'now', byEnd: 'by end', target: 'Target 90%' });

  test('two lines in percent with gaps for months without incidents', () => {
    expect(series(option).map((s) => s.name)).toEqual(['now', 'by end']);
    expect(series(option)[0]!.data).toEqual([90, null, 25]);
    expect(series(option)[1]!.data).toEqual([70, null, 25]);
  });
  test('the target is a horizontal line at 90 %', () => {
    expect(series(option)[0]!.markLine.data).toEqual([{ yAxis: 90 }]);
    expect(series(option)[0]!.markLine.label.formatter).toBe('Target 90%');
  });
  test('months on the x axis; y from 0 to 100 %', () => {
    expect((option as AnyRecord).xAxis.data).toEqual(data.months);
    expect((option as AnyRecord).yAxis).toMatchObject({ min: 0, max: 100 });
  });
  test('no series at all draws empty lines, not a crash', () => {
    expect(series(closureOption({ target: 0.9, months: [], series: [] }, { now: 'a', byEnd: 'b', target: 'c' }))[0]!.data).toEqual([]);
  });
});

test('rateToPercent keeps one decimal and null', () => {
  expect(rateToPercent(0.8765)).toBe(87.7);
  expect(rateToPercent(null)).toBeNull();
});

describe('timeseriesOption', () => {
  test('one unstacked series without a legend when not split', () => {
    const option = timeseriesOption({ interval: 'week', buckets: ['2026-03-02', '2026-03-09'], series: [{ key: 'all', counts: [3, 5] }] }, (k) => k);
    expect(series(option)).toHaveLength(1);
    expect(series(option)[0]!.stack).toBeUndefined();
    expect((option as AnyRecord).legend).toEqual({ show: false });
    expect((option as AnyRecord).xAxis.data).toEqual(['03-02', '03-09']);
  });
  test('stacked series, named and coloured by key, when split', () => {
    const option = timeseriesOption(
      { interval: 'month', buckets: ['2026-02-01', '2026-03-01'], series: [{ key: 'accident', counts: [1, 2] }, { key: 'exception', counts: [3, 4] }] },
      (k) => `name:${k}`,
    );
    expect(series(option).map((s) => [s.name, s.stack, s.data])).toEqual([
      ['name:accident', 'total', [1, 2]],
      ['name:exception', 'total', [3, 4]],
    ]);
    expect((option as AnyRecord).xAxis.data).toEqual(['2026-02', '2026-03']);
  });
  test('bucket labels and series colours', () => {
    expect(bucketLabel('2026-03-09', 'day')).toBe('03-09');
    expect(bucketLabel('2026-03-01', 'month')).toBe('2026-03');
    expect(seriesColor('4')).toBe('#800026');
    expect(seriesColor('accident')).not.toBe(seriesColor('exception'));
  });
});

describe('categoriesOption', () => {
  const items = [
    { kind: 'exception', category: 'red_light', count: 40 },
    { kind: 'accident', category: 'vehicle_collision', count: 12 },
  ];
  test('one bar per item, most frequent on top, labelled', () => {
    const option = categoriesOption(items, (i) => i.category, () => false);
    expect((option as AnyRecord).yAxis).toMatchObject({ inverse: true, data: ['red_light', 'vehicle_collision'] });
    expect(series(option)[0]!.data.map((d: AnyRecord) => d.value)).toEqual([40, 12]);
    expect(series(option)[0]!.data.every((d: AnyRecord) => d.itemStyle.opacity === 1)).toBe(true);
  });
  test('a selection fades the other bars', () => {
    const option = categoriesOption(items, (i) => i.category, (i) => i.category === 'vehicle_collision');
    expect(series(option)[0]!.data.map((d: AnyRecord) => d.itemStyle.opacity)).toEqual([0.35, 1]);
  });
  test('height grows with the number of bars', () => {
    expect(categoriesHeight(14)).toBeGreaterThan(categoriesHeight(2));
    expect(categoriesHeight(0)).toBe(120);
  });
});

describe('hourOfWeekOption', () => {
  test('168 cells [hour, day, count], Monday first, colour scale up to the max', () => {
    const counts = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 4 && h === 18 ? 9 : 0)));
    const option = hourOfWeekOption({ counts, max: 9 }, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], () => '');
    const cells = series(option)[0]!.data as Array<[number, number, number]>;
    expect(cells).toHaveLength(168);
    expect(cells.find(([, , c]) => c === 9)).toEqual([18, 4, 9]);
    expect((option as AnyRecord).yAxis.data[0]).toBe('Mon');
    expect((option as AnyRecord).visualMap).toMatchObject({ min: 0, max: 9 });
  });
  test('an all-zero grid still has a colour range', () => {
    const counts = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    expect((hourOfWeekOption({ counts, max: 0 }, [], () => '') as AnyRecord).visualMap.max).toBe(1);
  });
});
