/**
 * Every tRPC procedure's access rule, keyed by path ("every procedure carries an access
 * rule"). tests/integration/access-matrix.test.ts fails for a procedure without a rule here, and
 * store-isolation.test.ts for a `scoped` one without an isolation probe.
 *
 * `access`: `public` (anyone, signed out too) or the roles let in; signed-out callers of
 * non-public procedures get UNAUTHORIZED, other roles FORBIDDEN.
 * `scoped`: the procedure returns or changes store data, so a store manager or viewer must only
 * ever reach their own stores' incidents.
 * `input`: an input a permitted caller may send; it may create what it needs (fresh incidents),
 * so that each call is independent of the calls before.
 */
import { DEFAULT_SETTINGS } from '../../server/store/security.js';
import type { Role } from '../../server/domain/incident.js';
import type { IncidentStore } from '../../server/store/types.js';
import { incident } from './fixtures.js';

export interface AccessFixture {
  store: IncidentStore;
  cityId: number;
  /** The store managers and viewers under test manage. */
  ownStoreId: number;
  /** A store none of them manages. */
  otherStoreId: number;
  /** A new incident (open, or a pending AI detection) of the given store; returns its id. */
  newIncident(storeId: number, opts?: { pendingReview?: boolean }): Promise<number>;
}

export interface AccessRule {
  access: 'public' | readonly Role[];
  scoped: boolean;
  input?: (fx: AccessFixture) => unknown;
}

const ALL_ROLES: readonly Role[] = ['admin', 'analyst', 'store_manager', 'viewer'];
const WORKERS: readonly Role[] = ['admin', 'analyst', 'store_manager'];
const ADMIN: readonly Role[] = ['admin'];

