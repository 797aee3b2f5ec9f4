/**
 * `stores`: cities and their stores, one store per row (or a city alone when store_code is
 * empty). Cities are upserted by key and stores by code.
 */
import type { Row } from '../fields.js';
import { optionalNumber, optionalText, requiredLatLng, requiredText, RowError } from '../fields.js';
import { toWgs84 } from '../coords.js';
import type { CoordSystem } from '../coords.js';
import type { ColumnSpec, StoreRow, StoresProfile } from '../profile.js';

/** Delivery radius when the file leaves it empty (../../DESIGN.md "Domain": default 3 km). */
export const DEFAULT_RADIUS_M = 3000;
export const MIN_RADIUS_M = 100;
export const MAX_RADIUS_M = 50_000;

export const STORES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'city_key', required: true, description: 'Stable city key, lower case letters, digits and `-` (e.g. `fuzhou`).' },
  { name: 'city_name', required: true, description: 'City name shown in the app.' },
  { name: 'city_name_zh', required: false, description: 'Chinese name.' },
  { name: 'tz', required: true, description: 'IANA time zone of the city, e.g. `Asia/Shanghai`; days and months are counted in it.' },
  { name: 'city_lat', required: false, description: 'City centre latitude; default: the present centre, else the mean of the city\'s stores in the file.' },
  { name: 'city_lng', required: false, description: 'City centre longitude.' },
  { name: 'store_code', required: false, description: 'Unique store code; empty for a row that only defines a city.' },
  { name: 'store_name', required: false, description: 'Store name; required with store_code.' },
  { name: 'lat', required: false, description: 'Store latitude (WGS-84, or GCJ-02 with `--coords gcj02`); required with store_code.' },
  { name: 'lng', required: false, description: 'Store longitude; required with store_code.' },
  { name: 'radius_m', required: false, description: `Delivery radius in metres, ${MIN_RADIUS_M}..${MAX_RADIUS_M}; default ${DEFAULT_RADIUS_M}.` },
];

const CITY_KEY_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function storesRowToStoreRow(row: Row, coords: CoordSystem): StoreRow {
  const key = requiredText(row, 'city_key', 63);
  if (!CITY_KEY_RE.test(key)) throw new RowError('city_key', 'is not lower case letters, digits and -', key);
  const tz = requiredText(row, 'tz', 64);
  if (!isTimeZone(tz)) throw new RowError('tz', 'is not an IANA time zone', tz);
  const hasCentre = (row.city_lat ?? '').trim() !== '' || (row.city_lng ?? '').trim() !== '';
  const city: StoreRow['city'] = {
    key,
    name: requiredText(row, 'city_name', 200),
    nameZh: optionalText(row, 'city_name_zh', 200),
    tz,
    center: hasCentre ? toWgs84(requiredLatLng(row, 'city_lat', 'city_lng'), coords) : null,
  };
  const code = optionalText(row, 'store_code', 100);
  if (code === null) {
    for (const f of ['store_name', 'lat', 'lng', 'radius_m']) {
      if ((row[f] ?? '').trim() !== '') throw new RowError(f, 'is given but store_code is empty', row[f]);
    }
    return { city, store: null };
  }
  const { lat, lng } = toWgs84(requiredLatLng(row, 'lat', 'lng'), coords);
  return {
    city,
    store: {
      code,
      name: requiredText(row, 'store_name', 200),
      lat,
      lng,
      radiusM: optionalNumber(row, 'radius_m', MIN_RADIUS_M, MAX_RADIUS_M) ?? DEFAULT_RADIUS_M,
    },
  };
}

export const storesProfile: StoresProfile = {
  name: 'stores',
  target: 'stores',
  columns: STORES_COLUMNS,
  toStoreRow: storesRowToStoreRow,
};
