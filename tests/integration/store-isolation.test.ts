/**
 * Store isolation, on both engines: a store manager (and a viewer) asking for another store's
 * incident by id, its events, its cells, its hexbins, its stats or its work list gets nothing of
 * it, and cannot change it. Every procedure whose access rule is `scoped` must have a probe here.
 */
import { TRPCError } from '@trpc/server';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStore, User } from '../../server/store/types.js';
import { ACCESS_RULES, accessFixture, countermeasureInput, newCountermeasure } from '../support/access-rules.js';
import type { AccessFixture } from '../support/access-rules.js';
import { callerFor, user } from '../support/caller.js';
import { collectLive } from '../support/live.js';
import { engines } from '../support/engines.js';
import { incident } from '../support/fixtures.js';

type Caller = ReturnType<typeof callerFor>;

interface World {
  fx: AccessFixture;
  store: IncidentStore;
  /** Incidents of the caller's store. */
  own: number[];
  /** Incidents of the other store (one a pending AI detection), and one of no store. */
  foreign: number[];
  /** H3 cells (resolution 11) of the foreign incidents. */
  foreignCells: string[];
  /** The user the probe calls as (subscriptions are read through a caller of their own). */
  currentUser?: User;
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** The foreign incidents exactly as they were: nothing changed, no event added. */
async function snapshot(w: World) {
  return Promise.all(w.foreign.map(async (id) => {
    const found = (await w.store.incidentById(id, { all: true }))!;
    return { version: found.incident.version, status: found.incident.status, review: found.incident.review, events: found.events.length };
  }));
}

/** One probe per scoped procedure: asserts nothing of another store reaches `caller`. */
const PROBES: Record<string, (caller: Caller, w: World) => Promise<void>> = {
  'stores.list': async (caller, w) => {
    const stores = await caller.stores.list();
    expect(stores.map((s) => s.id)).toEqual([w.fx.ownStoreId]);
  },
  'map.hexbins': async (caller, w) => {
    for (const resolution of [6, 9, 11]) {
      const all = await caller.map.hexbins({ resolution, filters: {} });
      expect(all.total).toBe(w.own.length);
      const asked = await caller.map.hexbins({ resolution, filters: { storeIds: [w.fx.otherStoreId] } });
      expect(asked.total).toBe(0);
      expect(asked.cells).toEqual([]);
    }
    const fine = await caller.map.hexbins({ resolution: 11, filters: {} });
    for (const cell of w.foreignCells) expect(fine.cells).not.toContain(cell);
  },
  'incidents.list': async (caller, w) => {
    const all = await caller.incidents.list({ filters: {}, limit: 200 });
    expect(all.items.map((i) => i.id).sort()).toEqual([...w.own].sort());
    const byStore = await caller.incidents.list({ filters: { storeIds: [w.fx.otherStoreId] }, limit: 200 });
    expect(byStore.total).toBe(0);
    for (const cell of w.foreignCells) {
      const byCell = await caller.incidents.list({ filters: {}, cell, limit: 200 });
      expect(byCell.items.filter((i) => w.foreign.includes(i.id))).toEqual([]);
    }
  },
  'incidents.byId': async (caller, w) => {
    for (const id of w.foreign) expect(await codeOf(caller.incidents.byId({ id }))).toBe('NOT_FOUND');
    // the same procedure does answer for an own incident, so the NOT_FOUND above means something
    expect(await codeOf(caller.incidents.byId({ id: w.own[0]! }))).toBe('OK');
  },
  'incidents.transition': async (caller, w) => {
    const before = await snapshot(w);
    for (const id of w.foreign) {
      for (const to of ['assigned', 'dismissed'] as const) {
        const code = await codeOf(caller.incidents.transition({ id, to, expectedVersion: 1, reason: 'not mine' }));
        expect(['NOT_FOUND', 'FORBIDDEN']).toContain(code);
      }
    }
    expect(await snapshot(w)).toEqual(before);
  },
  'incidents.close': async (caller, w) => {
    const before = await snapshot(w);
    for (const id of w.foreign) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(await codeOf(caller.incidents.close({ id, expectedVersion: 1, resolution: 'other', note: 'not mine' })));
    }
    expect(await snapshot(w)).toEqual(before);
  },
  'incidents.comment': async (caller, w) => {
    const before = await snapshot(w);
    for (const id of w.foreign) expect(['NOT_FOUND', 'FORBIDDEN']).toContain(await codeOf(caller.incidents.comment({ id, note: 'peek' })));
    expect(await snapshot(w)).toEqual(before);
  },
  'incidents.review': async (caller, w) => {
    const before = await snapshot(w);
    for (const id of w.foreign) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(await codeOf(caller.incidents.review({ id, decision: 'rejected', note: 'peek' })));
    }
    expect(await snapshot(w)).toEqual(before);
  },
  'incidents.myWork': async (caller, w) => {
    const code = await codeOf(caller.incidents.myWork());
    if (code !== 'OK') return expect(code).toBe('FORBIDDEN'); // viewers have no work list
    const work = await caller.incidents.myWork({ limit: 200 });
    const seen = [...work.work.items, ...work.reviews.items];
    expect(seen.filter((i) => w.foreign.includes(i.id))).toEqual([]);
    expect(seen.every((i) => i.storeId === w.fx.ownStoreId)).toBe(true);
  },
  'stats.closureRate': async (caller, w) => {
    for (const by of ['all', 'city', 'store'] as const) {
      const rate = await caller.stats.closureRate({ by, months: 3 });
      const occurred = rate.series.flatMap((s) => s.occurred).reduce((a, b) => a + b, 0);
      // pending AI detections are left out of the rate; every own incident here is a plain one
      expect(occurred, `by ${by}`).toBe(w.own.length);
      if (by === 'store') expect(rate.series.map((s) => s.id)).toEqual([w.fx.ownStoreId]);
    }
    const asked = await caller.stats.closureRate({ filters: { storeIds: [w.fx.otherStoreId] }, by: 'store', months: 3 });
    expect(asked.series.flatMap((s) => s.occurred).reduce((a, b) => a + b, 0)).toBe(0);
  },
  'live.changes': async (_caller, w) => {
    // every change since the start of the feed: the own incidents only
    const events = await collectLive(w.store, w.currentUser!, { lastEventId: '0' });
    const ids = events.map((e) => e.data).flatMap((d) => ('id' in d ? [d.id] : []));
    expect(ids.filter((id) => w.foreign.includes(id))).toEqual([]);
    for (const id of w.own) expect(ids).toContain(id);
    const asked = await collectLive(w.store, w.currentUser!, { lastEventId: '0', filters: { storeIds: [w.fx.otherStoreId] } });
    expect(asked).toEqual([]);
  },
  'stats.kpis': async (caller, w) => {
    const kpis = await caller.stats.kpis({});
    expect(kpis.incidents).toBe(w.own.length);
    expect(kpis.pendingReview).toBe(0);
    const asked = await caller.stats.kpis({ filters: { storeIds: [w.fx.otherStoreId] } });
    expect(asked.incidents).toBe(0);
  },
  'stats.timeseries': async (caller, w) => {
    const series = await caller.stats.timeseries({ filters: {}, interval: 'month', split: 'severity' });
    expect(series.series.flatMap((s) => s.counts).reduce((a, b) => a + b, 0)).toBe(w.own.length);
    const asked = await caller.stats.timeseries({ filters: { storeIds: [w.fx.otherStoreId] } });
    expect(asked.series.flatMap((s) => s.counts).reduce((a, b) => a + b, 0)).toBe(0);
  },
  'stats.categories': async (caller, w) => {
    const { items } = await caller.stats.categories({});
    expect(items.reduce((a, b) => a + b.count, 0)).toBe(w.own.length);
  },
  'stats.hourOfWeek': async (caller, w) => {
    const grid = await caller.stats.hourOfWeek({});
    expect(grid.counts.flat().reduce((a, b) => a + b, 0)).toBe(w.own.length);
  },
  'stats.storeRanking': async (caller, w) => {
    const ranking = await caller.stats.storeRanking({ filters: { from: '2000-01-01T00:00:00Z' } });
    expect(ranking.rows.map((r) => r.storeId)).toEqual([w.fx.ownStoreId]);
  },
  'map.exposureRates': async (caller, w) => {
    // per-cell deliveries of both stores on every day of the last 400 (a rate needs a store's cells
    // reported through the whole period): only the caller's store's cells come back
    const days = Array.from({ length: 400 }, (_, k) => new Date(Date.now() + 8 * 3_600_000 - (k + 1) * 86_400_000).toISOString().slice(0, 10));
    const ownCell = (await caller.map.hexbins({ resolution: 11, filters: {} })).cells[0]!;
    await w.store.exposure.write(
      days.flatMap((day) => [
        { storeId: w.fx.ownStoreId, day, cell: ownCell, deliveries: 100 },
        ...[...new Set(w.foreignCells)].map((cell) => ({ storeId: w.fx.otherStoreId, day, cell, deliveries: 100 })),
      ]),
      new Date(),
    );
    const rates = await caller.map.exposureRates({ resolution: 11, filters: {} });
    expect(rates.cells).toContain(ownCell);
    for (const cell of w.foreignCells) expect(rates.cells).not.toContain(cell);
  },
  'map.hotspots': async (caller, w) => {
    const gi = await caller.map.hotspots({ resolution: 11, mode: 'gi' });
    expect(gi.mode === 'gi' && gi.count.reduce((a, b) => a + b, 0)).toBe(w.own.length);
    for (const cell of w.foreignCells) expect(gi.cells).not.toContain(cell);
  },
  'alerts.list': async (caller, w) => {
    const [foreign] = await w.store.alerts.recordAlerts(
      [{ storeId: w.fx.otherStoreId, cityId: w.fx.cityId, cell: latLngToCell(26.2, 119.4, 8), resolution: 8, episode: '2024-01-01',
         week: '2024-01-01', class: 'new_hot', z: 4, weekCount: 5, totalCount: 5, weeks: 12 }],
      () => ({}),
      new Date(),
    );
    const listed = await caller.alerts.list({});
    expect(listed.items.every((a) => a.storeId === w.fx.ownStoreId)).toBe(true);
    if (foreign) expect(await codeOf(caller.alerts.ack({ id: foreign.id }))).not.toBe('OK');
  },
  'alerts.ack': async (caller, w) => {
    const foreign = (await w.store.alerts.listAlerts({ scope: { all: false, storeIds: [w.fx.otherStoreId] }, limit: 10 }))[0];
    if (!foreign) return;
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(await codeOf(caller.alerts.ack({ id: foreign.id })));
    const after = await w.store.alerts.listAlerts({ scope: { all: true }, limit: 100 });
    expect(after.find((a) => a.id === foreign.id)!.ackedAt).toBeNull();
  },
  'alerts.ackMany': async (caller, w) => {
    const cell = latLngToCell(26.21, 119.41, 8);
    const input = (storeId: number, episode: string) => ({ storeId, cityId: w.fx.cityId, cell, resolution: 8, episode, week: episode,
      class: 'new_hot' as const, z: 4, weekCount: 5, totalCount: 5, weeks: 12 });
    const recorded = await w.store.alerts.recordAlerts([input(w.fx.ownStoreId, '2024-02-05'), input(w.fx.otherStoreId, '2024-02-05')], () => ({}), new Date());
    const own = recorded.find((a) => a.storeId === w.fx.ownStoreId);
    const foreign = recorded.find((a) => a.storeId === w.fx.otherStoreId);
    // one of another store among them: refused, and neither is acknowledged (all or none)
    expect(await codeOf(caller.alerts.ackMany({ ids: [own!.id, foreign!.id] }))).toBe('NOT_FOUND');
    expect(await codeOf(caller.alerts.ackMany({ ids: [foreign!.id] }))).toBe('NOT_FOUND');
    const after = await w.store.alerts.listAlerts({ scope: { all: true }, limit: 200 });
    expect(after.find((a) => a.id === foreign!.id)!.ackedAt).toBeNull();
    expect(after.find((a) => a.id === own!.id)!.ackedAt).toBeNull();
    // its own store's alert alone: acknowledged, by the caller
    expect(await caller.alerts.ackMany({ ids: [own!.id] })).toEqual({ acked: 1 });
    const acked = (await w.store.alerts.listAlerts({ scope: { all: true }, limit: 200 })).find((a) => a.id === own!.id)!;
    expect(acked.ackedBy).toBe(w.currentUser!.id);
    expect(await caller.alerts.ackMany({ ids: [own!.id] })).toEqual({ acked: 0 }); // idempotent
  },
  'countermeasures.create': async (caller, w) => {
    const before = (await w.store.countermeasures.list({ scope: { all: true }, limit: 500 })).length;
    expect(await codeOf(caller.countermeasures.create(countermeasureInput(w.fx.otherStoreId)))).toBe('BAD_REQUEST');
    expect((await w.store.countermeasures.list({ scope: { all: true }, limit: 500 })).length).toBe(before);
  },
  'countermeasures.list': async (caller, w) => {
    await newCountermeasure(w.fx, w.fx.otherStoreId);
    const listed = await caller.countermeasures.list({ storeIds: [w.fx.otherStoreId] });
    expect(listed).toEqual([]);
    expect((await caller.countermeasures.list({})).every((c) => c.storeId === w.fx.ownStoreId)).toBe(true);
  },
  'countermeasures.layer': async (caller, w) => {
    await newCountermeasure(w.fx, w.fx.otherStoreId);
    expect((await caller.countermeasures.layer({})).every((c) => c.storeId === w.fx.ownStoreId)).toBe(true);
  },
  'countermeasures.byId': async (caller, w) => {
    const id = await newCountermeasure(w.fx, w.fx.otherStoreId);
    expect(await codeOf(caller.countermeasures.byId({ id }))).toBe('NOT_FOUND');
    expect(await codeOf(caller.countermeasures.byId({ id: await newCountermeasure(w.fx, w.fx.ownStoreId) }))).toBe('OK');
  },
  'countermeasures.update': async (caller, w) => {
    const id = await newCountermeasure(w.fx, w.fx.otherStoreId);
    expect(await codeOf(caller.countermeasures.update({ id, version: 1, title: 'taken over' }))).toBe('NOT_FOUND');
    expect((await w.store.countermeasures.byId(id, { all: true }))!).toMatchObject({ title: 'matrix', version: 1 });
  },
  'countermeasures.evaluate': async (caller, w) => {
    const id = await newCountermeasure(w.fx, w.fx.otherStoreId);
    expect(await codeOf(caller.countermeasures.evaluate({ id }))).toBe('NOT_FOUND');
  },
  'aiTrust.figures': async (caller, w) => {
    // the other store holds a pending AI detection; the own store none
    const figures = await caller.aiTrust.figures({});
    expect(figures.byCategory).toEqual([]);
    expect((await w.store.aiTrust.figures({ now: new Date() }, { all: true })).byCategory.length).toBeGreaterThan(0);
  },
  'aiTrust.queue': async (caller, w) => {
    const queue = await caller.aiTrust.queue({});
    for (const id of w.foreign) expect(queue.items.map((i) => i.id)).not.toContain(id);
    expect(queue.total).toBe(0);
  },
  'aiTrust.threshold': async (caller) => {
    // nothing decided in the caller's stores: no suggestion, whatever other stores decided
    expect((await caller.aiTrust.threshold({})).suggested.samples).toBe(0);
  },
  'aiTrust.bulkConfirm': async (caller, w) => {
    await w.store.aiTrust.setBulkThreshold(0.5);
    const before = await snapshot(w);
    const result = await caller.aiTrust.bulkConfirm({});
    expect(result.confirmed).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
  },
};

