/**
 * Seeding the `small` demo into a real store (DuckDB, and PostgreSQL when the run has one): what lands in the database matches the
 * generated stream, the closure story survives the round trip, and re-seeding is refused or
 * idempotent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { monthKeysEndingAt } from '../../server/domain/closure.js';
import { FINAL_STATUSES, SLA_HOURS_BY_SEVERITY } from '../../server/domain/incident.js';
import { openStore } from '../../server/store/index.js';
import type { IncidentStore } from '../../server/store/types.js';
import { localMonthKey } from '../../data/demo/calendar.js';
import { generateIncidents } from '../../data/demo/incidents.js';
import { buildDemoPlan } from '../../data/demo/plan.js';
import { DEMO_META_KEY, runSeedCommand, seedDemo, type SeedSummary } from '../../data/demo/seed.js';
import { engines } from '../support/engines.js';

/**
 * The monthly closure counts per city and month (each city's own zone), as the KPI path counts
 * them (`workflow.closureCounts`, which stats.closureRate and stats.kpis read), summed over stores.
 */
async function monthlyClosureByCity(store: IncidentStore, months: readonly string[]) {
  const cells = await store.workflow.closureCounts({ filters: {}, months }, { all: true });
  const byKey = new Map<string, { cityId: number; month: string; occurred: number; closed: number }>();
  for (const c of cells) {
    const key = `${c.cityId}/${c.month}`;
    const m = byKey.get(key) ?? { cityId: c.cityId, month: c.month, occurred: 0, closed: 0 };
    m.occurred += c.occurred;
    m.closed += c.closedNow;
    byKey.set(key, m);
  }
  return [...byKey.values()].sort((a, b) => a.cityId - b.cityId || a.month.localeCompare(b.month));
}

const NOW = new Date('2025-06-15T04:00:00Z');

