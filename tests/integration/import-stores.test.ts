/**
 * The stores profile round trip, the sample files the docs point at, and --assign nearest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../server/ingest/import-file.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hexwatch-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe.each(engines())('stores profile on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('round-trips the sample: cities and stores as in the file, radius defaulted', async () => {
    const report = await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    expect(report).toMatchObject({ rowsRead: 9, imported: 9, cities: 2, duplicates: 0, rejectedCount: 0 });
    const cities = await store.listCities();
    expect(cities.map(({ id: _id, ...c }) => c)).toEqual([
      { key: 'fuzhou', name: 'Fuzhou', nameZh: '福州', tz: 'Asia/Shanghai', centerLat: 26.0745, centerLng: 119.2965 },
      { key: 'xiamen', name: 'Xiamen', nameZh: '厦门', tz: 'Asia/Shanghai', centerLat: 24.4798, centerLng: 118.0894 },
    ]);
    const stores = await store.listStores({ all: true });
    expect(stores).toHaveLength(9);
    expect(stores.find((s) => s.code === 'FZ-GL01')).toMatchObject({ name: '鼓楼东街店', cityName: 'Fuzhou', lat: 26.0862, lng: 119.2985, radiusM: 3000 });
    expect(stores.find((s) => s.code === 'FZ-MW05')!.radiusM).toBe(3000);
    expect(stores.find((s) => s.code === 'XM-JM03')).toMatchObject({ cityName: 'Xiamen', radiusM: 4000 });

    // importing again changes nothing; an edited file updates by code and key
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    expect(await store.listStores({ all: true })).toEqual(stores);
    const edited = write('edited.csv', [
      'city_key,city_name,tz,store_code,store_name,lat,lng,radius_m',
      'fuzhou,Fuzhou,Asia/Shanghai,FZ-GL01,Gulou moved,26.09,119.30,2000',
      'fuzhou,Fuzhou,Asia/Shanghai,FZ-GL01,Gulou again,26.09,119.30,2000',
      'putian,Putian,Asia/Shanghai,PT-01,Chengxiang,25.43,119.01,',
      'putian,Putian,Europe/Paris,PT-02,Licheng,25.44,119.02,',
    ]);
    const r2 = await importFile(store, { profile: 'stores', file: edited });
    expect(r2).toMatchObject({ imported: 2, duplicates: 1, cities: 2, rejectedCount: 1 });
    expect(r2.rejected).toEqual([{ row: 4, field: 'tz', reason: 'tz: differs from "Asia/Shanghai" given for city putian in row 3 (got "Europe/Paris")' }]);
    const after = await store.listCities();
    // the centre and Chinese name stay when the file gives none; a new city is centred on its stores
    expect(after.find((c) => c.key === 'fuzhou')).toMatchObject({ name: 'Fuzhou', nameZh: '福州', centerLat: 26.0745 });
    expect(after.find((c) => c.key === 'putian')).toMatchObject({ centerLat: 25.43, centerLng: 119.01 });
    const moved = (await store.listStores({ all: true })).find((s) => s.code === 'FZ-GL01');
    expect(moved).toMatchObject({ id: stores.find((s) => s.code === 'FZ-GL01')!.id, name: 'Gulou moved', lat: 26.09, radiusM: 2000 });
  });

  it('renames a city that has stores', async () => {
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    const file = write('rename.csv', ['city_key,city_name,tz', 'fuzhou,Fuzhou City,Asia/Shanghai']);
    expect(await importFile(store, { profile: 'stores', file })).toMatchObject({ imported: 0, cities: 1, rejectedCount: 0 });
    expect((await store.listCities()).find((c) => c.key === 'fuzhou')).toMatchObject({ name: 'Fuzhou City', nameZh: '福州', centerLat: 26.0745 });
  });

  it('stores nothing when a row is bad in a way that needs a centre', async () => {
    const file = write('no-centre.csv', ['city_key,city_name,tz,store_code', 'ningde,Ningde,Asia/Shanghai,']);
    const r = await importFile(store, { profile: 'stores', file });
    expect(r).toMatchObject({ imported: 0, cities: 0, rejectedCount: 1 });
    expect(r.rejected[0]).toMatchObject({ row: 1, field: 'city_lat' });
    expect(await store.listCities()).toEqual([]);
  });

  it('imports the sample incidents after the sample stores: 20 rows, none rejected, stores attached', async () => {
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    const r = await importFile(store, { profile: 'hexwatch', file: join(SAMPLES, 'incidents-example.csv') });
    expect(r).toMatchObject({ rowsRead: 20, imported: 20, duplicates: 0, rejectedCount: 0 });
    const i = await store.incidentBySourceKey('ai_vision', 'ex-0004', { all: true });
    expect(i).toMatchObject({ kind: 'exception', category: 'red_light', status: 'closed', resolution: 'rider_coached', review: 'confirmed', aiConfidence: 0.88 });
    const gulou = (await store.listStores({ all: true })).find((s) => s.code === 'FZ-GL01')!;
    expect(i!.storeId).toBe(gulou.id);
    expect(await importFile(store, { profile: 'hexwatch', file: join(SAMPLES, 'incidents-example.csv') })).toMatchObject({ imported: 0, duplicates: 20 });
  });

  it('--assign nearest attaches incidents to the nearest covering store of any city, else to the given city only', async () => {
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    const file = write('assign.csv', [
      'external_id,kind,category,severity,occurred_at,lat,lng,city',
      'as-1,accident,other,1,2025-03-01T08:00:00+08:00,26.0595,119.3120,', // 300 m from FZ-TJ02
      'as-2,accident,other,1,2025-03-01T08:00:00+08:00,24.4570,118.0830,', // by XM-SM01
      'as-3,accident,other,1,2025-03-01T08:00:00+08:00,26.3000,119.6000,fuzhou', // no store near
      'as-4,accident,other,1,2025-03-01T08:00:00+08:00,26.3000,119.6000,', // no store, no city
    ]);
    const r = await importFile(store, { profile: 'hexwatch', file, assign: 'nearest' });
    expect(r).toMatchObject({ imported: 3, rejectedCount: 1 });
    expect(r.rejected[0]).toMatchObject({ row: 4, reason: 'city: is empty and no store covers the point' });
    const stores = await store.listStores({ all: true });
    const cities = await store.listCities();
    const code = async (id: string) => {
      const i = await store.incidentBySourceKey('import', id, { all: true });
      return [stores.find((s) => s.id === i!.storeId)?.code ?? null, cities.find((c) => c.id === i!.cityId)!.key];
    };
    expect(await code('as-1')).toEqual(['FZ-TJ02', 'fuzhou']);
    expect(await code('as-2')).toEqual(['XM-SM01', 'xiamen']);
    expect(await code('as-3')).toEqual([null, 'fuzhou']);
  });
});
