/**
 * Opens a fresh, migrated store on each engine under test: DuckDB in memory and a new database
 * on the run's PostgreSQL server. `describe.each(engines())` runs a suite on both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { SecretBox } from '../../server/security/secret-box.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { Engine, IncidentStore } from '../../server/store/types.js';

export interface EngineUnderTest {
  engine: Engine;
  /** A new empty, migrated store; close it after use. */
  open(): Promise<IncidentStore>;
}

export async function createPostgresDatabase(adminUrl: string): Promise<string> {
  const name = `hexwatch_test_${randomBytes(6).toString('hex')}`;
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

export function engines(): EngineUnderTest[] {
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
  return list;
}
