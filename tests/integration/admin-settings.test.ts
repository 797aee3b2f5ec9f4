/**
 * The admins' settings reach the rules: the closure-rate target of the KPIs and the closure
 * chart, and the SLA hours behind a reopened incident's new due time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../server/store/security.js';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

describe.each(engines())('admin settings on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('moves the closure-rate target and the SLA of a reopen', async () => {
    const { fuzhou, fz1 } = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write([incident({ cityId: fuzhou.id, storeId: fz1.id, severity: 4, status: 'closed', resolution: 'other', closedAt: new Date() })]);
    await writer.commit();
    const admin = callerFor(store, user('admin'));
    const analyst = callerFor(store, user('analyst'));
    expect((await analyst.stats.kpis({})).target).toBe(0.9);
    // the map's share-closed classes end at this target (a viewer sees the map too)
    const viewer = callerFor(store, user('viewer'));
    expect(await viewer.stats.closureTarget()).toEqual({ target: 0.9 });

    await admin.admin.settings.save({ ...DEFAULT_SETTINGS, closureTarget: 0.75, slaHours: { ...DEFAULT_SETTINGS.slaHours, 4: 6 } });
    expect((await analyst.stats.kpis({})).target).toBe(0.75);
    expect((await analyst.stats.closureRate({ months: 2 })).target).toBe(0.75);
    expect(await viewer.stats.closureTarget()).toEqual({ target: 0.75 });

    const before = Date.now();
    const { incident: reopened } = await analyst.incidents.transition({ id: 1, to: 'open', expectedVersion: 1 });
    const dueInHours = (Date.parse(reopened.dueAt!) - before) / 3_600_000;
    expect(dueInHours).toBeGreaterThan(5.9);
    expect(dueInHours).toBeLessThan(6.1); // the admins' 6 h for severity 4, not the default 24 h
  });
});
