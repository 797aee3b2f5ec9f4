import { describe, expect, it } from 'vitest';
import { hexwatchRowToIncident } from '../../../server/ingest/profiles/hexwatch.js';
import { RowError } from '../../../server/ingest/fields.js';
import type { Row } from '../../../server/ingest/fields.js';
import { wgs84ToGcj02 } from '../../../server/ingest/coords.js';
import { context, FUZHOU, GULOU, TAIJIANG, XIAMEN } from './context.js';

/** A valid accident at the Gulou store; each case changes a few fields. */
const BASE: Row = {
  external_id: 'ex-1',
  kind: 'accident',
  category: 'vehicle_collision',
  severity: '3',
  occurred_at: '2025-03-03T08:12:00+08:00',
  lat: '26.0871',
  lng: '119.3003',
  store_code: 'FZ-GL01',
};

function reject(row: Row, ctx = context()): string {
  try {
    hexwatchRowToIncident(row, ctx);
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
  throw new Error('expected the row to be rejected');
}

describe('hexwatch profile: valid rows', () => {
  it('maps a minimal row with defaults: source import, status open, SLA due time, one open event', () => {
    const i = hexwatchRowToIncident(BASE, context());
    expect(i).toMatchObject({
      kind: 'accident',
      category: 'vehicle_collision',
      severity: 3,
      lat: 26.0871,
      lng: 119.3003,
      cityId: FUZHOU.id,
      storeId: GULOU.id,
      source: 'import',
      externalId: 'ex-1',
      status: 'open',
      review: null,
      closedAt: null,
      resolution: null,
      photoUrls: [],
      riderId: null,
    });
    expect(i.occurredAt.toISOString()).toBe('2025-03-03T00:12:00.000Z');
    // severity 3: 48 h
    expect(i.dueAt!.toISOString()).toBe('2025-03-05T00:12:00.000Z');
    expect(i.events).toEqual([{ at: i.occurredAt, actor: 'import', fromStatus: null, toStatus: 'open', note: expect.any(String) }]);
  });

  it.each<[string, Row, Partial<ReturnType<typeof hexwatchRowToIncident>>]>([
    ['city without store', { ...BASE, store_code: '', city: 'xiamen', lat: '24.48', lng: '118.09' }, { cityId: XIAMEN.id, storeId: null }],
    ['store and its city', { ...BASE, city: 'fuzhou' }, { cityId: FUZHOU.id, storeId: GULOU.id }],
    ['ai detection defaults to pending review', { ...BASE, kind: 'exception', category: 'red_light', severity: '2', source: 'ai_vision', ai_label: 'red_light', ai_confidence: '0.88' }, { source: 'ai_vision', review: 'pending', aiLabel: 'red_light', aiConfidence: 0.88 }],
    ['explicit review', { ...BASE, source: 'ai_vision', review: 'confirmed' }, { review: 'confirmed' }],
    ['photo urls split on spaces and |', { ...BASE, photo_urls: 'https://a.example/1.jpg | http://b.example/2.jpg https://c.example/3' }, { photoUrls: ['https://a.example/1.jpg', 'http://b.example/2.jpg', 'https://c.example/3'] }],
    ['explicit due time', { ...BASE, due_at: '2030-01-01T00:00:00Z' }, { dueAt: new Date('2030-01-01T00:00:00Z') }],
    ['assigned with assignee', { ...BASE, status: 'assigned', assignee: 'ops-1' }, { status: 'assigned', assignee: 'ops-1' }],
    ['dismissed needs no resolution', { ...BASE, status: 'dismissed', closed_at: '2025-03-04T08:00:00+08:00' }, { status: 'dismissed', resolution: null }],
  ])('%s', (_name, row, expected) => {
    expect(hexwatchRowToIncident(row, context())).toMatchObject(expected);
  });

  it('closed rows get an open event and the closing event', () => {
    const i = hexwatchRowToIncident({ ...BASE, status: 'closed', closed_at: '2025-03-04T10:00:00+08:00', resolution: 'insurance_claim' }, context());
    expect(i.closedAt!.toISOString()).toBe('2025-03-04T02:00:00.000Z');
    expect(i.events.map((e) => [e.fromStatus, e.toStatus])).toEqual([[null, 'open'], ['open', 'closed']]);
  });

  it('--assign nearest picks the nearest covering store, within the given city if any', () => {
    const ctx = context({ assignNearest: true });
    // 300 m from Taijiang, 3.3 km from Gulou
    const near = hexwatchRowToIncident({ ...BASE, store_code: '', lat: '26.0595', lng: '119.3120' }, ctx);
    expect([near.storeId, near.cityId]).toEqual([TAIJIANG.id, FUZHOU.id]);
    const far = { ...BASE, store_code: '', lat: '26.30', lng: '119.60' };
    expect(reject(far, ctx)).toBe('city: is empty and no store covers the point');
    expect(hexwatchRowToIncident({ ...far, city: 'fuzhou' }, ctx)).toMatchObject({ storeId: null, cityId: FUZHOU.id });
    // store_code wins over --assign nearest
    expect(hexwatchRowToIncident({ ...BASE, lat: '26.0595', lng: '119.3120' }, ctx).storeId).toBe(GULOU.id);
  });

  it('--coords gcj02 stores the WGS-84 point', () => {
    const [gLng, gLat] = wgs84ToGcj02([119.3003, 26.0871]);
    const i = hexwatchRowToIncident({ ...BASE, lat: String(gLat), lng: String(gLng) }, context({ coords: 'gcj02' }));
    expect(i.lat).toBeCloseTo(26.0871, 5);
    expect(i.lng).toBeCloseTo(119.3003, 5);
  });
});

describe('hexwatch profile: rejected rows name the field', () => {
  it.each<[string, Row, string]>([
    ['missing id', { ...BASE, external_id: ' ' }, 'external_id: is empty'],
    ['unknown kind', { ...BASE, kind: 'crash' }, 'kind: is not one of accident, exception (got "crash")'],
    ['category of the other kind', { ...BASE, category: 'red_light' }, 'category: is not one of the accident categories'],
    ['unknown severity', { ...BASE, severity: '5' }, 'severity: is outside 1..4 (got "5")'],
    ['fractional severity', { ...BASE, severity: '2.5' }, 'severity: is not a whole number 1..4'],
    ['text severity', { ...BASE, severity: 'high' }, 'severity: is not a number (got "high")'],
    ['missing time', { ...BASE, occurred_at: '' }, 'occurred_at: is empty'],
    ['time without offset', { ...BASE, occurred_at: '2025-03-03 08:12' }, 'occurred_at: is not an ISO time with offset'],
    ['latitude 200', { ...BASE, lat: '200' }, 'lat: is outside -90..90 (got "200")'],
    ['no coordinates', { ...BASE, lat: '', lng: '' }, 'lat/lng: empty (no coordinates)'],
    ['non-numeric longitude', { ...BASE, lng: 'east' }, 'lng: is not a number (got "east")'],
    ['unknown store', { ...BASE, store_code: 'FZ-999' }, 'store_code: is not a known store (got "FZ-999")'],
    ['unknown city', { ...BASE, store_code: '', city: 'paris' }, 'city: is not a known city key (got "paris")'],
    ['store of another city', { ...BASE, city: 'xiamen' }, 'city: is not the city of store FZ-GL01'],
    ['neither store nor city', { ...BASE, store_code: '' }, 'city: is empty and store_code is empty'],
    ['unknown source', { ...BASE, source: 'fax' }, 'source: is not one of ai_vision, manual, import, bitable, api'],
    ['unknown status', { ...BASE, status: 'done' }, 'status: is not one of open, assigned'],
    ['closed without closed_at', { ...BASE, status: 'closed', resolution: 'other' }, 'closed_at: is required when status is closed'],
    ['closed without resolution', { ...BASE, status: 'closed', closed_at: '2025-03-04T00:00:00Z' }, 'resolution: is required when status is closed'],
    ['closed before it occurred', { ...BASE, status: 'closed', closed_at: '2025-03-01T00:00:00Z', resolution: 'other' }, 'closed_at: is before occurred_at'],
    ['open with closed_at', { ...BASE, closed_at: '2025-03-04T00:00:00Z' }, 'closed_at: must be empty unless status is closed or dismissed'],
    ['unknown resolution', { ...BASE, status: 'closed', closed_at: '2025-03-04T00:00:00Z', resolution: 'fixed' }, 'resolution: is not one of'],
    ['confidence above 1', { ...BASE, ai_confidence: '93' }, 'ai_confidence: is outside 0..1 (got "93")'],
    ['unknown review', { ...BASE, review: 'maybe' }, 'review: is not one of pending, confirmed, rejected'],
    ['photo that is not a URL', { ...BASE, photo_urls: 'file:///c/1.jpg' }, 'photo_urls: contains something that is not an http(s) URL'],
    ['bad due time', { ...BASE, due_at: 'tomorrow' }, 'due_at: is not an ISO time with offset'],
  ])('%s', (_name, row, message) => {
    expect(reject(row)).toContain(message);
  });
});
