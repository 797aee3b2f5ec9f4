/**
 * Opens a fresh, migrated store on each engine under test: DuckDB in memory, a new database on
 * the run's PostgreSQL server, and a new database on the run's Citus cluster (the PostgreSQL
 * engine, distributed). `describe.each(engines())` runs a suite on each.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { SecretBox } from '../../server/security/secret-box.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { Engine, IncidentStore } from '../../server/store/types.js';
import { createCitusDatabase } from './citus-server.js';

/** The engines the tests name: Citus is the PostgreSQL engine on a cluster. */
export type EngineName = Engine | 'citus';

export interface EngineUnderTest {
  engine: EngineName;
  /** A new empty, migrated store; close it after use. */
  open: () => Promise<IncidentStore>;
}

export function testDatabaseName(): string {
  return `hexwatch_test_${randomBytes(6).toString('hex')}`;
}

export async function createPostgresDatabase(adminUrl: string): Promise<string> {
  const name = testDatabaseName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * @param opts.citus false leaves Citus out: for suites whose point is data volume through the
 *   same write path (the Hong Kong file, the demo seed), which the other suites already cover on
 *   Citus and which would add a minute each to `npm test` there.
 */
export function engines(opts: { citus?: boolean } = {}): EngineUnderTest[] {
  const list: EngineUnderTest[] = [
    {
      engine: 'duckdb',
      async open() {
        const store = await DuckDbStore.open(':memory:');
        await store.migrate();
        store.useSecretBox(SecretBox.random()); // as openStore does, with a throw-away key
        return store;
      },
    },
  ];
  const pgUrl = inject('pgUrl');
  if (pgUrl) {
    list.push({
      engine: 'postgres',
      async open() {
        const store = await PostgresStore.open(await createPostgresDatabase(pgUrl), { max: 4 });
        await store.migrate();
        store.useSecretBox(SecretBox.random()); // as openStore does, with a throw-away key
        return store;
      },
    });
  }
  const citus = inject('citus');
  if (citus && opts.citus !== false) {
    list.push({
      engine: 'citus',
      async open() {
        const url = await createCitusDatabase(citus, testDatabaseName(), citus.migratedTemplate);
        const store = await PostgresStore.open(url, { max: 4 });
        store.useSecretBox(SecretBox.random()); // as openStore does, with a throw-away key
        await store.migrate();
        return store;
      },
    });
  }
  return list;
}