export const ACCESS_RULES: Record<string, AccessRule> = {
  'auth.config': { access: 'public', scoped: false },
  'auth.me': { access: 'public', scoped: false },
  'auth.demoUsers': { access: 'public', scoped: false },
  'auth.devLogin': { access: 'public', scoped: false, input: () => ({ userId: 'nobody' }) },
  'auth.feishuLogin': { access: 'public', scoped: false, input: () => ({ code: 'a-code' }) },
  'auth.logout': { access: 'public', scoped: false },
  // the basemap the client draws (no user data): the sign-in screen needs it before sign-in
  'config.client': { access: 'public', scoped: false },

  'admin.users.list': { access: ADMIN, scoped: false },
  'admin.users.save': {
    access: ADMIN,
    scoped: false,
    input: () => ({ id: 'matrix-user', name: 'Matrix', role: 'viewer', storeIds: [], feishuOpenId: null }),
  },
  'admin.users.remove': { access: ADMIN, scoped: false, input: () => ({ id: 'nobody' }) },
  'admin.stores.list': { access: ADMIN, scoped: false },
  'admin.stores.save': {
    access: ADMIN,
    scoped: false,
    input: (fx) => ({ code: 'MX-001', name: 'Matrix', cityId: fx.cityId, lat: 26.1, lng: 119.3, radiusM: 3000 }),
  },
  'admin.stores.archive': { access: ADMIN, scoped: false, input: () => ({ id: 999_999, archived: true }) },
  'admin.apiKeys.list': { access: ADMIN, scoped: false },
  'admin.apiKeys.create': { access: ADMIN, scoped: false, input: () => ({ name: 'matrix' }) },
  'admin.apiKeys.revoke': { access: ADMIN, scoped: false, input: () => ({ id: 'nope' }) },
  'admin.settings.get': { access: ADMIN, scoped: false },
  // the browser import's jobs (the upload itself is POST /api/admin/imports, tested over HTTP)
  'admin.imports.profiles': { access: ADMIN, scoped: false },
  'admin.imports.current': { access: ADMIN, scoped: false },
  'admin.imports.status': { access: ADMIN, scoped: false, input: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'admin.imports.cancel': { access: ADMIN, scoped: false, input: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'admin.settings.save': { access: ADMIN, scoped: false, input: () => DEFAULT_SETTINGS },

  'stores.list': { access: ALL_ROLES, scoped: true },
  'map.hexbins': { access: ALL_ROLES, scoped: true, input: () => ({ filters: {}, resolution: 7 }) },
  'incidents.list': { access: ALL_ROLES, scoped: true, input: () => ({ filters: {}, limit: 10 }) },
  'incidents.byId': { access: ALL_ROLES, scoped: true, input: async (fx) => ({ id: await fx.newIncident(fx.ownStoreId) }) },
  'incidents.transition': {
    access: WORKERS,
    scoped: true,
    input: async (fx) => ({ id: await fx.newIncident(fx.ownStoreId), to: 'assigned', expectedVersion: 1 }),
  },
  'incidents.close': {
    access: WORKERS,
    scoped: true,
    input: async (fx) => ({ id: await fx.newIncident(fx.ownStoreId), expectedVersion: 1, resolution: 'rider_coached', note: 'matrix' }),
  },
  'incidents.comment': {
    access: WORKERS,
    scoped: true,
    input: async (fx) => ({ id: await fx.newIncident(fx.ownStoreId), note: 'matrix' }),
  },
  'incidents.review': {
    access: WORKERS,
    scoped: true,
    input: async (fx) => ({ id: await fx.newIncident(fx.ownStoreId, { pendingReview: true }), decision: 'confirmed' }),
  },
  'incidents.myWork': { access: WORKERS, scoped: true },
  'stats.closureRate': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  // the settings' target only, no store data
  'stats.closureTarget': { access: ALL_ROLES, scoped: false },
  'stats.kpis': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'live.changes': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'stats.timeseries': { access: ALL_ROLES, scoped: true, input: () => ({ interval: 'month', split: 'kind' }) },
  'stats.categories': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'stats.hourOfWeek': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'stats.storeRanking': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'map.hotspots': { access: ALL_ROLES, scoped: true, input: () => ({ resolution: 8, mode: 'gi' }) },
  'map.exposureRates': { access: ALL_ROLES, scoped: true, input: () => ({ resolution: 8, filters: {} }) },
  'alerts.list': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'alerts.ack': { access: WORKERS, scoped: true, input: () => ({ id: 999999 }) },
  'alerts.ackMany': { access: WORKERS, scoped: true, input: () => ({ ids: [999999] }) },
  'alerts.deliveries': { access: ADMIN, scoped: false, input: () => ({}) },
  'alerts.targets': { access: ADMIN, scoped: false, input: () => ({}) },
  'alerts.resend': { access: ADMIN, scoped: false, input: () => ({ id: 999999 }) },
  'admin.cities.list': { access: ADMIN, scoped: false, input: () => undefined },
  'admin.cities.create': { access: ADMIN, scoped: false, input: () => ({ name: 'Access Town', nameZh: null, tz: 'UTC', centerLat: 1, centerLng: 1 }) },
  'admin.stores.changeCode': { access: ADMIN, scoped: false, input: (fx) => ({ id: fx.ownStoreId, code: 'ACCESS-1' }) },
  'alerts.setTarget': {
    access: ADMIN,
    scoped: false,
    input: (fx) => ({ storeId: fx.ownStoreId, channel: 'webhook', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' }),
  },

  // issue 16: countermeasures and AI trust
  'countermeasures.create': { access: WORKERS, scoped: true, input: (fx) => countermeasureInput(fx.ownStoreId) },
  'countermeasures.list': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'countermeasures.layer': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'countermeasures.byId': { access: ALL_ROLES, scoped: true, input: async (fx) => ({ id: await newCountermeasure(fx, fx.ownStoreId) }) },
  'countermeasures.update': {
    access: WORKERS,
    scoped: true,
    input: async (fx) => ({ id: await newCountermeasure(fx, fx.ownStoreId), version: 1, title: 'matrix, renamed' }),
  },
  'countermeasures.evaluate': { access: ALL_ROLES, scoped: true, input: async (fx) => ({ id: await newCountermeasure(fx, fx.ownStoreId) }) },
  'aiTrust.figures': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'aiTrust.queue': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'aiTrust.threshold': { access: ALL_ROLES, scoped: true, input: () => ({}) },
  'aiTrust.setThreshold': { access: ADMIN, scoped: false, input: () => ({ bulkThreshold: 0.9 }) },
  'aiTrust.bulkConfirm': { access: WORKERS, scoped: true, input: () => ({}) },
};

/** A valid countermeasure of `storeId` on a cell near the fixture's stores. */
export function countermeasureInput(storeId: number) {
  return { storeId, title: 'matrix', kind: 'signage' as const, startDate: '2024-01-01', owner: 'matrix', cells: ['8941aa0ab0bffff'] };
}

/** A new countermeasure of `storeId` (written directly, as an analyst); returns its id. */
export async function newCountermeasure(fx: AccessFixture, storeId: number): Promise<number> {
  const created = await fx.store.countermeasures.create({ ...countermeasureInput(storeId), incidentKind: 'accident', note: null }, 'matrix', { all: true }, new Date());
  return created.id;
}

let seq = 0;

/** A fixture on a fresh store: one city, two stores. */
export async function accessFixture(store: IncidentStore): Promise<AccessFixture> {
  const city = await store.upsertCity({ key: 'fuzhou', name: 'Fuzhou', nameZh: '福州', tz: 'Asia/Shanghai', centerLat: 26.07, centerLng: 119.3 });
  const [own, other] = await store.upsertStores([
    { code: 'FZ-001', name: 'Gulou', cityId: city.id, lat: 26.08, lng: 119.29, radiusM: 3000 },
    { code: 'FZ-002', name: 'Taijiang', cityId: city.id, lat: 26.05, lng: 119.31, radiusM: 3000 },
  ]);
  return {
    store,
    cityId: city.id,
    ownStoreId: own!.id,
    otherStoreId: other!.id,
    async newIncident(storeId, opts = {}) {
      const externalId = `fx-${process.pid}-${++seq}`;
      const source = opts.pendingReview ? 'ai_vision' : 'manual';
      const writer = await store.openIncidentWriter();
      const occurredAt = new Date(Date.now() - 3_600_000);
      const near = storeId === own!.id ? own! : other!;
      await writer.write([
        incident({
          externalId,
          source,
          cityId: city.id,
          storeId,
          lat: near.lat + 0.001,
          lng: near.lng + 0.001,
          occurredAt,
          dueAt: new Date(occurredAt.getTime() + 72 * 3_600_000),
          events: [{ at: occurredAt, actor: 'system', fromStatus: null, toStatus: 'open', note: null }],
          ...(opts.pendingReview
            ? { kind: 'exception', category: 'no_helmet', review: 'pending', aiLabel: 'no_helmet', aiConfidence: 0.9 }
            : {}),
        }),
      ]);
      await writer.commit();
      return (await store.incidentBySourceKey(source, externalId, { all: true }))!.id;
    },
  };
}
