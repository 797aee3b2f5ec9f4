/**
 * Child process of tests/integration/crash.test.ts: leaves a DuckDB file whose WAL DuckDB cannot
 * replay, with acknowledged ingest batches on both sides of the offending DDL, then dies by
 * SIGKILL. The DDL (ALTER ... TYPE <enum>, as migration 001 once left in the WAL) stands for any
 * statement a future DuckDB may fail to replay.
 *
 *   node --import tsx tests/crash/wal-fallback-child.ts <database file> <records JSON file>
 */
import { readFileSync } from 'node:fs';
import { DuckDbStore } from '../../server/store/duckdb.js';
import type { IncidentInput } from '../../server/store/types.js';
import { seedPlaces } from '../support/fixtures.js';

const [path, recordsFile] = process.argv.slice(2);
const revive = (_k: string, v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : v);
const [before, after] = JSON.parse(readFileSync(recordsFile!, 'utf8'), revive) as [IncidentInput[], IncidentInput[]];

const store = await DuckDbStore.open(path!);
await store.migrate();
await seedPlaces(store); // city 1 and store 1, which the records name
await store.checkpoint(); // what the database file holds when the WAL is lost
const a = await store.ingest(before);
const sql = store.sqlForBench();
await sql.query(`CREATE TYPE crash_mood AS ENUM ('calm', 'stormy')`);
await sql.query(`CREATE TABLE crash_note (id INTEGER, mood TEXT)`);
await sql.query(`ALTER TABLE crash_note ALTER COLUMN mood TYPE crash_mood`);
const b = await store.ingest(after);
// what the API would have answered: both acknowledged
process.stdout.write(JSON.stringify([a, b]) + '\n', () => process.kill(process.pid, 'SIGKILL'));
