/**
 * Calendar days in a city's time zone. Pure. The charts bucket by the city's local day
 * (`occurred_at AT TIME ZONE c.tz`), so a day picked on a chart must be that zone's day, not the
 * browser's: the client turns the day filter into instants with these.
 */
import { zoneOffsetMs } from './closure.js';

/**
 * The instant day `day` (`YYYY-MM-DD`) begins in `tz` (IANA): its local midnight.
 * Asia/Shanghai `2025-03-03` -> 2025-03-02T16:00:00Z.
 * @throws RangeError when `tz` is not a time zone.
 */
export function dayStartInstant(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // the offset at the guess may differ from the one at the answer across a DST change: look twice
  const guess = wall - zoneOffsetMs(new Date(wall), tz);
  return new Date(wall - zoneOffsetMs(new Date(guess), tz));
}

/** The last millisecond of day `day` in `tz` (the start of the next day, less 1 ms). */
export function dayEndInstant(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(dayStartInstant(next, tz).getTime() - 1);
}
