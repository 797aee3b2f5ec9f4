/** A hand-built import context for the pure row tests: Fuzhou, Xiamen and Hong Kong, three stores. */
import type { City, StoreRecord } from '../../../server/store/types.js';
import { createStoreLocator } from '../../../server/ingest/nearest-store.js';
import type { IncidentRowContext } from '../../../server/ingest/profile.js';
import { SLA_HOURS_BY_SEVERITY } from '../../../server/domain/incident.js';

export const FUZHOU: City = { id: 1, key: 'fuzhou', name: 'Fuzhou', nameZh: '福州', tz: 'Asia/Shanghai', centerLat: 26.0745, centerLng: 119.2965 };
export const XIAMEN: City = { id: 2, key: 'xiamen', name: 'Xiamen', nameZh: '厦门', tz: 'Asia/Shanghai', centerLat: 24.4798, centerLng: 118.0894 };
export const HK: City = { id: 3, key: 'hong-kong', name: 'Hong Kong', nameZh: '香港', tz: 'Asia/Hong_Kong', centerLat: 22.32, centerLng: 114.17 };

export const GULOU: StoreRecord = { id: 11, code: 'FZ-GL01', name: 'Gulou', cityId: 1, cityName: 'Fuzhou', lat: 26.0862, lng: 119.2985, radiusM: 3000 };
export const TAIJIANG: StoreRecord = { id: 12, code: 'FZ-TJ02', name: 'Taijiang', cityId: 1, cityName: 'Fuzhou', lat: 26.0568, lng: 119.3121, radiusM: 3000 };
export const ZHONGSHAN: StoreRecord = { id: 21, code: 'XM-SM01', name: 'Zhongshan', cityId: 2, cityName: 'Xiamen', lat: 24.4561, lng: 118.0823, radiusM: 2500 };
export const MONGKOK: StoreRecord = { id: 31, code: 'HK-MK01', name: 'Mong Kok', cityId: 3, cityName: 'Hong Kong', lat: 22.3193, lng: 114.1694, radiusM: 2000 };

export const NOW = new Date('2025-06-01T00:00:00Z');

export function context(overrides: Partial<IncidentRowContext> = {}): IncidentRowContext {
  const stores = [GULOU, TAIJIANG, ZHONGSHAN, MONGKOK];
  return {
    coords: 'wgs84',
    assignNearest: false,
    citiesByKey: new Map([FUZHOU, XIAMEN, HK].map((c) => [c.key, c])),
    storesByCode: new Map(stores.map((s) => [s.code, s])),
    locator: createStoreLocator(stores),
    now: NOW,
    slaHours: SLA_HOURS_BY_SEVERITY,
    ...overrides,
  };
}
