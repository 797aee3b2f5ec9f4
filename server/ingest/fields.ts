/**
 * Field parsers shared by the import profiles. Pure: a parser returns the value or throws a
 * RowError naming the field, so that a rejected row reads "latitude: 200 is outside -90..90".
 * `problem` is stable text without the value, used to count rejections by reason.
 */

export class RowError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly value?: string,
  ) {
    super(value === undefined ? `${field}: ${problem}` : `${field}: ${problem} (got "${clip(value)}")`);
  }
  /** Field and problem without the value: the key rejections are counted by. */
  get key(): string {
    return `${this.field}: ${this.problem}`;
  }
}

function clip(value: string): string {
  return value.length > 40 ? value.slice(0, 37) + '...' : value;
}

/** A CSV row by column name; optional columns absent from the header read as ''. */
export type Row = Readonly<Record<string, string>>;

export function optionalText(row: Row, field: string, maxLength = 2000): string | null {
  const v = (row[field] ?? '').trim();
  if (v === '') return null;
  if (v.length > maxLength) throw new RowError(field, `longer than ${maxLength} characters`);
  return v;
}

export function requiredText(row: Row, field: string, maxLength = 2000): string {
  const v = optionalText(row, field, maxLength);
  if (v === null) throw new RowError(field, 'is empty');
  return v;
}

// Plain decimal notation only: Number() would also take "0x1f", "Infinity" and " ".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function optionalNumber(row: Row, field: string, min = -Infinity, max = Infinity): number | null {
  const raw = (row[field] ?? '').trim();
  if (raw === '') return null;
  if (!DECIMAL.test(raw)) throw new RowError(field, 'is not a number', raw);
  const n = Number(raw);
  if (n < min || n > max) throw new RowError(field, `is outside ${min}..${max}`, raw);
  return n;
}

export function requiredNumber(row: Row, field: string, min = -Infinity, max = Infinity): number {
  const n = optionalNumber(row, field, min, max);
  if (n === null) throw new RowError(field, 'is empty');
  return n;
}

export function optionalInteger(row: Row, field: string, min = -Infinity, max = Infinity): number | null {
  const n = optionalNumber(row, field, min, max);
  if (n !== null && !Number.isInteger(n)) throw new RowError(field, 'is not a whole number', row[field]!.trim());
  return n;
}

/** WGS-84 or GCJ-02 degrees; empty latitude or longitude is "no coordinates". */
export function requiredLatLng(row: Row, latField: string, lngField: string): { lat: number; lng: number } {
  const latRaw = (row[latField] ?? '').trim();
  const lngRaw = (row[lngField] ?? '').trim();
  if (latRaw === '' && lngRaw === '') throw new RowError(`${latField}/${lngField}`, 'empty (no coordinates)');
  if (latRaw === '') throw new RowError(latField, 'is empty');
  if (lngRaw === '') throw new RowError(lngField, 'is empty');
  const lat = requiredNumber(row, latField, -90, 90);
  const lng = requiredNumber(row, lngField, -180, 180);
  return { lat, lng };
}

export function requiredEnum<T extends string>(row: Row, field: string, allowed: readonly T[]): T {
  const v = requiredText(row, field, 100);
  return checkEnum(field, v, allowed);
}

export function optionalEnum<T extends string>(row: Row, field: string, allowed: readonly T[]): T | null {
  const v = optionalText(row, field, 100);
  return v === null ? null : checkEnum(field, v, allowed);
}

function checkEnum<T extends string>(field: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) {
    throw new RowError(field, `is not one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

// Date, hours and minutes required; seconds and fraction optional; an offset (Z, +08:00, +0800)
// required, because a bare local time would be read in the importing machine's zone.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** How far in the future a timestamp may lie (clock skew between the source and us). */
export const MAX_FUTURE_MS = 24 * 3_600_000;

/**
 * ISO-8601 local time with offset -> Date.
 * @throws RowError when empty, without offset, not a real calendar time, or more than a day ahead
 *   of `now` (pass null for times that may lie ahead, such as a due time).
 */
export function parseTimestamp(field: string, raw: string, now: Date | null): Date {
  const v = raw.trim();
  if (v === '') throw new RowError(field, 'is empty');
  const m = ISO_WITH_OFFSET.exec(v);
  if (!m) throw new RowError(field, 'is not an ISO time with offset like 2024-05-01T08:30:00+08:00', v);
  const [, y, mo, d, h, mi, s = '00', frac = '', off] = m;
  // Date.parse accepts 2019-02-30 and rolls it over; check the calendar ourselves.
  const day = new Date(Date.UTC(+y!, +mo! - 1, +d!));
  if (day.getUTCFullYear() !== +y! || day.getUTCMonth() !== +mo! - 1 || day.getUTCDate() !== +d! || +h! > 23 || +mi! > 59 || +s > 59) {
    throw new RowError(field, 'is not a valid date and time', v);
  }
  const offset = off === 'Z' ? 'Z' : off!.length === 5 ? `${off!.slice(0, 3)}:${off!.slice(3)}` : off!;
  const ms = frac === '' ? '' : '.' + frac.padEnd(3, '0').slice(0, 3);
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(date.getTime())) throw new RowError(field, 'is not a valid date and time', v);
  if (now !== null && date.getTime() > now.getTime() + MAX_FUTURE_MS) throw new RowError(field, 'is in the future', v);
  return date;
}

export function requiredTimestamp(row: Row, field: string, now: Date): Date {
  return parseTimestamp(field, row[field] ?? '', now);
}

export function optionalTimestamp(row: Row, field: string, now: Date | null): Date | null {
  const raw = (row[field] ?? '').trim();
  return raw === '' ? null : parseTimestamp(field, raw, now);
}
