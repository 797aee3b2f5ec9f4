/**
 * `npm run bench -- --size large` — the hexbin engine benchmark (issue 3).
 *
 * Seeds a fresh database of that size, then times the five BENCH_QUERIES through the real HTTP
 * tRPC endpoint (parse, query, serialise, compress, decompress, parse) on DuckDB, on PostgreSQL
 * (a throw-away server when one can be started) and on the naive baseline, in the same run.
 * Prints p50/p95 per query and engine, the ratios, compressed bytes per cell and the server's
 * peak RSS; writes tests/bench/results/latest.json.
 *
 * `--data-dir DIR` keeps the seeded DuckDB and reuses it; `--seed-only` seeds it and stops, so a
 * long seed can run ahead (under `nice`) of the timed run on a quiet machine.
 *
 * `--citus` adds the same demo on a throw-away Citus cluster (coordinator + 2 workers on this
 * machine, `--citus-shards` shards a table): its row in the table, and each query's shard fan-out
 * and per-shard times with an estimate of throughput on N workers (tests/bench/citus.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_META_KEY, DEMO_SIZES, seedDemo } from '../../data/demo/seed.js';
import type { DemoSize } from '../../data/demo/seed.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { HexbinsWire } from '../../server/domain/hexbin-wire.js';
import { createCitusDatabase, startCitusCluster } from '../support/citus-server.js';
import { createPostgresDatabase } from '../support/engines.js';
import { fanOutTable, measureFanOut } from './citus.js';
import type { FanOut } from './citus.js';
import { startPostgresServer } from '../support/postgres-server.js';
import { devLogin, trpcGet } from './http-timing.js';
import { runNaive } from './naive.js';
import { BENCH_QUERIES, type BenchContext } from './queries.js';
import { startServerProcess } from './server-process.js';

type EngineName = 'duckdb' | 'postgres' | 'citus' | 'naive';
interface Row {
  query: string;
  engine: EngineName;
  p50_ms: number;
  p95_ms: number;
}

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    runs: { type: 'string', default: '20' },
    'no-postgres': { type: 'boolean', default: false },
    citus: { type: 'boolean', default: false },
    // Citus's own default; the test cluster uses 4 to keep set-up short
    'citus-shards': { type: 'string', default: '32' },
    // for the estimate: cores per worker, and the coordinator-worker round trip
    'citus-cores': { type: 'string', default: String(cpus().length) },
    'citus-network-ms': { type: 'string', default: '0.5' },
    'naive-runs': { type: 'string' },
    out: { type: 'string', default: 'tests/bench/results/latest.json' },
    // keep (and reuse) the seeded DuckDB folder: a 10M seed takes a quarter of an hour
    'data-dir': { type: 'string' },
    // seed --data-dir and stop: the long 10M seed can run ahead (under nice) of the timed run
    'seed-only': { type: 'boolean', default: false },
  },
});
const size = args.size as DemoSize;
if (!(size in DEMO_SIZES)) throw new Error(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}`);
if (args['seed-only'] && args['data-dir'] === undefined) throw new Error('--seed-only needs --data-dir: a seeded temporary folder would be thrown away');
const runs = Number(args.runs);
// the naive baseline takes seconds a query at 2M rows: fewer runs keep the bench bounded
const naiveRuns = Number(args['naive-runs'] ?? Math.min(runs, size === 'huge' ? 5 : 10));
const log = (line: string) => console.log(line);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}

async function time(runsN: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  await fn();
  const samples: number[] = [];
  for (let k = 0; k < runsN; k++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** City, store, busy cell: read once through the API itself. */
async function resolveContext(url: string, cookie: string, now: Date): Promise<BenchContext> {
  const stores = (await trpcGet<Array<{ id: number; code: string; cityId: number; lat: number; lng: number }>>(url, 'stores.list', undefined, cookie)).data;
  const store = stores.find((s) => s.code === 'FZ-001') ?? stores[0]!;
  const all9 = (await trpcGet<HexbinsWire>(url, 'map.hexbins', { resolution: 9 }, cookie)).data;
  const busy = all9.count.indexOf(all9.max);
  return { now, cityId: store.cityId, storeId: store.id, centre: [store.lng, store.lat], busyCell9: all9.cells[busy]! };
}

