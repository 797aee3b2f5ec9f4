import { describe, expect, it } from 'vitest';
import { hkTdRowToIncident } from '../../../server/ingest/profiles/hk-td.js';
import { RowError } from '../../../server/ingest/fields.js';
import type { Row } from '../../../server/ingest/fields.js';
import { context, HK, MONGKOK } from './context.js';

/** Row 4 of the published file. */
const BASE: Row = {
  id: '4',
  occurred_at: '2014-01-01T05:22:00+08:00',
  severity: 'Slight',
  latitude: '22.503214',
  longitude: '114.123525',
  collision_type: 'Vehicle collision with Vehicle',
  vehicles: '3',
  casualties: '2',
  district: 'N',
  street: 'PO SHEK WU ROAD',
  hit_and_run: 'TRUE',
  weather: 'Dull',
  light: 'Dark',
  road_hierarchy: 'Main Road',
};

function reject(row: Row): string {
  try {
    hkTdRowToIncident(row, context());
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
  throw new Error('expected the row to be rejected');
}

describe('hk-td profile', () => {
  it('maps a record: closed historical accident in Hong Kong with SLA due time and a description', () => {
    const i = hkTdRowToIncident(BASE, context());
    expect(i).toMatchObject({
      kind: 'accident',
      category: 'vehicle_collision',
      severity: 2,
      lat: 22.503214,
      lng: 114.123525,
      cityId: HK.id,
      storeId: null,
      source: 'import',
      externalId: 'hk-td-4',
      status: 'closed',
      resolution: 'no_action_needed',
      riderId: null,
    });
    expect(i.occurredAt.toISOString()).toBe('2013-12-31T21:22:00.000Z');
    expect(i.closedAt).toEqual(i.occurredAt);
    // severity 2: 72 h
    expect(i.dueAt!.getTime() - i.occurredAt.getTime()).toBe(72 * 3_600_000);
    expect(i.description).toBe('PO SHEK WU ROAD (North); vehicle collision with vehicle; 3 vehicles, 2 casualties; hit and run; Dull, Dark, Main Road');
    expect(i.events).toEqual([{ at: i.occurredAt, actor: 'import', fromStatus: null, toStatus: 'closed', note: expect.stringContaining('Transport Department') }]);
  });

  it.each([
    ['Fatal', 4],
    ['Serious', 3],
    ['Slight', 2],
  ] as const)('severity %s -> %i', (severity, expected) => {
    expect(hkTdRowToIncident({ ...BASE, severity }, context()).severity).toBe(expected);
  });

  it.each([
    ['Vehicle collision with Vehicle', 'vehicle_collision'],
    ['Vehicle collision with Pedestrian', 'pedestrian_collision'],
    ['Vehicle collision with Nothing', 'single_vehicle_fall'],
    ['Vehicle collision with Object', 'property_damage'],
    ['Pedestrian', 'pedestrian_collision'],
  ] as const)('collision %s -> %s', (collision_type, category) => {
    expect(hkTdRowToIncident({ ...BASE, collision_type }, context()).category).toBe(category);
  });

  it('describes sparse rows without empty parts and skips "Not known"', () => {
    const row = { ...BASE, street: '', vehicles: '1', casualties: '1', hit_and_run: 'FALSE', weather: 'Not known', light: '', road_hierarchy: '' };
    expect(hkTdRowToIncident(row, context()).description).toBe('North; vehicle collision with vehicle; 1 vehicle, 1 casualty');
  });

  it('--assign nearest only takes Hong Kong stores', () => {
    const ctx = context({ assignNearest: true });
    expect(hkTdRowToIncident({ ...BASE, latitude: '22.3200', longitude: '114.1700' }, ctx).storeId).toBe(MONGKOK.id);
    expect(hkTdRowToIncident(BASE, ctx).storeId).toBeNull();
  });

  it.each<[string, Row, string]>([
    ['no coordinates', { ...BASE, latitude: '', longitude: '' }, 'latitude/longitude: empty (no coordinates)'],
    ['latitude 200', { ...BASE, latitude: '200' }, 'latitude: is outside -90..90 (got "200")'],
    ['unknown severity', { ...BASE, severity: 'Minor' }, 'severity: is not Fatal, Serious or Slight (got "Minor")'],
    ['missing time', { ...BASE, occurred_at: '' }, 'occurred_at: is empty'],
    ['unknown collision', { ...BASE, collision_type: 'Vehicle collision with Train' }, 'collision_type: is not "Vehicle collision with" Vehicle, Pedestrian, Nothing or Object'],
    ['non-numeric vehicles', { ...BASE, vehicles: 'two' }, 'vehicles: is not a number (got "two")'],
    ['negative casualties', { ...BASE, casualties: '-1' }, 'casualties: is outside 0..10000'],
    ['bad hit_and_run', { ...BASE, hit_and_run: 'YES' }, 'hit_and_run: is not TRUE or FALSE'],
    ['missing id', { ...BASE, id: '' }, 'id: is empty'],
  ])('rejects %s', (_name, row, message) => {
    expect(reject(row)).toContain(message);
  });
});
