import { describe, expect, it } from 'vitest';
import {
  optionalInteger,
  parseTimestamp,
  requiredEnum,
  requiredLatLng,
  requiredNumber,
  RowError,
} from '../../../server/ingest/fields.js';

const NOW = new Date('2025-06-01T00:00:00Z');

function errorOf(fn: () => unknown): RowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RowError) return error;
    throw error;
  }
  throw new Error('expected a RowError');
}

describe('parseTimestamp', () => {
  it.each([
    ['2024-05-01T08:30:00+08:00', '2024-05-01T00:30:00.000Z'],
    ['2024-05-01T08:30+08:00', '2024-05-01T00:30:00.000Z'],
    ['2024-05-01 08:30:00+0800', '2024-05-01T00:30:00.000Z'],
    ['2024-05-01T00:30:00Z', '2024-05-01T00:30:00.000Z'],
    ['2024-05-01T00:30:00.25-03:00', '2024-05-01T03:30:00.250Z'],
    ['  2024-02-29T23:59:59+08:00 ', '2024-02-29T15:59:59.000Z'],
    // a day of clock skew is tolerated
    ['2025-06-01T20:00:00Z', '2025-06-01T20:00:00.000Z'],
  ])('%s -> %s', (raw, iso) => {
    expect(parseTimestamp('occurred_at', raw, NOW).toISOString()).toBe(iso);
  });

  it.each([
    ['', 'occurred_at: is empty'],
    ['2024-05-01T08:30:00', 'occurred_at: is not an ISO time with offset'],
    ['2024-05-01', 'occurred_at: is not an ISO time with offset'],
    ['01/05/2024 08:30', 'occurred_at: is not an ISO time with offset'],
    ['2023-02-29T08:30:00+08:00', 'occurred_at: is not a valid date and time'],
    ['2024-13-01T08:30:00+08:00', 'occurred_at: is not a valid date and time'],
    ['2024-05-01T24:30:00+08:00', 'occurred_at: is not a valid date and time'],
    ['2025-06-03T00:00:00Z', 'occurred_at: is in the future'],
  ])('refuses %j', (raw, message) => {
    expect(errorOf(() => parseTimestamp('occurred_at', raw, NOW)).message).toContain(message);
  });

  it('allows future times when no "now" is given (due times)', () => {
    expect(parseTimestamp('due_at', '2030-01-01T00:00:00Z', null).getUTCFullYear()).toBe(2030);
  });
});

describe('numbers', () => {
  it.each([
    ['12', 12],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['1e2', 100],
    [' 7 ', 7],
  ])('reads %j', (raw, n) => {
    expect(requiredNumber({ x: raw }, 'x')).toBe(n);
  });

  it.each([
    ['abc', 'x: is not a number (got "abc")'],
    ['12abc', 'x: is not a number'],
    ['0x1f', 'x: is not a number'],
    ['Infinity', 'x: is not a number'],
    ['NaN', 'x: is not a number'],
    ['', 'x: is empty'],
    ['11', 'x: is outside 0..10 (got "11")'],
  ])('refuses %j', (raw, message) => {
    expect(errorOf(() => requiredNumber({ x: raw }, 'x', 0, 10)).message).toContain(message);
  });

  it('separates whole numbers', () => {
    expect(optionalInteger({ n: '3' }, 'n')).toBe(3);
    expect(optionalInteger({ n: '' }, 'n')).toBeNull();
    expect(errorOf(() => optionalInteger({ n: '2.5' }, 'n')).key).toBe('n: is not a whole number');
  });
});

describe('requiredLatLng', () => {
  it.each([
    [{ lat: '', lng: '' }, 'lat/lng: empty (no coordinates)'],
    [{ lat: '26.1', lng: '' }, 'lng: is empty'],
    [{ lat: '200', lng: '119' }, 'lat: is outside -90..90 (got "200")'],
    [{ lat: '26', lng: '-181' }, 'lng: is outside -180..180'],
    [{ lat: '26,1', lng: '119' }, 'lat: is not a number'],
  ])('%j -> %s', (row, message) => {
    expect(errorOf(() => requiredLatLng(row, 'lat', 'lng')).message).toContain(message);
  });

  it('reads degrees', () => {
    expect(requiredLatLng({ lat: '26.0745', lng: '119.2965' }, 'lat', 'lng')).toEqual({ lat: 26.0745, lng: 119.2965 });
  });
});

describe('RowError', () => {
  it('counts by field and problem without the value, and clips long values', () => {
    const e = errorOf(() => requiredEnum({ kind: 'x'.repeat(60) }, 'kind', ['accident', 'exception']));
    expect(e.field).toBe('kind');
    expect(e.key).toBe('kind: is not one of accident, exception');
    expect(e.message).toMatch(/got "x{37}\.\.\."\)$/);
  });
});
