/**
 * `npm run bench:backup -- --incidents 200000 --runs 3`: backup and restore on DuckDB.
 *
 * Builds a DuckDB database of synthetic incidents (one event each) with SQL, then times, in the
 * same run: `runBackup` against DuckDB's own `COPY ... TO '*.json.gz'` of the same two tables
 * (the baseline: the engine writing JSON itself, no snapshot file format, not engine-neutral),
 * and `runRestore` into a fresh DuckDB file against `INSERT ... SELECT FROM read_json` of those
 * files. Prints the median of the runs, rows a second and the ratios to the baseline.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBackup } from '../../server/backup/backup.js';
import { runRestore } from '../../server/backup/restore.js';
import { DuckDbStore } from '../../server/store/duckdb.js';

const { values: args } = parseArgs({
  options: { incidents: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' } },
});
const N = Number(args.incidents);
const RUNS = Number(args.runs);
if (!Number.isSafeInteger(N) || N < 1 || !Number.isSafeInteger(RUNS) || RUNS < 1) {
  console.error('usage: npm run bench:backup -- [--incidents N] [--runs R]');
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'hexwatch-bench-backup-'));
try {
  const source = await DuckDbStore.open(join(dir, 'source.duckdb'));
  await source.migrate();
  const db = source.sqlForTools();
  await db.query(`INSERT INTO city (key, name, tz, center_lat, center_lng) VALUES ('fz', 'Fuzhou', 'Asia/Shanghai', 26.07, 119.3)`);
  await db.query(
    `INSERT INTO incident (id, kind, category, severity, occurred_at, lat, lng, h3, city_id, store_id, source, external_id,
       status, created_at, updated_at, description, rider_id)
     SELECT range + 1, 'accident', 'other', 1 + range % 4, TIMESTAMPTZ '2024-01-01' + to_microseconds(range * 1234567),
       26 + random() / 10, 119 + random() / 10, 627710000000000000 + range, 1, NULL, 'import', 'x' || range,
       'open', now(), now(), 'synthetic incident ' || range, 'R-' || (range % 500)
     FROM range(${N})`,
  );
  await db.query(
    `INSERT INTO incident_event (id, incident_id, store_id, happened_at, actor, from_status, to_status, note, kind)
     SELECT range + 1, range + 1, NULL, now(), 'import', NULL, 'open', NULL, 'transition' FROM range(${N})`,
  );
  await db.query('CHECKPOINT');
  const rows = 2 * N + 1;
  console.log(`bench:backup — ${N.toLocaleString('en-US')} incidents + ${N.toLocaleString('en-US')} events (DuckDB), ${RUNS} run(s), ${cpus().length} cores`);

  const results: Record<string, number[]> = { backup: [], baselineCopy: [], restore: [], baselineLoad: [] };
  let bytes = 0;
  let baselineBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const file = join(dir, `b${run}.jsonl.gz`);
    results.backup!.push(await time(() => runBackup(source, { out: file })));
    bytes = statSync(file).size;
    const copyDir = join(dir, `copy${run}`);
    results.baselineCopy!.push(
      await time(() =>
        source.sqlForTools().transaction(async (tx) => {
          await tx.query(`COPY (SELECT * FROM incident) TO '${copyDir}-incident.json.gz' (FORMAT json, COMPRESSION gzip)`);
          await tx.query(`COPY (SELECT * FROM incident_event) TO '${copyDir}-event.json.gz' (FORMAT json, COMPRESSION gzip)`);
        }),
      ),
    );
    baselineBytes = statSync(`${copyDir}-incident.json.gz`).size + statSync(`${copyDir}-event.json.gz`).size;

    const target = await DuckDbStore.open(join(dir, `restore${run}.duckdb`));
    results.restore!.push(await time(() => runRestore(target, { file })));
    await target.close();
    const plain = await DuckDbStore.open(join(dir, `load${run}.duckdb`));
    await plain.migrate();
    results.baselineLoad!.push(
      await time(() =>
        plain.sqlForTools().transaction(async (tx) => {
          await tx.query(`INSERT INTO incident SELECT * FROM read_json('${copyDir}-incident.json.gz')`);
          await tx.query(`INSERT INTO incident_event SELECT * FROM read_json('${copyDir}-event.json.gz')`);
        }),
      ),
    );
    await plain.close();
  }
  await source.close();

  const line = (label: string, ms: number, baseMs: number) =>
    console.log(
      `${label.padEnd(8)} median ${(ms / 1000).toFixed(1).padStart(6)} s  ${Math.round(rows / (ms / 1000)).toLocaleString('en-US').padStart(9)} rows/s   baseline ${(baseMs / 1000).toFixed(1).padStart(6)} s   ratio ${(ms / baseMs).toFixed(1)}x`,
    );
  line('backup', median(results.backup!), median(results.baselineCopy!));
  line('restore', median(results.restore!), median(results.baselineLoad!));
  console.log(`file     ${(bytes / rows).toFixed(1)} bytes a row (baseline ${(baselineBytes / rows).toFixed(1)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
