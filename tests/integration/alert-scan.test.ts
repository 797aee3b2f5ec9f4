/**
 * The alert scan on generated data: a cluster planted in the last complete week near one store is
 * found as an emerging hot spot and alerts exactly that store, once per episode; on both engines.
 */
import { cellToParent, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CLASSES } from '../../server/domain/hotspots/emerging.js';
import { distanceM } from '../../server/domain/geo.js';
import { runAlertScan } from '../../server/jobs/alert-scan.js';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { prng } from '../support/random-incidents.js';

// Wednesday; in Fuzhou (UTC+8) the current week began Monday 2024-03-11, the last complete one 03-04
const NOW = new Date('2024-03-13T04:00:00Z');
const WEEK_MS = 7 * 86_400_000;
const CURRENT_WEEK = Date.parse('2024-03-10T16:00:00Z'); // Monday 00:00 in Fuzhou
const CLUSTER = { lat: 26.1, lng: 119.275 };

function generate(cityId: number, seed: number): IncidentInput[] {
  const r = prng(seed);
  const rows: IncidentInput[] = [];
  // spatially and temporally uniform background over both stores' areas, 12 weeks before now
  for (let k = 0; k < 7000; k++) {
    const occurredAt = new Date(CURRENT_WEEK - 12 * WEEK_MS + r.next() * 12 * WEEK_MS);
    rows.push(incident({ externalId: `bg-${k}`, cityId, storeId: null, occurredAt, lat: 26.0 + r.next() * 0.13, lng: 119.23 + r.next() * 0.13, events: [] }));
  }
  // the planted cluster: 70 incidents within ~400 m, all in the last complete week
  for (let k = 0; k < 70; k++) {
    const occurredAt = new Date(CURRENT_WEEK - WEEK_MS + r.next() * WEEK_MS);
    rows.push(incident({
      externalId: `cl-${k}`, cityId, storeId: null, occurredAt,
      lat: CLUSTER.lat + (r.next() - 0.5) * 0.007, lng: CLUSTER.lng + (r.next() - 0.5) * 0.007, events: [],
    }));
  }
  return rows;
}

describe.each(engines())('alert scan on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write(generate(places.fuzhou.id, 7));
    await writer.commit();
  });
  afterAll(async () => {
    await store.close();
  });

  it('finds the planted cluster as a new hot spot and alerts exactly the store around it, once', async () => {
    // the cluster lies in FZ-001's 3 km radius and outside FZ-002's
    expect(distanceM(CLUSTER.lat, CLUSTER.lng, places.fz1.lat, places.fz1.lng)).toBeLessThan(3000);
    expect(distanceM(CLUSTER.lat, CLUSTER.lng, places.fz2.lat, places.fz2.lng)).toBeGreaterThan(3000 + 1000);
    const report = await runAlertScan(store, { publicUrl: 'https://hexwatch.example.com', now: NOW });
    expect(report.cities).toBe(1);
    expect(report.created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(report.created.map((a) => a.storeId))).toEqual(new Set([places.fz1.id]));
    const clusterCell = latLngToCell(CLUSTER.lat, CLUSTER.lng, 8);
    const alerted = report.created.map((a) => a.cell);
    expect(alerted).toContain(clusterCell);
    for (const a of report.created) {
      expect(['new_hot', 'consecutive_hot', 'intensifying_hot']).toContain(a.class);
      expect(ALERT_CLASSES).toContain(a.class);
      expect(a.week).toBe('2024-03-04');
      expect(cellToParent(a.cell, 8)).toBe(a.cell);
    }
    const atCluster = report.created.find((a) => a.cell === clusterCell)!;
    expect(atCluster).toMatchObject({ class: 'new_hot', episode: '2024-03-04', resolution: 8 });
    expect(atCluster.weekCount).toBeGreaterThan(30);

    // the next scan in the same week (and the day after) alerts nothing new: same episode
    expect((await runAlertScan(store, { publicUrl: 'https://x', now: NOW })).created).toEqual([]);
    expect((await runAlertScan(store, { publicUrl: 'https://x', now: new Date(NOW.getTime() + 86_400_000) })).created).toEqual([]);
    const listed = await store.alerts.listAlerts({ scope: { all: true }, limit: 100 });
    expect(listed).toHaveLength(report.created.length);
    // store managers of the other store see none of them
    expect(await store.alerts.listAlerts({ scope: { all: false, storeIds: [places.fz2.id] }, limit: 100 })).toEqual([]);
  });

  it('claims a job run once per interval', async () => {
    const t = new Date('2024-03-13T05:00:00Z');
    const results = await Promise.all([1, 2, 3].map(() => store.alerts.claimJobRun('test-job', t, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.alerts.claimJobRun('test-job', new Date(t.getTime() + 30_000), 60_000)).toBe(false);
    expect(await store.alerts.claimJobRun('test-job', new Date(t.getTime() + 61_000), 60_000)).toBe(true);
  });
});
