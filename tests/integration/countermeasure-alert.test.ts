/**
 * The alert scan on both engines says when a cell with an `effective` countermeasure becomes a hot
 * spot again: the report lists it and the store's Feishu card names the countermeasure. The
 * generated data follow tests/integration/alert-scan.test.ts: a uniform background and a cluster
 * in the last complete week; the countermeasure's own history (40 accidents before, 4 after) lies
 * months earlier.
 */
import { cellToLatLng, cellToParent, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertScan } from '../../server/jobs/alert-scan.js';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { prng } from '../support/random-incidents.js';

const NOW = new Date('2024-03-13T04:00:00Z'); // Wednesday; last complete week in Fuzhou: 03-04 .. 03-10
const DAY_MS = 86_400_000;
const CURRENT_WEEK = Date.parse('2024-03-10T16:00:00Z');
const CLUSTER = { lat: 26.1, lng: 119.275 };
// the countermeasure: 2023-11-14 (Fuzhou), 120 days before NOW; its windows end 2024-01-09
const START_DATE = '2023-11-14';
const START_MS = Date.parse('2023-11-13T16:00:00Z');

describe.each(engines())('countermeasure note in the alert scan on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  const fixCell = latLngToCell(CLUSTER.lat, CLUSTER.lng, 9);
  const otherCell = latLngToCell(26.03, 119.35, 9); // far from the cluster

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    const r = prng(11);
    const rows: IncidentInput[] = [];
    for (let k = 0; k < 7000; k++) {
      const occurredAt = new Date(CURRENT_WEEK - 12 * 7 * DAY_MS + r.next() * 12 * 7 * DAY_MS);
      rows.push(incident({ externalId: `bg-${k}`, cityId: places.fuzhou.id, storeId: null, occurredAt, lat: 26.0 + r.next() * 0.13, lng: 119.23 + r.next() * 0.13, events: [] }));
    }
    for (let k = 0; k < 70; k++) {
      const occurredAt = new Date(CURRENT_WEEK - 7 * DAY_MS + r.next() * 7 * DAY_MS);
      rows.push(incident({ externalId: `cl-${k}`, cityId: places.fuzhou.id, storeId: null, occurredAt, lat: CLUSTER.lat + (r.next() - 0.5) * 0.007, lng: CLUSTER.lng + (r.next() - 0.5) * 0.007, events: [] }));
    }
    // FZ-001's history in both countermeasure cells: 40 accidents in the 8 weeks before, 4 after
    for (const [name, cell] of [['fix', fixCell], ['other', otherCell]] as const) {
      const [lat, lng] = cellToLatLng(cell);
      for (let k = 0; k < 44; k++) {
        const occurredAt = k < 40 ? new Date(START_MS - 56 * DAY_MS + (k + 0.5) * 1.4 * DAY_MS) : new Date(START_MS + (k - 39.5) * 14 * DAY_MS);
        rows.push(incident({ externalId: `${name}-${k}`, cityId: places.fuzhou.id, storeId: places.fz1.id, occurredAt, lat, lng, events: [] }));
      }
    }
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
    await store.alerts.setTarget({ storeId: places.fz1.id, channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: null, chatId: null, enabled: true }, NOW);
  });
  afterAll(async () => {
    await store.close();
  });

  it('names the effective countermeasure when its cell is a hot spot again', async () => {
    const create = (title: string, cell: string) =>
      store.countermeasures.create(
        { storeId: places.fz1.id, title, kind: 'signage', incidentKind: 'accident', startDate: START_DATE, owner: 'Li', note: null, cells: [cell] },
        'test-analyst',
        { all: true },
        NOW,
      );
    const fix = await create('Warning signs at the crossing', fixCell);
    const other = await create('Mirror at the gate', otherCell);
    expect((await store.countermeasures.evaluate(fix, NOW)).verdict).toBe('effective');
    expect((await store.countermeasures.evaluate(other, NOW)).verdict).toBe('effective');

    const report = await runAlertScan(store, { publicUrl: 'https://hexwatch.example.com', now: NOW });
    const clusterCell = cellToParent(fixCell, 8);
    const alert = report.created.find((a) => a.cell === clusterCell && a.storeId === places.fz1.id);
    expect(alert).toBeDefined();
    // only the cluster's cell is named, and only with the countermeasure inside it
    expect(report.reoccurred).toEqual([
      { alertId: alert!.id, storeId: places.fz1.id, cell: clusterCell, countermeasures: [{ id: fix.id, title: 'Warning signs at the crossing', startDate: START_DATE, rateRatio: 0.1 }] },
    ]);
    const outbox = await store.alerts.claimOutbox(new Date(NOW.getTime() + 1000), 60_000, 100);
    const card = JSON.stringify(outbox.find((o) => o.alertId === alert!.id)!.payload);
    expect(card).toContain('Warning signs at the crossing');
    expect(card).toContain(`#${fix.id}`);
    for (const o of outbox.filter((x) => x.alertId !== alert!.id)) expect(JSON.stringify(o.payload)).not.toContain('Countermeasure');
  });
});
