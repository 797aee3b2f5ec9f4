/**
 * Child process of tests/integration/exposure-crash.test.ts: writes exposure batches into a DuckDB
 * file, printing `ack <k>` after batch k is committed, and SIGKILLs itself right after its
 * `killAfter`-th INSERT statement (inside a write: after a chunk, before the commit).
 * Batch k: BATCH_ROWS store-days, each with deliveries = k (so a partial batch would show);
 * numbering goes on from the batches already stored.
 */
import { DuckDbStore } from '../../server/store/duckdb.js';
import { SqlExposureStore } from '../../server/store/exposure.js';
import type { SqlDb } from '../../server/store/sql-db.js';

/** Three INSERT chunks of 500 rows a batch. */
export const BATCH_ROWS = 1500;
const DAY_MS = 86_400_000;

async function main(path: string, killAfter: number): Promise<void> {
  const store = await DuckDbStore.open(path);
  await store.migrate();
  const city = await store.upsertCity({ key: 'crash', name: 'Crash', tz: 'UTC', centerLat: 0, centerLng: 0 });
  const [s] = await store.upsertStores([{ code: 'CR-1', name: 'Crash', cityId: city.id, lat: 0, lng: 0, radiusM: 3000 }]);
  let inserts = 0;
  // the store's own SQL, with the kill after the chosen INSERT
  const wrap = (db: SqlDb): SqlDb => ({
    async query(sql, params) {
      const rows = await db.query(sql, params);
      if (/^\s*INSERT INTO exposure/.test(sql) && ++inserts === killAfter) process.kill(process.pid, 'SIGKILL');
      return rows;
    },
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    lockChangeFeed: () => db.lockChangeFeed(),
    announceChanges: () => db.announceChanges(),
  });
  const exposure = new SqlExposureStore(wrap(store.sqlForBench()));
  const last = await store.sqlForBench().query(`SELECT max(deliveries) AS k FROM exposure`);
  for (let k = Number(last[0]?.k ?? 0) + 1; ; k++) {
    const rows = Array.from({ length: BATCH_ROWS }, (_, i) => ({
      storeId: s!.id,
      // distinct days for every batch: no batch overwrites another
      day: new Date(Date.UTC(1800, 0, 1) + (k * BATCH_ROWS + i) * DAY_MS).toISOString().slice(0, 10),
      cell: null,
      deliveries: k,
    }));
    await exposure.write(rows, new Date());
    process.stdout.write(`ack ${k}\n`);
  }
}

void main(process.argv[2]!, Number(process.argv[3]));
