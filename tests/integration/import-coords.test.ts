/**
 * --coords gcj02: a point given in GCJ-02 is stored as WGS-84, moved by the offset between the
 * two systems (a few hundred metres in Fuzhou); the same numbers as WGS-84 are stored as given.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../server/ingest/coords.js';
import { importFile } from '../../server/ingest/import-file.js';
import { distanceM } from '../../server/domain/geo.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hexwatch-coords-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Gulou store's door, WGS-84. */
const WGS = { lat: 26.0862, lng: 119.2985 };

describe.each(engines())('--coords on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
  });
  afterEach(async () => {
    await store.close();
  });

  it('gcj02 input is stored at the WGS-84 point, moved by the expected offset', async () => {
    const [gLng, gLat] = wgs84ToGcj02([WGS.lng, WGS.lat]);
    const expectedOffsetM = distanceM(WGS.lat, WGS.lng, gLat, gLng);
    expect(expectedOffsetM).toBeGreaterThan(300);
    const line = (id: string) => `${id},accident,other,1,2025-03-01T08:00:00+08:00,${gLat},${gLng},FZ-GL01`;
    const header = 'external_id,kind,category,severity,occurred_at,lat,lng,store_code';
    const gcjFile = join(dir, 'gcj.csv');
    writeFileSync(gcjFile, `${header}\n${line('gcj-1')}\n`);
    const asIsFile = join(dir, 'as-is.csv');
    writeFileSync(asIsFile, `${header}\n${line('wgs-1')}\n`);

    expect((await importFile(store, { profile: 'hexwatch', file: gcjFile, coords: 'gcj02' })).imported).toBe(1);
    expect((await importFile(store, { profile: 'hexwatch', file: asIsFile })).imported).toBe(1);
    const converted = (await store.incidentBySourceKey('import', 'gcj-1', { all: true }))!;
    const asIs = (await store.incidentBySourceKey('import', 'wgs-1', { all: true }))!;

    expect(distanceM(converted.lat, converted.lng, WGS.lat, WGS.lng)).toBeLessThan(1);
    expect([asIs.lat, asIs.lng]).toEqual([gLat, gLng]);
    expect(distanceM(converted.lat, converted.lng, asIs.lat, asIs.lng)).toBeCloseTo(expectedOffsetM, -1);
    expect(converted.cell).not.toBe(asIs.cell);
  });

  it('gcj02 applies to store files too', async () => {
    const [gLng, gLat] = wgs84ToGcj02([WGS.lng, WGS.lat]);
    const file = join(dir, 'stores-gcj.csv');
    writeFileSync(file, `city_key,city_name,tz,store_code,store_name,lat,lng\nfuzhou,Fuzhou,Asia/Shanghai,FZ-GCJ,GCJ store,${gLat},${gLng}\n`);
    await importFile(store, { profile: 'stores', file, coords: 'gcj02' });
    const s = (await store.listStores({ all: true })).find((x) => x.code === 'FZ-GCJ')!;
    expect(distanceM(s.lat, s.lng, WGS.lat, WGS.lng)).toBeLessThan(1);
  });
});
