/** Small hand-made records for storage and router tests. */
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';

export function incident(overrides: Partial<IncidentInput> = {}): IncidentInput {
  const occurredAt = overrides.occurredAt ?? new Date('2024-03-05T03:30:00Z');
  return {
    kind: 'accident',
    category: 'vehicle_collision',
    severity: 2,
    occurredAt,
    lat: 26.0745,
    lng: 119.2965,
    cityId: 1,
    storeId: 1,
    riderId: 'R-00001',
    description: 'test',
    photoUrls: [],
    source: 'manual',
    externalId: 'x-1',
    aiLabel: null,
    aiConfidence: null,
    review: null,
    status: 'open',
    assignee: null,
    dueAt: new Date(occurredAt.getTime() + 72 * 3_600_000),
    closedAt: null,
    resolution: null,
    events: [{ at: occurredAt, actor: 'system', fromStatus: null, toStatus: 'open', note: null }],
    ...overrides,
  };
}

/** Two cities (Fuzhou in Asia/Shanghai, a UTC test city) with one store each. */
export async function seedPlaces(store: IncidentStore) {
  const fuzhou = await store.upsertCity({ key: 'fuzhou', name: 'Fuzhou', nameZh: '福州', tz: 'Asia/Shanghai', centerLat: 26.07, centerLng: 119.3 });
  const utc = await store.upsertCity({ key: 'utc-town', name: 'UTC Town', tz: 'UTC', centerLat: 51.48, centerLng: 0 });
  const [fz1, fz2] = await store.upsertStores([
    { code: 'FZ-001', name: 'Gulou', cityId: fuzhou.id, lat: 26.08, lng: 119.29, radiusM: 3000 },
    { code: 'FZ-002', name: 'Taijiang', cityId: fuzhou.id, lat: 26.05, lng: 119.31, radiusM: 3000 },
  ]);
  const [utc1] = await store.upsertStores([{ code: 'UT-001', name: 'Greenwich', cityId: utc.id, lat: 51.48, lng: 0, radiusM: 2500 }]);
  return { fuzhou, utc, fz1: fz1!, fz2: fz2!, utc1: utc1! };
}
