/**
 * Admin gaps (issue 20) through createCaller on both engines: create a city, change a store's code
 * with its history kept, see an alert's deliveries with their error and re-send a failed one
 * (against the local fake Feishu). Bad input names the field and leaves stored data as it was.
 */
import { TRPCError } from '@trpc/server';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCard } from '../../server/feishu/card.js';
import { deliverDue, notifierFactory } from '../../server/feishu/delivery.js';
import type { Alert } from '../../server/store/alerts.js';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { FAKE_APP, startFakeFeishu } from '../support/fake-feishu.js';
import type { FakeFeishu } from '../support/fake-feishu.js';
import { incident, seedPlaces } from '../support/fixtures.js';

async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error('expected a TRPCError');
}

describe.each(engines())('admin gaps on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  let fake: FakeFeishu;
  const admin = () => callerFor(store, user('admin'));

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    fake = await startFakeFeishu();
    const writer = await store.openIncidentWriter();
    await writer.write([incident({ cityId: places.fuzhou.id, storeId: places.fz1.id, externalId: 'gap-1', lat: 26.08, lng: 119.29 })]);
    await writer.commit();
  });
  afterAll(async () => {
    await fake?.close();
    await store?.close();
  });

  it('creates a city with name, zh name, time zone and centre', async () => {
    const city = await admin().admin.cities.create({ name: 'Hong Kong', nameZh: '香港', tz: 'Asia/Hong_Kong', centerLat: 22.32, centerLng: 114.17 });
    expect(city).toMatchObject({ key: 'hong-kong', name: 'Hong Kong', nameZh: '香港', tz: 'Asia/Hong_Kong', centerLat: 22.32, centerLng: 114.17 });
    expect((await store.listCities()).find((c) => c.key === 'hong-kong')).toMatchObject({ id: city.id, tz: 'Asia/Hong_Kong' });
    // a store can be placed in it at once
    const saved = await admin().admin.stores.save({ code: 'HK-001', name: 'Mong Kok', cityId: city.id, lat: 22.3193, lng: 114.1694, radiusM: 2000 });
    expect(saved).toMatchObject({ city: 'Hong Kong', previousCodes: [] });
  });

  it('refuses a bad time zone, a bad centre and a second city of the same name, changing nothing', async () => {
    const before = await store.listCities();
    const badTz = await errorOf(admin().admin.cities.create({ name: 'Nowhere', nameZh: null, tz: 'Mars/Olympus', centerLat: 0, centerLng: 0 }));
    expect(badTz.code).toBe('BAD_REQUEST');
    expect(badTz.message).toMatch(/tz.*IANA time zone/s);
    const badLat = await errorOf(admin().admin.cities.create({ name: 'Nowhere', nameZh: null, tz: 'UTC', centerLat: 91, centerLng: 0 }));
    expect(badLat.message).toMatch(/centerLat/);
    const twice = await errorOf(admin().admin.cities.create({ name: 'hong kong', nameZh: null, tz: 'UTC', centerLat: 0, centerLng: 0 }));
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toMatch(/^name: /);
    expect(await store.listCities()).toEqual(before);
  });

  it('changes a store code keeping the store, its incidents and the old code', async () => {
    const result = await admin().admin.stores.changeCode({ id: places.fz1.id, code: 'FZ-101' });
    expect(result).toEqual({ ok: true, changed: true });
    const listed = (await admin().admin.stores.list()).find((s) => s.id === places.fz1.id)!;
    expect(listed).toMatchObject({ code: 'FZ-101', name: 'Gulou', previousCodes: ['FZ-001'] });
    const kept = await store.incidentBySourceKey('manual', 'gap-1', { all: true });
    expect(kept).toMatchObject({ storeId: places.fz1.id });
    // the incidents are found under the store, now with its new code
    const page = await store.listIncidents({ filters: { storeIds: [places.fz1.id] }, sort: 'newest', limit: 10, now: new Date() }, { all: true });
    expect(page.items.map((i) => i.id)).toEqual([kept!.id]);
    // a second change adds to the history
    await admin().admin.stores.changeCode({ id: places.fz1.id, code: 'FZ-201' });
    expect((await admin().admin.stores.list()).find((s) => s.id === places.fz1.id)).toMatchObject({ code: 'FZ-201', previousCodes: ['FZ-001', 'FZ-101'] });
  });

  it('refuses a code another store has, and an unknown store, changing nothing', async () => {
    const before = await admin().admin.stores.list();
    const taken = await errorOf(admin().admin.stores.changeCode({ id: places.fz1.id, code: 'FZ-002' }));
    expect(taken.code).toBe('CONFLICT');
    expect(taken.message).toMatch(/^code: another store already has the code "FZ-002"/);
    expect((await errorOf(admin().admin.stores.changeCode({ id: 999_999, code: 'X' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(admin().admin.stores.changeCode({ id: places.fz1.id, code: '  ' }))).message).toMatch(/code/);
    expect(await admin().admin.stores.list()).toEqual(before);
  });

  it('shows an alert\'s deliveries with their error and re-sends a failed one once the target is fixed', async () => {
    const at = new Date();
    // the group's bot checks signatures with another secret: Feishu refuses (19021, permanent)
    const url = fake.addHook('hook-gap', 'right-secret');
    await store.alerts.setTarget({ storeId: places.fz2.id, channel: 'webhook', webhookUrl: url, webhookSecret: 'wrong-secret', chatId: null, enabled: true }, at);
    const input = { storeId: places.fz2.id, cityId: places.fuzhou.id, cell: latLngToCell(26.05, 119.31, 9), resolution: 9, episode: '2024-03-04', week: '2024-03-04', class: 'new_hot' as const, z: 4, weekCount: 9, totalCount: 12, weeks: 12 };
    const [alert] = await store.alerts.recordAlerts([input], (a: Alert) => alertCard({ ...a, lat: 26.05, lng: 119.31 }, 'https://hexwatch.example.com'), at);
    const deliver = () => deliverDue(store.alerts, notifierFactory({ baseUrl: fake.url, ...FAKE_APP }), { now: () => new Date() });
    expect(await deliver()).toMatchObject({ failed: 1, sent: 0 });

    const [failed, ...more] = await admin().alerts.deliveries({ alertId: alert!.id });
    expect(more).toHaveLength(0);
    expect(failed).toMatchObject({ alertId: alert!.id, status: 'failed', lastCode: 19021 });
    expect(failed!.lastError).toBeTruthy();
    // only failed deliveries are re-sent
    const unknown = await errorOf(admin().alerts.resend({ id: 999_999 }));
    expect(unknown.code).toBe('NOT_FOUND');

    await admin().alerts.setTarget({ storeId: places.fz2.id, channel: 'webhook', webhookSecret: 'right-secret' });
    expect(await admin().alerts.resend({ id: failed!.id })).toEqual({ ok: true });
    expect((await admin().alerts.deliveries({ alertId: alert!.id }))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await errorOf(admin().alerts.resend({ id: failed!.id }));
    expect(again.code).toBe('CONFLICT');
    expect(await deliver()).toMatchObject({ sent: 1, failed: 0 });
    expect((await admin().alerts.deliveries({ alertId: alert!.id }))[0]).toMatchObject({ status: 'sent' });
    expect(fake.delivered.filter((d) => d.via === 'webhook')).toHaveLength(1);
  });
});
