/**
 * The admin router on both engines: API keys shown once and stored hashed, revocation, users
 * with roles, stores and Feishu ids, stores created, edited and archived, settings; and how the
 * ingest rules follow them (archived stores, SLA hours).
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateBatch } from '../../server/api/ingest.js';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord } from '../support/ingest-client.js';

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe.each(engines())('admin on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  const admin = user('admin', [], 'admin-1');
  let caller: ReturnType<typeof callerFor>;

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    await store.upsertUsers([admin]);
    caller = callerFor(store, admin);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('shows an API key once, stores it hashed, and revokes it', async () => {
    const made = await caller.admin.apiKeys.create({ name: 'vision' });
    expect(made.key).toMatch(/^hwk_[0-9a-f]{12}_[\w-]{43}$/);
    expect(made.key).toContain(made.id);
    const listed = await caller.admin.apiKeys.list();
    const entry = listed.find((k) => k.id === made.id)!;
    expect(entry).toMatchObject({ name: 'vision', createdBy: 'admin-1', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(made.key.slice(-43));
    const secret = made.key.slice(-43);
    expect((await store.security.verifyApiKey(made.key))?.id).toBe(made.id);
    expect(await store.security.verifyApiKey(made.key.replace(secret, secret.split('').reverse().join('')))).toBeNull();
    await caller.admin.apiKeys.revoke({ id: made.id });
    expect(await store.security.verifyApiKey(made.key)).toBeNull();
    expect((await caller.admin.apiKeys.list()).find((k) => k.id === made.id)!.revokedAt).not.toBeNull();
    expect(await codeOf(caller.admin.apiKeys.revoke({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(caller.admin.apiKeys.create({ name: '' }))).toBe('BAD_REQUEST');
  });

  it('saves users with role, stores and Feishu id, refusing what would break access', async () => {
    const saved = await caller.admin.users.save({ id: 'mgr-1', name: 'Lin', role: 'store_manager', storeIds: [places.fz1.id], feishuOpenId: 'ou_lin' });
    expect(saved).toEqual({ id: 'mgr-1', name: 'Lin', role: 'store_manager', storeIds: [places.fz1.id], feishuOpenId: 'ou_lin', disabled: false });
    expect(await store.security.userIdByFeishuOpenId('ou_lin')).toBe('mgr-1');
    expect(await codeOf(caller.admin.users.save({ id: 'mgr-2', name: 'X', role: 'viewer', storeIds: [], feishuOpenId: 'ou_lin' }))).toBe('CONFLICT');
    expect(await codeOf(caller.admin.users.save({ id: 'mgr-2', name: 'X', role: 'viewer', storeIds: [999_999], feishuOpenId: null }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.admin.users.save({ id: 'admin-1', name: 'Me', role: 'viewer', storeIds: [], feishuOpenId: null }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.admin.users.save({ id: 'mgr-2', name: 'X', role: 'root' as 'admin', storeIds: [], feishuOpenId: null }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.admin.users.remove({ id: 'admin-1' }))).toBe('BAD_REQUEST');
  });

  it('removes a user with their sessions', async () => {
    await caller.admin.users.save({ id: 'gone', name: 'Gone', role: 'analyst', storeIds: [], feishuOpenId: null });
    const token = await store.createSession('gone', 3_600_000);
    await caller.admin.users.remove({ id: 'gone' });
    expect(await store.sessionUser(token)).toBeNull();
    expect(await store.getUser('gone')).toBeNull();
    expect(await codeOf(caller.admin.users.remove({ id: 'gone' }))).toBe('NOT_FOUND');
  });

  it('creates, edits and archives stores; the ingest API refuses archived ones', async () => {
    const created = await caller.admin.stores.save({ code: 'FZ-009', name: 'Cangshan', cityId: places.fuzhou.id, lat: 26.04, lng: 119.32, radiusM: 2500 });
    expect(created).toMatchObject({ code: 'FZ-009', radiusM: 2500, archived: false, city: 'Fuzhou' });
    const edited = await caller.admin.stores.save({ code: 'FZ-009', name: 'Cangshan', cityId: places.fuzhou.id, lat: 26.041, lng: 119.321, radiusM: 4000 });
    expect(edited).toMatchObject({ id: created.id, radiusM: 4000, lat: 26.041 });
    expect(await codeOf(caller.admin.stores.save({ code: 'X', name: 'X', cityId: 999, lat: 0, lng: 0, radiusM: 1000 }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.admin.stores.save({ code: 'X', name: 'X', cityId: places.fuzhou.id, lat: 0, lng: 0, radiusM: 10 }))).toBe('BAD_REQUEST');

    const batch = { incidents: [apiRecord({ storeCode: 'FZ-009', lat: 26.041, lng: 119.321 })] };
    expect((await validateBatch(store, batch, { now: new Date(), actor: 't', maxStoreRadii: 3 })).ok).toBe(true);
    await caller.admin.stores.archive({ id: created.id, archived: true });
    expect((await caller.admin.stores.list()).find((s) => s.id === created.id)?.archived).toBe(true);
    const refused = await validateBatch(store, batch, { now: new Date(), actor: 't', maxStoreRadii: 3 });
    expect(refused).toMatchObject({ ok: false, status: 422, errors: [{ index: 0, field: 'storeCode' }] });
    await caller.admin.stores.archive({ id: created.id, archived: false });
    expect((await validateBatch(store, batch, { now: new Date(), actor: 't', maxStoreRadii: 3 })).ok).toBe(true);
    expect(await codeOf(caller.admin.stores.archive({ id: 999_999, archived: true }))).toBe('NOT_FOUND');
  });

  it('keeps settings, and new API incidents are due by the saved SLA hours', async () => {
    const settings = await caller.admin.settings.get();
    expect(settings).toEqual({
      autoViewer: false,
      slaHours: { 1: 168, 2: 72, 3: 48, 4: 24 },
      closureTarget: 0.9,
      workLoop: { digestTimes: { default: '08:30' }, dailySummary: false, toStoreGroup: false, escalateAfterHours: 24 },
    });
    const saved = await caller.admin.settings.save({ ...settings, slaHours: { ...settings.slaHours, 2: 12 }, closureTarget: 0.85 });
    expect(saved.slaHours[2]).toBe(12);
    expect((await caller.admin.settings.get()).closureTarget).toBe(0.85);
    const result = await validateBatch(store, { incidents: [apiRecord({ severity: 2 })] }, { now: new Date(), actor: 't', maxStoreRadii: 3 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [i] = result.incidents;
    expect(i!.dueAt!.getTime() - i!.occurredAt.getTime()).toBe(12 * 3_600_000);
    expect(await codeOf(caller.admin.settings.save({ ...settings, closureTarget: 1.5 }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.admin.settings.save({ ...settings, slaHours: { ...settings.slaHours, 4: 0 } }))).toBe('BAD_REQUEST');
    // the work loop's settings: bounded, and kept when a form leaves them out
    expect(await codeOf(caller.admin.settings.save({ ...settings, workLoop: { ...settings.workLoop, digestTimes: { default: '25:00' } } }))).toBe('BAD_REQUEST');
    await caller.admin.settings.save({ ...settings, workLoop: { ...settings.workLoop, escalateAfterHours: 12 } });
    const { workLoop: _dropped, ...withoutWorkLoop } = settings;
    await caller.admin.settings.save(withoutWorkLoop);
    expect((await caller.admin.settings.get()).workLoop.escalateAfterHours).toBe(12);
  });
});