// Citus: the same writer is covered by the storage suites there; 95k / 10k rows through it add a minute
describe.each(engines({ citus: false }))('seedDemo small on $engine', ({ open }) => {
  let store: IncidentStore;
  let summary: SeedSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    store = await open();
    summary = await seedDemo(store, { size: 'small', seed: 1, now: NOW, log: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await store.close();
  });

  it('writes the cities, stores, users and every incident', async () => {
    expect(summary).toMatchObject({ cities: 2, incidents: 10_000 });
    expect(summary.events).toBeGreaterThan(25_000);
    expect(summary.seconds).toBeLessThan(60);
    expect((await store.listCities()).map((c) => [c.key, c.nameZh, c.tz])).toEqual([
      ['fuzhou', '福州', 'Asia/Shanghai'],
      ['xiamen', '厦门', 'Asia/Shanghai'],
    ]);
    const stores = await store.listStores({ all: true });
    expect(stores).toHaveLength(summary.stores);
    const fz1 = stores.find((s) => s.code === 'FZ-001')!;
    expect(fz1).toMatchObject({ cityName: 'Fuzhou', radiusM: 3000 });
    expect(await store.getUser('demo-manager-fz')).toMatchObject({ role: 'store_manager', storeIds: [fz1.id] });
    expect(await store.getUser('demo-viewer')).toMatchObject({ role: 'viewer', storeIds: [fz1.id] });
    expect(await store.getUser('demo-admin')).toMatchObject({ role: 'admin' });
    expect((await store.listUsers()).length).toBe(summary.users);
    expect(JSON.parse((await store.getMeta(DEMO_META_KEY))!)).toEqual({ state: 'done', size: 'small', seed: 1, now: NOW.toISOString() });
    expect(lines.at(-1)).toMatch(/^demo seeded in .*10,000 incidents/);
  });

  it('stores exactly the generated rows: totals by severity and source', async () => {
    const plan = buildDemoPlan('small', 1, NOW);
    const rows = [...generateIncidents(plan, { cityIds: [1, 2], storeIds: plan.stores.map((_, i) => i + 1) }, SLA_HOURS_BY_SEVERITY)];
    const bySeverity = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (const r of rows) bySeverity[r.severity]++;
    expect(await store.incidentTotals({ all: true })).toEqual({ total: 10_000, bySeverity });
    const ai = rows.filter((r) => r.source === 'ai_vision').length;
    expect((await store.incidentTotals({ all: true }, { source: 'ai_vision' })).total).toBe(ai);
    const fz1 = (await store.listStores({ all: true })).find((s) => s.code === 'FZ-001')!;
    const mine = await store.incidentTotals({ all: false, storeIds: [fz1.id] });
    expect(mine.total).toBe(rows.filter((r) => r.storeId === plan.stores.findIndex((s) => s.code === 'FZ-001') + 1).length);
    expect(mine.total).toBeGreaterThan(100);
  });

  it('keeps the closure timeline of an incident', async () => {
    const found = await store.incidentById(1, { all: true });
    expect(found).not.toBeNull();
    const { incident, events } = found!;
    expect(incident.externalId).toBe('demo-1-1');
    expect(events[0]).toMatchObject({ fromStatus: null, toStatus: 'open' });
    expect(events.at(-1)!.toStatus).toBe(incident.status);
  });

  it('reports the monthly closure as of now, per city, as the stream has it', async () => {
    const plan = buildDemoPlan('small', 1, NOW);
    const expected = new Map<string, { occurred: number; closed: number }>();
    for (const r of generateIncidents(plan, { cityIds: [1, 2], storeIds: plan.stores.map((_, i) => i + 1) }, SLA_HOURS_BY_SEVERITY)) {
      if (r.review === 'pending' || r.review === 'rejected') continue;
      const key = `${r.cityId}/${localMonthKey(r.occurredAt.getTime())}`;
      const m = expected.get(key) ?? { occurred: 0, closed: 0 };
      m.occurred++;
      if (FINAL_STATUSES.includes(r.status)) m.closed++;
      expected.set(key, m);
    }
    const cities = await store.listCities();
    const indexOfCity = new Map(cities.map((c) => [c.id, plan.cities.findIndex((p) => p.key === c.key) + 1]));
    // three years up to NOW's month: more than the demo's two, so a month too many would show
    const monthly = await monthlyClosureByCity(store, monthKeysEndingAt('2025-06', 36));
    const actual = new Map(monthly.map((m) => [`${indexOfCity.get(m.cityId)}/${m.month}`, { occurred: m.occurred, closed: m.closed }]));
    expect(actual).toEqual(expected);

    const all = new Map<string, { occurred: number; closed: number }>();
    for (const m of monthly) {
      const a = all.get(m.month) ?? { occurred: 0, closed: 0 };
      a.occurred += m.occurred;
      a.closed += m.closed;
      all.set(m.month, a);
    }
    const rates = [...all.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, m]) => m.closed / m.occurred);
    // as of now the late backlog of old months is cleared (the climb from 50 % to 90 % is the
    // rate by the end of each month: tests/unit/data/incidents.test.ts)
    expect(rates[1]).toBeGreaterThan(0.95);
    expect(rates.at(-1)).toBeLessThan(0.9);
  });

  it('skips every row when the same demo is seeded again', async () => {
    const again = await seedDemo(store, { size: 'small', seed: 1, now: NOW });
    expect(again.incidents).toBe(0);
    expect((await store.incidentTotals({ all: true })).total).toBe(10_000);
  });

  it('stops on abort and rolls back the chunk in flight', async () => {
    const other = await open();
    try {
      const aborter = new AbortController();
      let writes = 0;
      const watched: IncidentStore = Object.create(other, {
        openIncidentWriter: {
          value: async () => {
            const w = await other.openIncidentWriter();
            return { write: async (rows: never[]) => (++writes === 1 && aborter.abort(new Error('stop')), w.write(rows)), commit: () => w.commit(), rollback: () => w.rollback() };
          },
        },
      });
      await expect(seedDemo(watched, { size: 'small', now: NOW, signal: aborter.signal })).rejects.toThrow('stop');
      expect((await other.incidentTotals({ all: true })).total).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('runSeedCommand', () => {
  let dir: string;
  const saved = { dataDir: process.env.DATA_DIR, databaseUrl: process.env.DATABASE_URL };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hexwatch-seed-'));
    process.env.DATA_DIR = dir;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env.DATA_DIR = saved.dataDir;
    if (saved.dataDir === undefined) delete process.env.DATA_DIR;
    if (saved.databaseUrl !== undefined) process.env.DATABASE_URL = saved.databaseUrl;
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds an empty database, then refuses to seed on top of incidents', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await runSeedCommand(['--size', 'small', '--now', NOW.toISOString()]);
      expect(process.exitCode ?? 0).toBe(0);
      expect(out.mock.calls.at(-1)![0]).toMatch(/^Seeded duckdb: 2 cities, \d+ stores, \d+ users, 10,000 incidents/);

      await runSeedCommand(['--size', 'small']);
      expect(process.exitCode).toBe(1);
      expect(err.mock.calls.at(-1)![0]).toMatch(/already holds 10,000 incidents.*\n.*--force/);

      process.exitCode = undefined;
      await runSeedCommand(['--size', 'tiny']);
      expect(process.exitCode).toBe(2);
    } finally {
      process.exitCode = undefined;
      out.mockRestore();
      err.mockRestore();
    }
    const store = await openStore({ dataDir: dir });
    try {
      expect((await store.incidentTotals({ all: true })).total).toBe(10_000);
    } finally {
      await store.close();
    }
  });
});
