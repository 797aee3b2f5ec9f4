import { describe, expect, test } from 'vitest';
import { formatChange, formatPerMonth, formatRate, rateTone } from '../../../../../../client/features/stats/lib/format.js';

describe('rateTone against a 90 % target', () => {
  test.each([
    [0.95, 'good'],
    [0.9, 'good'],
    [27 / 30, 'good'], // 0.9 as a ratio of counts: float noise must not make it amber
    [0.89, 'warn'],
    [0.81, 'warn'],
    [0.8, 'bad'], // exactly 10 points below is red
    [0.5, 'bad'],
    [0, 'bad'],
    [null, 'none'],
    [Number.NaN, 'none'],
  ] as const)('%s -> %s', (rate, tone) => {
    expect(rateTone(rate, 0.9)).toBe(tone);
  });

  test('the amber margin is a parameter', () => {
    expect(rateTone(0.85, 0.9, 0.03)).toBe('bad');
    expect(rateTone(0.88, 0.9, 0.03)).toBe('warn');
  });
});

describe('formatting', () => {
  test.each([
    [0.873, '87%'],
    [1, '100%'],
    [0, '0%'],
    [null, '–'],
  ] as const)('formatRate(%s) = %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  test.each([
    [0.25, '+25%'],
    [-0.1, '−10%'],
    [0.001, '±0%'],
    [1.114, '+111%'],
    [null, 'new'],
  ] as const)('formatChange(%s) = %s', (change, text) => {
    expect(formatChange(change, 'new')).toBe(text);
  });

  test.each([
    [2.46, '2.5'],
    [9.94, '9.9'],
    [14.4, '14'],
    [0, '0.0'],
  ] as const)('formatPerMonth(%s) = %s', (value, text) => {
    expect(formatPerMonth(value)).toBe(text);
  });
});