async function benchHttp(engine: 'duckdb' | 'postgres' | 'citus', env: Record<string, string>, now: Date, rows: Row[]) {
  const server = await startServerProcess(env);
  try {
    const cookie = await devLogin(server.url, 'demo-analyst');
    const context = await resolveContext(server.url, cookie, now);
    let bytesPerCell = 0;
    for (const q of BENCH_QUERIES) {
      const input = q.input(context);
      const result = await time(runs, () => trpcGet(server.url, q.procedure, input, cookie));
      rows.push({ query: q.name, engine, p50_ms: result.p50, p95_ms: result.p95 });
      log(`  ${engine.padEnd(8)} ${q.name.padEnd(48)} p50 ${result.p50} ms  p95 ${result.p95} ms`);
      if (q === BENCH_QUERIES[0]) {
        const once = await trpcGet<HexbinsWire>(server.url, q.procedure, input, cookie);
        bytesPerCell = Math.round((once.compressedBytes / Math.max(1, once.data.cells.length)) * 100) / 100;
        log(`  ${engine.padEnd(8)} q1: ${once.data.cells.length} cells, ${once.compressedBytes} compressed bytes, ${bytesPerCell} bytes/cell`);
      }
    }
    const peakRssMb = server.peakRssMb();
    log(`  ${engine.padEnd(8)} server peak RSS ${peakRssMb} MB`);
    return { context, bytesPerCell, peakRssMb };
  } finally {
    await server.stop();
  }
}

