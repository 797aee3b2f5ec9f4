/**
 * A crash is a normal event (issue 14's change feed): the server (DuckDB, its own process) is
 * killed with SIGKILL while ingest batches stream in. The database reopens with every
 * acknowledged record, and the feed agrees with the incidents exactly: one `incident.created`
 * change per stored incident, none for anything not stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { startServerProcess } from '../bench/server-process.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents } from '../support/ingest-client.js';

describe('change feed across a SIGKILL (DuckDB)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hexwatch-live-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reopens with every acknowledged record and exactly one created change per stored incident', async () => {
    const file = join(dataDir, DUCKDB_FILE);
    const setup = await DuckDbStore.open(file);
    await setup.migrate();
    await seedPlaces(setup);
    const { key } = await setup.security.createApiKey('crash test', 'test-admin');
    await setup.close();

    const server = await startServerProcess({ DATA_DIR: dataDir, INGEST_RATE_PER_MINUTE: '100000' });
    const acknowledged: string[] = [];
    let stop = false;
    let n = 0;
    const sender = async () => {
      while (!stop) {
        const ids = Array.from({ length: 20 }, () => `crash-${++n}`);
        const batch = { incidents: ids.map((externalId) => apiRecord({ source: 'api', externalId, kind: 'accident', category: 'vehicle_collision', ai: undefined })) };
        try {
          const res = await postIncidents(server.url, key, batch);
          if (res.status === 200) acknowledged.push(...ids);
        } catch {
          // the connection died with the server
        }
      }
    };
    const senders = [sender(), sender(), sender()];
    // let some batches commit, then kill the server in the middle of others
    while (acknowledged.length < 100) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    await new Promise<void>((resolve) => (server.child.exitCode !== null || server.child.signalCode !== null ? resolve() : server.child.once('exit', () => resolve())));

    const store = await DuckDbStore.open(file);
    try {
      const sql = store.sqlForBench();
      const incidents = await sql.query(`SELECT id, external_id FROM incident WHERE source = 'api'`);
      const stored = new Set(incidents.map((r) => r.external_id as string));
      for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} survives`).toBe(true);
      const changes = await sql.query(`SELECT incident_id, external_id FROM incident_change WHERE type = 'incident.created'`);
      expect(changes.map((c) => Number(c.incident_id)).sort((a, b) => a - b)).toEqual(incidents.map((r) => Number(r.id)).sort((a, b) => a - b));
      const { head } = await store.changeFeed.bounds();
      expect(head).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await store.close();
    }
  }, 120_000);
});
