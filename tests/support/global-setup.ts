/**
 * Starts one PostgreSQL server for the whole test run (each test file makes its own database
 * in it) and says which engines the storage tests run against.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

/** A green run without PostgreSQL has tested half the engine suite: say so where it shows. */
const POSTGRES_MISSING = [
  '',
  '!'.repeat(78),
  '!! PostgreSQL was NOT tested: no server binaries (initdb, pg_ctl) were found.',
  '!! Every engine suite ran on DuckDB only: half of the storage contract did not run.',
  '!! Install them (Debian: apt-get install postgresql) or set DATABASE_URL.',
  '!'.repeat(78),
  '',
].join('\n');

export default async function setup(project: TestProject) {
  const server = await startPostgresServer();
  if (!server && process.env.CI) throw new Error('CI must test PostgreSQL, but no server could be started');
  console.log(`storage engines under test: duckdb (embedded), ${server ? server.description : 'postgres SKIPPED: no server binaries found'}`);
  if (!server) console.warn(POSTGRES_MISSING);
  project.provide('pgUrl', server?.url ?? null);
  return async () => {
    await server?.stop();
    // said again at the end, where a reader of a green run looks
    if (!server) console.warn(POSTGRES_MISSING);
  };
}