async function main() {
  const keep = args['data-dir'] !== undefined;
  const dir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'hexwatch-bench-'));
  mkdirSync(dir, { recursive: true });
  let now = new Date();
  const rows: Row[] = [];
  try {
    const duck = await DuckDbStore.open(join(dir, DUCKDB_FILE));
    await duck.migrate();
    const previous = await duck.getMeta(DEMO_META_KEY);
    const reused = previous ? (JSON.parse(previous) as { size: string; now: string }) : null;
    let seeded: { incidents: number };
    if (reused?.size === size) {
      // the same demo as before: the queries' "last N days" count from the seed's now
      now = new Date(reused.now);
      seeded = { incidents: (await duck.incidentTotals({ all: true })).total };
      log(`reusing the ${size} demo in ${dir} (${seeded.incidents.toLocaleString('en-US')} incidents, now ${reused.now})`);
    } else {
      if (reused) throw new Error(`${dir} holds the ${reused.size} demo, not ${size}: use another --data-dir`);
      log(`seeding ${size} demo (${DEMO_SIZES[size].toLocaleString('en-US')} incidents) into DuckDB at ${dir}`);
      seeded = await seedDemo(duck, { size, seed: 1, now, log });
    }
    await duck.close();
    if (args['seed-only']) {
      log(`seeded ${dir}; time it with the same command without --seed-only`);
      return;
    }

    log('\nDuckDB engine (HTTP, server process):');
    const duckResult = await benchHttp('duckdb', { DATA_DIR: dir }, now, rows);

    log('\nnaive baseline (fetch the matching rows as JSON, aggregate with h3-js):');
    const naiveDb = await DuckDbStore.open(join(dir, DUCKDB_FILE));
    for (const q of BENCH_QUERIES) {
      const result = await time(naiveRuns, () => runNaive(naiveDb.sqlForBench(), q, duckResult.context));
      rows.push({ query: q.name, engine: 'naive', p50_ms: result.p50, p95_ms: result.p95 });
      log(`  naive    ${q.name.padEnd(48)} p50 ${result.p50} ms  p95 ${result.p95} ms`);
    }
    await naiveDb.close();

    let pgResult: Awaited<ReturnType<typeof benchHttp>> | null = null;
    const pgServer = args['no-postgres'] ? null : await startPostgresServer();
    if (pgServer) {
      try {
        log(`\nPostgreSQL engine: seeding the same demo (${pgServer.description})`);
        const url = await createPostgresDatabase(pgServer.url);
        const pgStore = await PostgresStore.open(url);
        await pgStore.migrate();
        await seedDemo(pgStore, { size, seed: 1, now, log });
        await pgStore.analyze();
        await pgStore.close();
        pgResult = await benchHttp('postgres', { DATABASE_URL: url }, now, rows);
      } finally {
        pgServer.stop();
      }
    } else {
      log('\nPostgreSQL engine: skipped (no server binaries, or --no-postgres)');
    }

    let citusResult: { peakRssMb: number; shards: number; fanOut: FanOut[] } | null = null;
    if (args.citus) {
      const shards = Number(args['citus-shards']);
      const cluster = await startCitusCluster({ shardCount: shards });
      if ('skipped' in cluster) {
        log(`\nCitus: skipped (${cluster.skipped})`);
      } else {
        try {
          log(`\nCitus engine: seeding the same demo (${cluster.description})`);
          const url = await createCitusDatabase(cluster.cluster, `hexwatch_bench_${process.pid}`);
          const citusStore = await PostgresStore.open(url);
          await citusStore.migrate();
          await seedDemo(citusStore, { size, seed: 1, now, log });
          await citusStore.analyze();
          const http = await benchHttp('citus', { DATABASE_URL: url }, now, rows);
          const fanOut = await measureFanOut(citusStore.sqlForBench(), BENCH_QUERIES, http.context, cluster.cluster.workerPorts);
          await citusStore.close();
          citusResult = { peakRssMb: http.peakRssMb, shards, fanOut };
        } finally {
          cluster.stop();
        }
      }
    }

    const ratios: Record<string, { postgres_over_duckdb?: number; citus_over_postgres?: number; naive_over_duckdb: number }> = {};
    for (const q of BENCH_QUERIES) {
      const p50 = (engine: EngineName) => rows.find((r) => r.query === q.name && r.engine === engine)?.p50_ms;
      const duck = p50('duckdb')!;
      const pg = p50('postgres');
      const citus = p50('citus');
      ratios[q.name] = {
        ...(pg !== undefined ? { postgres_over_duckdb: Math.round((pg / duck) * 10) / 10 } : {}),
        ...(pg !== undefined && citus !== undefined ? { citus_over_postgres: Math.round((citus / pg) * 10) / 10 } : {}),
        naive_over_duckdb: Math.round((p50('naive')! / duck) * 10) / 10,
      };
    }
    const result = {
      size,
      incidents: seeded.incidents,
      machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      runs,
      naive_runs: naiveRuns,
      rows,
      ratios,
      bytes_per_cell: duckResult.bytesPerCell,
      peak_rss_mb: duckResult.peakRssMb,
      postgres_peak_rss_mb: pgResult?.peakRssMb ?? null,
      citus: citusResult && {
        shards_per_table: citusResult.shards,
        workers: 2,
        peak_rss_mb: citusResult.peakRssMb,
        fan_out: citusResult.fanOut,
      },
      date: now.toISOString(),
    };
    mkdirSync(join(args.out, '..'), { recursive: true });
    writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');

    const withCitus = citusResult !== null;
    log(`\n| query | DuckDB p50 / p95 ms | PostgreSQL p50 / p95 ms |${withCitus ? ' Citus p50 / p95 ms |' : ''} naive p50 / p95 ms | PG ÷ DuckDB |${withCitus ? ' Citus ÷ PG |' : ''} naive ÷ DuckDB |`);
    log(`|---|---|---|${withCitus ? '---|' : ''}---|---|${withCitus ? '---|' : ''}---|`);
    for (const q of BENCH_QUERIES) {
      const cell = (engine: EngineName) => {
        const r = rows.find((x) => x.query === q.name && x.engine === engine);
        return r ? `${r.p50_ms} / ${r.p95_ms}` : '-';
      };
      const ratio = ratios[q.name]!;
      const citusCells = withCitus ? [` ${cell('citus')} |`, ` ${ratio.citus_over_postgres ?? '-'}x |`] : ['', ''];
      log(`| ${q.name} | ${cell('duckdb')} | ${cell('postgres')} |${citusCells[0]} ${cell('naive')} | ${ratio.postgres_over_duckdb ?? '-'}x |${citusCells[1]} ${ratio.naive_over_duckdb}x |`);
    }
    if (citusResult) {
      const cores = Number(args['citus-cores']);
      const networkMs = Number(args['citus-network-ms']);
      log(`\nCitus shard fan-out (${citusResult.shards} shards a table, 2 workers on this machine; EXPLAIN ANALYZE of the statements each query runs):`);
      log(`estimate for N workers of ${cores} cores: q/s = N x ${cores} x 1000 / (worker core-ms per query); ms = merge + ceil(shards / (N x ${cores})) x median per-shard ms + ${networkMs} ms a statement`);
      for (const line of fanOutTable(citusResult.fanOut, cores, networkMs)) log(line);
      log(`Citus-engine server peak RSS: ${citusResult.peakRssMb} MB`);
    }
    log(`\nq1 compressed bytes per cell: ${result.bytes_per_cell}; DuckDB server peak RSS: ${result.peak_rss_mb} MB` +
      (result.postgres_peak_rss_mb ? `; PostgreSQL-engine server peak RSS: ${result.postgres_peak_rss_mb} MB` : ''));
    log(`written to ${args.out}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
