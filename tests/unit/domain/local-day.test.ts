/** Days in a city's zone; expected instants computed by hand from the zones' offsets. */
import { describe, expect, it } from 'vitest';
import { dayEndInstant, dayStartInstant } from '../../../server/domain/local-day.js';

describe('dayStartInstant / dayEndInstant', () => {
  it.each([
    ['2025-03-03', 'Asia/Shanghai', '2025-03-02T16:00:00.000Z', '2025-03-03T15:59:59.999Z'],
    ['2024-12-31', 'Asia/Hong_Kong', '2024-12-30T16:00:00.000Z', '2024-12-31T15:59:59.999Z'],
    ['2025-06-01', 'UTC', '2025-06-01T00:00:00.000Z', '2025-06-01T23:59:59.999Z'],
    // New York: EST (-5) before 2025-03-09 02:00, EDT (-4) after; the DST day has 23 hours
    ['2025-03-09', 'America/New_York', '2025-03-09T05:00:00.000Z', '2025-03-10T03:59:59.999Z'],
    ['2025-11-02', 'America/New_York', '2025-11-02T04:00:00.000Z', '2025-11-03T04:59:59.999Z'],
    // Sydney: +10 until 02:00 on 2025-10-05, +11 after (00:00 UTC that day is already +11)
    ['2025-10-05', 'Australia/Sydney', '2025-10-04T14:00:00.000Z', '2025-10-05T12:59:59.999Z'],
    ['2024-02-29', 'Asia/Kolkata', '2024-02-28T18:30:00.000Z', '2024-02-29T18:29:59.999Z'],
  ])('%s in %s begins %s and ends %s', (day, tz, start, end) => {
    expect(dayStartInstant(day, tz).toISOString()).toBe(start);
    expect(dayEndInstant(day, tz).toISOString()).toBe(end);
  });
  it('throws on an unknown zone', () => {
    expect(() => dayStartInstant('2025-01-01', 'Mars/Olympus')).toThrow(RangeError);
  });
});
