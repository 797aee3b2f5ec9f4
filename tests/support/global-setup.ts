/**
 * Starts one PostgreSQL server and one Citus cluster (coordinator + 2 workers) for the whole test
 * run (each test file makes its own databases in them) and says which engines the storage tests
 * run against, and why one is skipped.
 */
import type { TestProject } from 'vitest/node';
import { addMigratedTemplate, startCitusCluster } from './citus-server.js';
import type { CitusCluster } from './citus-server.js';
import { startPostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    citus: CitusCluster | null;
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
  const [server, citus] = await Promise.all([
    startPostgresServer(),
    // HEXWATCH_CITUS=off skips the cluster on purpose (a quick local run of one file)
    process.env.HEXWATCH_CITUS === 'off' ? { skipped: 'HEXWATCH_CITUS=off' } : startCitusCluster(),
  ]);
  if (!server && process.env.CI) throw new Error('CI must test PostgreSQL, but no server could be started');
  if ('skipped' in citus && process.env.CI) throw new Error(`CI must test Citus, but: ${citus.skipped}`);
  console.log(
    `storage engines under test: duckdb (embedded), ${server ? server.description : 'postgres SKIPPED: no server binaries found'}, ` +
      ('skipped' in citus ? `citus SKIPPED: ${citus.skipped}` : citus.description),
  );
  if (!server) console.warn(POSTGRES_MISSING);
  const stop = () => {
    server?.stop();
    if (!('skipped' in citus)) citus.stop();
    // said again at the end, where a reader of a green run looks
    if (!server) console.warn(POSTGRES_MISSING);
  };
  project.provide('pgUrl', server?.url ?? null);
  try {
    // fails loudly (and stops the servers) when a migration made a table the Citus list lacks
    project.provide('citus', 'skipped' in citus ? null : await addMigratedTemplate(citus.cluster));
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
