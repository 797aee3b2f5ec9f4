import { describe, expect, it } from 'vitest';
import { storesRowToStoreRow } from '../../../server/ingest/profiles/stores.js';
import { RowError } from '../../../server/ingest/fields.js';
import type { Row } from '../../../server/ingest/fields.js';
import { wgs84ToGcj02 } from '../../../server/ingest/coords.js';

const BASE: Row = {
  city_key: 'fuzhou',
  city_name: 'Fuzhou',
  city_name_zh: '福州',
  tz: 'Asia/Shanghai',
  city_lat: '26.0745',
  city_lng: '119.2965',
  store_code: 'FZ-GL01',
  store_name: '鼓楼东街店',
  lat: '26.0862',
  lng: '119.2985',
  radius_m: '2500',
};

function reject(row: Row): string {
  try {
    storesRowToStoreRow(row, 'wgs84');
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
  throw new Error('expected the row to be rejected');
}

describe('stores profile', () => {
  it('reads a city with a store', () => {
    expect(storesRowToStoreRow(BASE, 'wgs84')).toEqual({
      city: { key: 'fuzhou', name: 'Fuzhou', nameZh: '福州', tz: 'Asia/Shanghai', center: { lat: 26.0745, lng: 119.2965 } },
      store: { code: 'FZ-GL01', name: '鼓楼东街店', lat: 26.0862, lng: 119.2985, radiusM: 2500 },
    });
  });

  it('defaults the radius to 3 km and the centre to null', () => {
    const r = storesRowToStoreRow({ ...BASE, radius_m: '', city_lat: '', city_lng: '' }, 'wgs84');
    expect(r.store!.radiusM).toBe(3000);
    expect(r.city.center).toBeNull();
  });

  it('reads a city-only row', () => {
    expect(storesRowToStoreRow({ ...BASE, store_code: '', store_name: '', lat: '', lng: '', radius_m: '' }, 'wgs84').store).toBeNull();
  });

  it('converts GCJ-02 store and centre coordinates', () => {
    const [lng, lat] = wgs84ToGcj02([119.2985, 26.0862]);
    const r = storesRowToStoreRow({ ...BASE, lat: String(lat), lng: String(lng), city_lat: String(lat), city_lng: String(lng) }, 'gcj02');
    expect(r.store!.lat).toBeCloseTo(26.0862, 5);
    expect(r.store!.lng).toBeCloseTo(119.2985, 5);
    expect(r.city.center!.lng).toBeCloseTo(119.2985, 5);
  });

  it.each<[string, Row, string]>([
    ['bad city key', { ...BASE, city_key: 'Fu Zhou' }, 'city_key: is not lower case letters, digits and -'],
    ['unknown zone', { ...BASE, tz: 'Asia/Fuzhou' }, 'tz: is not an IANA time zone (got "Asia/Fuzhou")'],
    ['no city name', { ...BASE, city_name: '' }, 'city_name: is empty'],
    ['store without name', { ...BASE, store_name: '' }, 'store_name: is empty'],
    ['store without coordinates', { ...BASE, lat: '', lng: '' }, 'lat/lng: empty (no coordinates)'],
    ['latitude 200', { ...BASE, lat: '200' }, 'lat: is outside -90..90'],
    ['radius too small', { ...BASE, radius_m: '10' }, 'radius_m: is outside 100..50000'],
    ['radius not a number', { ...BASE, radius_m: '3km' }, 'radius_m: is not a number'],
    ['half a centre', { ...BASE, city_lng: '' }, 'city_lng: is empty'],
    ['store fields without code', { ...BASE, store_code: '' }, 'store_name: is given but store_code is empty'],
  ])('rejects %s', (_name, row, message) => {
    expect(reject(row)).toContain(message);
  });
});
