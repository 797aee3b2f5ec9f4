/**
 * The PostgreSQL engine on a real Citus cluster (coordinator + 2 workers, started by the global
 * setup): how the tables are placed, that a store manager's map is one router query and a city's
 * fans out, that the three engines give the same answers, and that ingest and the closing race
 * hold across shards. The storage suites also run on Citus through engines().
 */
import { TRPCError } from '@trpc/server';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CITUS_TABLES } from '../../server/store/citus.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { hexbinSql } from '../../server/store/incident-queries.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentInput, IncidentStore, Scope } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { createCitusDatabase, TEST_SHARD_COUNT } from '../support/citus-server.js';
import { createPostgresDatabase } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { randomIncidents } from '../support/random-incidents.js';

const cluster = inject('citus');
const pgUrl = inject('pgUrl');
const NOW = new Date('2025-06-15T04:00:00Z');

function dbName(): string {
  return `hexwatch_citus_${randomBytes(6).toString('hex')}`;
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every "Task Count: N" of a Citus plan: the shard tasks of each distributed step. */
function taskCounts(plan: string): number[] {
  return [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1]));
}

describe.runIf(pgUrl)('the Citus placement list on plain PostgreSQL', () => {
  it('places every table the migrations make (a new table must be added to CITUS_TABLES)', async () => {
    const url = await createPostgresDatabase(pgUrl!);
    const store = await PostgresStore.open(url, { max: 2 });
    try {
      await store.migrate();
      expect(store.distributed).toBe(false);
      const tables = (await sql(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.tablename);
      expect(tables.filter((t) => !(t as string in CITUS_TABLES))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(cluster)('Citus (coordinator + 2 workers)', () => {
  it('migrates an empty database into reference tables and co-located distributed tables, once', async () => {
    const url = await createCitusDatabase(cluster!, dbName());
    const store = await PostgresStore.open(url, { max: 2 });
    try {
      await store.migrate();
      await store.migrate(); // a second start finds everything placed
      expect(store.distributed).toBe(true);
      const rows = await sql(
        url,
        `SELECT logicalrelid::text AS t, partmethod, repmodel, column_to_column_name(logicalrelid, partkey) AS col, colocationid
         FROM pg_dist_partition ORDER BY 1`,
      );
      const reference = rows.filter((r) => r.partmethod === 'n' && r.repmodel === 't').map((r) => r.t);
      expect(reference).toEqual(['alert_target', 'api_key', 'app_user', 'city', 'job_run', 'meta', 'session', 'store', 'store_code_history', 'user_store']);
      const distributed = rows.filter((r) => r.partmethod === 'h');
      expect(distributed.map((r) => [r.t, r.col])).toEqual([
        ['alert', 'store_id'],
        ['countermeasure', 'store_id'],
        ['countermeasure_cell', 'store_id'],
        ['exposure', 'store_id'],
        ['incident', 'shard_key'],
        ['incident_event', 'shard_key'],
        ['outbox', 'store_id'],
      ]);
      expect(new Set(distributed.map((r) => r.colocationid)).size).toBe(1);
      // the coordinator's own: the migrator's bookkeeping, the change feed, Feishu's handled events
      for (const local of ['schema_migrations', 'incident_change', 'feishu_event']) expect(rows.map((r) => r.t)).not.toContain(local);
      const shards = await sql(url, `SELECT count(*)::int AS n FROM pg_dist_shard WHERE logicalrelid = 'incident'::regclass`);
      expect(shards[0]!.n).toBe(TEST_SHARD_COUNT);
      // the idempotency key is unique per shard now, and still indexed by itself for lookups
      const indexes = (await sql(url, `SELECT indexdef FROM pg_indexes WHERE tablename = 'incident' ORDER BY 1`)).map((r) => r.indexdef as string);
      expect(indexes).toContain('CREATE UNIQUE INDEX incident_source_external_id ON public.incident USING btree (shard_key, source, external_id)');
      expect(indexes).toContain('CREATE INDEX incident_source_external_id_lookup ON public.incident USING btree (source, external_id)');
      expect(indexes).toContain('CREATE UNIQUE INDEX incident_pkey ON public.incident USING btree (shard_key, id)');
    } finally {
      await store.close();
    }
  });

  it('refuses to start with a table the placement list does not know, naming it, and places nothing of it', async () => {
    const url = await createCitusDatabase(cluster!, dbName(), cluster!.migratedTemplate);
    await sql(url, `CREATE TABLE countermeasure_surprise (id INTEGER PRIMARY KEY, store_id INTEGER)`);
    const store = await PostgresStore.open(url, { max: 2 });
    try {
      await expect(store.migrate()).rejects.toThrow(/countermeasure_surprise.*CITUS_TABLES/);
      const placed = await sql(url, `SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'countermeasure_surprise'::regclass`);
      expect(placed).toEqual([]);
    } finally {
      await store.close();
    }
  });

  describe('with incidents of two stores and of no store', () => {
    let url: string;
    let store: PostgresStore;
    let ids: { fz1: number; fz2: number; fuzhou: number };

    beforeAll(async () => {
      url = await createCitusDatabase(cluster!, dbName(), cluster!.migratedTemplate);
      store = await PostgresStore.open(url, { max: 12 });
      await store.migrate();
      const { fuzhou, fz1, fz2 } = await seedPlaces(store);
      ids = { fz1: fz1.id, fz2: fz2.id, fuzhou: fuzhou.id };
      const rows = randomIncidents(
        600,
        [
          { cityId: fuzhou.id, storeId: fz1.id, lat: fz1.lat, lng: fz1.lng },
          { cityId: fuzhou.id, storeId: fz2.id, lat: fz2.lat, lng: fz2.lng },
          { cityId: fuzhou.id, storeId: null, lat: 26.1, lng: 119.35 },
        ],
        NOW,
      );
      const writer = await store.openIncidentWriter();
      await writer.write(rows);
      await writer.commit();
      await store.analyze();
    });
    afterAll(async () => {
      await store.close();
    });

    async function explain(scope: Scope, filters: Record<string, unknown>): Promise<string> {
      const { sql: text, params } = hexbinSql({ resolution: 8, filters, now: NOW }, scope, { distributed: store.distributed });
      const rows = await sql(url, `EXPLAIN ${text}`, params.map((p) => (typeof p === 'bigint' ? p.toString() : p)));
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    }

    it("runs a store manager's hexbins as one router task, and a city's as one task per shard, aggregated on the workers", async () => {
      const manager = await explain({ all: false, storeIds: [ids.fz1] }, {});
      expect(taskCounts(manager)).toEqual([1]);
      expect(manager).not.toContain('Distributed Subplan');
      expect(manager).toMatch(/Task\n.*Node: host=127\.0\.0\.1[\s\S]*Aggregate/);

      const city = await explain({ all: true }, { cityIds: [ids.fuzhou] });
      expect(taskCounts(city)).toEqual([TEST_SHARD_COUNT]);
      expect(city).not.toContain('Distributed Subplan');
      // each shard groups its own rows: the coordinator merges groups, never raw rows
      const shardStep = city.slice(city.indexOf(`Task Count: ${TEST_SHARD_COUNT}`));
      expect(shardStep).toMatch(/->\s+Task\n.*Node: host=127\.0\.0\.1 port=\d+[^\n]*\n\s+->\s+(Group|Hash)Aggregate/);

      // an analyst's filter on one store routes like a manager's scope
      expect(taskCounts(await explain({ all: true }, { storeIds: [ids.fz2] }))).toEqual([1]);
    });

    it('keeps ingest idempotent on (source, external_id) across shards, also for concurrent writers sending another store', async () => {
      const before = (await store.incidentTotals({ all: true })).total;
      const keys = Array.from({ length: 40 }, (_, k) => `dup-${k}`);
      // ten writers at once, each sending the same keys under a different store (or none): the
      // shard key differs, so only the writers' lock keeps each key once
      const places = [ids.fz1, ids.fz2, null];
      const writers = await Promise.all(
        Array.from({ length: 10 }, async (_, w) => {
          const writer = await store.openIncidentWriter();
          const storeId = places[w % places.length]!;
          await writer.write(keys.map((externalId) => incident({ cityId: ids.fuzhou, storeId, externalId, source: 'api' })));
          return writer;
        }),
      );
      // all staged first, then committed together: the commits' checks and inserts overlap
      const results = await Promise.all(writers.map((w) => w.commit()));
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(keys.length);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(keys.length * 9);
      const perKey = await sql(url, `SELECT external_id, count(*)::int AS n FROM incident WHERE source = 'api' GROUP BY 1 HAVING count(*) > 1`);
      expect(perKey).toEqual([]);
      expect((await store.incidentTotals({ all: true })).total).toBe(before + keys.length);

      // and a later re-send under yet another store changes nothing
      const again = await store.openIncidentWriter();
      await again.write(keys.map((externalId) => incident({ cityId: ids.fuzhou, storeId: ids.fz2, externalId, source: 'api' })));
      expect(await again.commit()).toEqual({ inserted: 0, duplicates: keys.length });
    });

    it('lets exactly one of ten parallel closings win, for a store incident and a store-less one; the rest get CONFLICT', async () => {
      const writer = await store.openIncidentWriter();
      await writer.write([
        incident({ cityId: ids.fuzhou, storeId: ids.fz1, externalId: 'race-store', status: 'in_progress' }),
        incident({ cityId: ids.fuzhou, storeId: null, externalId: 'race-nostore', status: 'in_progress' }),
      ]);
      await writer.commit();
      const analyst = user('analyst');
      for (const externalId of ['race-store', 'race-nostore']) {
        const { id, version } = (await store.incidentBySourceKey('manual', externalId, { all: true }))!;
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, k) =>
            callerFor(store, analyst).incidents.transition({
              id,
              to: 'closed',
              expectedVersion: version,
              resolution: 'rider_coached',
              note: `closing ${k}`,
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(lost).toHaveLength(9);
        for (const r of lost) expect((r.reason as TRPCError).code).toBe('CONFLICT');
        const found = (await store.incidentById(id, { all: true }))!;
        expect(found.incident).toMatchObject({ status: 'closed', version: version + 1 });
        expect(found.events.map((e) => e.toStatus)).toEqual(['open', 'closed']);
      }
    });
  });
});

describe.runIf(cluster && pgUrl)('the same answers on DuckDB, PostgreSQL and Citus', () => {
  const stores: Array<[string, IncidentStore]> = [];
  let rows: IncidentInput[];
  let places: Awaited<ReturnType<typeof seedPlaces>>;

  beforeAll(async () => {
    const opened: Array<[string, IncidentStore]> = [
      ['duckdb', await DuckDbStore.open(':memory:')],
      ['postgres', await PostgresStore.open(await createPostgresDatabase(pgUrl!), { max: 4 })],
      ['citus', await PostgresStore.open(await createCitusDatabase(cluster!, dbName(), cluster!.migratedTemplate), { max: 4 })],
    ];
    for (const [name, store] of opened) {
      await store.migrate();
      places = await seedPlaces(store);
      rows = randomIncidents(
        2000,
        [
          { cityId: places.fuzhou.id, storeId: places.fz1.id, lat: places.fz1.lat, lng: places.fz1.lng },
          { cityId: places.fuzhou.id, storeId: places.fz2.id, lat: places.fz2.lat, lng: places.fz2.lng },
          { cityId: places.fuzhou.id, storeId: null, lat: 26.1, lng: 119.35 },
          { cityId: places.utc.id, storeId: places.utc1.id, lat: places.utc1.lat, lng: places.utc1.lng },
        ],
        NOW,
        17,
      );
      const writer = await store.openIncidentWriter();
      await writer.write(rows);
      await writer.commit();
      stores.push([name, store]);
    }
    // map.hexbins and incidents.list judge "overdue" at the clock's now: fix it
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterAll(async () => {
    vi.useRealTimers();
    for (const [, store] of stores) await store.close();
  });

  it('gives equal map.hexbins and incidents.list totals for analysts, a city, a store manager and the overdue filter', async () => {
    const cases = [
      { who: user('analyst'), filters: {} },
      { who: user('analyst'), filters: { cityIds: [places.fuzhou.id], severities: [3, 4] } },
      { who: user('store_manager', [places.fz1.id]), filters: {} },
      { who: user('analyst'), filters: { overdueOnly: true } },
    ];
    // the totals written out from the rows themselves (rejected AI detections are left out)
    const visible = (storeIds?: number[]) =>
      rows.filter((r) => r.review !== 'rejected' && (!storeIds || (r.storeId !== null && storeIds.includes(r.storeId))));
    const expected = [
      visible().length,
      visible().filter((r) => r.cityId === places.fuzhou.id && r.severity >= 3).length,
      visible([places.fz1.id]).length,
      visible().filter((r) => r.status !== 'closed' && r.status !== 'dismissed' && r.dueAt !== null && r.dueAt < NOW).length,
    ];
    for (const [k, { who, filters }] of cases.entries()) {
      const answers = [];
      for (const [name, store] of stores) {
        const caller = callerFor(store, who);
        const hexbins = await caller.map.hexbins({ resolution: 8, filters });
        const list = await caller.incidents.list({ filters, limit: 5 });
        answers.push({ name, total: hexbins.total, listTotal: list.total, cells: hexbins.cells, count: hexbins.count, overdue: hexbins.overdue, firstIds: list.items.length });
      }
      expect(answers[0]!.total).toBe(expected[k]);
      for (const a of answers) {
        expect({ ...a, name: answers[0]!.name }, `${a.name}, case ${k}`).toEqual(answers[0]);
        expect(a.listTotal).toBe(expected[k]);
      }
    }
  });
});