describe('every scoped procedure has an isolation probe', () => {
  it('covers each procedure whose access rule is scoped', () => {
    const scoped = Object.entries(ACCESS_RULES).filter(([, r]) => r.scoped).map(([p]) => p);
    expect(scoped.filter((p) => !(p in PROBES)), 'scoped procedures without a probe').toEqual([]);
  });
});

describe.each(engines())('store isolation on $engine', ({ open }) => {
  let w: World;
  const callers: Array<[string, User]> = [];

  beforeAll(async () => {
    const store = await open();
    const fx = await accessFixture(store);
    const own = [await fx.newIncident(fx.ownStoreId), await fx.newIncident(fx.ownStoreId)];
    const foreign = [await fx.newIncident(fx.otherStoreId), await fx.newIncident(fx.otherStoreId, { pendingReview: true })];
    // an incident of no store (outside every delivery area): never a store manager's
    const writer = await store.openIncidentWriter();
    await writer.write([incident({ externalId: 'no-store', cityId: fx.cityId, storeId: null, lat: 26.2, lng: 119.5, occurredAt: new Date(Date.now() - 7_200_000), dueAt: null })]);
    await writer.commit();
    foreign.push((await store.incidentBySourceKey('manual', 'no-store', { all: true }))!.id);
    const foreignCells = await Promise.all(
      foreign.map(async (id) => {
        const i = (await store.incidentById(id, { all: true }))!.incident;
        return latLngToCell(i.lat, i.lng, 11);
      }),
    );
    w = { fx, store, own, foreign, foreignCells };
    const manager = user('store_manager', [fx.ownStoreId], 'iso-manager');
    const viewer = user('viewer', [fx.ownStoreId], 'iso-viewer');
    // the other store's manager exists, so "assign to someone of that store" is a real option
    await store.upsertUsers([manager, viewer, user('store_manager', [fx.otherStoreId], 'iso-other-manager')]);
    callers.push(['store manager', manager], ['viewer', viewer]);
  });
  afterAll(async () => {
    await w?.store.close();
  });

  for (const [path, probe] of Object.entries(PROBES)) {
    it(`${path} gives a store manager and a viewer nothing of another store`, async () => {
      for (const [, u] of callers) {
        const rule = ACCESS_RULES[path]!;
        const caller = callerFor(w.store, u);
        if (rule.access !== 'public' && !rule.access.includes(u.role)) {
          // refused outright: nothing to leak, as long as it is refused (the access matrix checks how)
          continue;
        }
        await probe(caller, { ...w, currentUser: u });
      }
    });
  }
});
