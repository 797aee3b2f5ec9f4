/**
 * One SLA rule (issue 20): an incident's due time is its occurrence plus the hours of its
 * severity in the SLA in force when it is stored, whatever the source (CSV import, ingest API,
 * demo seed); a changed SLA applies to incidents stored after the change. The expected due times
 * are hand-computed from the occurrence and the hours saved here, not from the domain helper.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../data/demo/seed.js';
import { importFile } from '../../server/ingest/import-file.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents, serverEngines } from '../support/ingest-client.js';
import type { TestServer } from '../support/test-server.js';

/** Not the defaults (4: 24, 3: 48, 2: 72, 1: 168). */
const CUSTOM_SLA = { 1: 100, 2: 10, 3: 5, 4: 2 };

async function setSla(store: IncidentStore, slaHours: typeof CUSTOM_SLA): Promise<void> {
  await store.security.saveSettings({ ...(await store.security.settings()), slaHours });
}

describe.each(serverEngines())('one SLA rule on $engine', ({ start }) => {
  let server: TestServer;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    server = await start();
    await seedPlaces(server.store);
    key = (await server.store.security.createApiKey('sla test', 'test-admin')).key;
    dir = mkdtempSync(join(tmpdir(), 'hexwatch-sla-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const dueOf = async (source: 'import' | 'ai_vision', externalId: string) =>
    (await server.store.incidentBySourceKey(source, externalId, { all: true }))?.dueAt?.toISOString();

  it('gives an imported CSV row and an ingested record of the same moment and severity the same due time', async () => {
    await setSla(server.store, CUSTOM_SLA);
    const file = join(dir, 'one.csv');
    writeFileSync(
      file,
      'external_id,kind,category,severity,occurred_at,lat,lng,store_code\n' +
        'csv-1,exception,no_helmet,2,2024-05-01T08:30:00+08:00,26.0801,119.2902,FZ-001\n',
    );
    const report = await importFile(server.store, { profile: 'hexwatch', file });
    expect(report).toMatchObject({ imported: 1, rejectedCount: 0 });
    const res = await postIncidents(server.url, key, { incidents: [apiRecord({ externalId: 'api-1', severity: 2 })] });
    expect(res.status).toBe(200);

    // 2024-05-01T00:30Z + 10 h (severity 2 in CUSTOM_SLA)
    expect(await dueOf('import', 'csv-1')).toBe('2024-05-01T10:30:00.000Z');
    expect(await dueOf('ai_vision', 'api-1')).toBe('2024-05-01T10:30:00.000Z');
  });

  it('applies a changed SLA to incidents stored after the change only', async () => {
    await setSla(server.store, { ...CUSTOM_SLA, 2: 20 });
    const file = join(dir, 'two.csv');
    writeFileSync(file, 'external_id,kind,category,severity,occurred_at,lat,lng,store_code\ncsv-2,exception,no_helmet,2,2024-05-01T08:30:00+08:00,26.0801,119.2902,FZ-001\n');
    await importFile(server.store, { profile: 'hexwatch', file });
    await postIncidents(server.url, key, { incidents: [apiRecord({ externalId: 'api-2', severity: 2 })] });

    expect(await dueOf('import', 'csv-2')).toBe('2024-05-01T20:30:00.000Z');
    expect(await dueOf('ai_vision', 'api-2')).toBe('2024-05-01T20:30:00.000Z');
    // stored before the change: unchanged
    expect(await dueOf('import', 'csv-1')).toBe('2024-05-01T10:30:00.000Z');
    expect(await dueOf('ai_vision', 'api-1')).toBe('2024-05-01T10:30:00.000Z');
  });
});

describe.each(engines())('the demo seed follows the SLA in force on $engine', ({ open }) => {
  let store: IncidentStore;
  let summary: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    store = await open();
    await setSla(store, CUSTOM_SLA);
    summary = await seedDemo(store, { size: 'small', seed: 1, now: new Date('2025-06-15T04:00:00Z'), alertScan: { publicUrl: 'https://hexwatch.example.com' } });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('sets due = occurrence + the saved hours of the severity', async () => {
    const page = await store.listIncidents({ filters: {}, sort: 'newest', limit: 300, now: new Date() }, { all: true });
    expect(page.items.length).toBe(300);
    const severities = new Set<number>();
    for (const incident of page.items) {
      severities.add(incident.severity);
      const hours = (incident.dueAt!.getTime() - incident.occurredAt.getTime()) / 3_600_000;
      expect(hours, `incident ${incident.id} severity ${incident.severity}`).toBe(CUSTOM_SLA[incident.severity]);
    }
    expect(severities.size).toBeGreaterThan(1);
  });

  it('runs one alert scan after seeding, so the demo has alerts to show', async () => {
    const alerts = await store.alerts.listAlerts({ scope: { all: true }, limit: 500 });
    expect(summary.alerts).toBeGreaterThan(0);
    expect(alerts).toHaveLength(summary.alerts);
  });
});
