/**
 * `npm run bench:load` — the load test of issue 7 (not part of `npm test`).
 *
 * Starts the server as a child process on loopback with the small demo, signs an analyst in,
 * makes an API key, then runs 50 concurrent connections for 30 s with autocannon: 40 asking for
 * hexbins (resolutions 6..9, varied filters) and 10 posting ingest batches of 50 records (one
 * batch in ten re-sent on purpose, to check idempotency under concurrency). Prints p50/p95/p99
 * per kind and the error count; then stops the server and counts the records stored: every
 * accepted record exactly once, nothing lost, nothing duplicated. Exits 1 on any error.
 *
 * Both engines run in the same invocation by default (one after the other, same load), and a
 * last table compares them: ingest records/s and p50/p95, map-query (hexbins) p50/p95.
 * Meanwhile it holds open live.changes subscriptions (SSE, store screens; issue 14) and prints
 * the latency from sending an ingest batch to each delivery of its records (p50/p95).
 *
 *   npm run bench:load -- [--duration 30] [--connections 50] [--engine both|duckdb|postgres] [--subscriptions 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentStore } from '../../server/store/types.js';
import { createPostgresDatabase } from '../support/engines.js';
import { startPostgresServer } from '../support/postgres-server.js';
import { readDemoMarker } from '../../data/demo/seed.js';
import { devLogin } from './http-timing.js';
import { holdSubscriptions } from './live-subscribers.js';
import { startServerProcess } from './server-process.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    engine: { type: 'string', default: 'both' },
    batch: { type: 'string', default: '50' },
    subscriptions: { type: 'string', default: '200' },
  },
});
const DURATION_S = Math.min(600, Math.max(1, Number(args.duration)));
const CONNECTIONS = Math.min(500, Math.max(2, Number(args.connections)));
const INGEST_CONNECTIONS = Math.max(1, Math.round(CONNECTIONS / 5));
const BATCH = Math.min(5000, Math.max(1, Number(args.batch)));
const SUBSCRIPTIONS = Math.min(2000, Math.max(0, Number(args.subscriptions)));
/** The whole run may not take longer than this, whatever hangs. */
const HARD_LIMIT_MS = (DURATION_S + 240) * 1000;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(name: string, latencies: number[], errors: number, extra = '') {
  const s = [...latencies].sort((a, b) => a - b);
  const f = (n: number) => `${n.toFixed(1)} ms`.padStart(10);
  return `${name.padEnd(8)} ${String(s.length).padStart(7)} req  p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))}  errors ${errors}${extra}`;
}

interface EngineFigures {
  engine: string;
  ingestRecordsPerS: number;
  ingest: { p50: number; p95: number; n: number };
  hexbins: { p50: number; p95: number; n: number };
  /** Errors, lost or duplicated records. */
  failed: boolean;
}

async function runEngine(engine: string): Promise<EngineFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hexwatch-load-'));
  let pg: Awaited<ReturnType<typeof startPostgresServer>> = null;
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    pg = await startPostgresServer();
    if (!pg) throw new Error('no PostgreSQL server binaries found (or set DATABASE_URL)');
    databaseUrl = await createPostgresDatabase(pg.url);
  }
  console.log(`load test: ${CONNECTIONS} connections (${CONNECTIONS - INGEST_CONNECTIONS} hexbins, ${INGEST_CONNECTIONS} ingest of ${BATCH}) for ${DURATION_S} s on ${engine}`);
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    DEMO_DATA: 'small',
    INGEST_RATE_PER_MINUTE: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  let failed = false;
  let figures: Omit<EngineFigures, 'failed'> | null = null;
  try {
    const cookie = await devLogin(server.url, 'demo-admin');
    const trpc = async (path: string, input?: unknown, method: 'GET' | 'POST' = 'GET') => {
      const url = new URL(`/trpc/${path}${method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`, server.url);
      const res = await fetch(url, { method, headers: { cookie, 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(input) : undefined });
      if (!res.ok) throw new Error(`${path} -> ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { result: { data: unknown } }).result.data;
    };
    const { key } = (await trpc('admin.apiKeys.create', { name: 'load test' }, 'POST')) as { key: string };
    const stores = (await trpc('stores.list')) as Array<{ id: number; code: string; lat: number; lng: number; cityId: number }>;
    const cities = [...new Set(stores.map((s) => s.cityId))];
    // live screens (issue 14): open before the load starts, held through it
    const live = SUBSCRIPTIONS ? await holdSubscriptions(server.url, cookie, SUBSCRIPTIONS, stores.map((s) => s.id)) : null;

    // Hexbin requests: a fixed rotation of resolutions and filters, as map users pan and filter.
    const hexbinPaths: string[] = [];
    for (const resolution of [6, 7, 8, 9]) {
      for (const filters of [{}, { kinds: ['accident'] }, { severities: [3, 4] }, { cityIds: [cities[0]!] }, { statuses: ['open', 'assigned'], overdueOnly: true }]) {
        hexbinPaths.push(`/trpc/map.hexbins?input=${encodeURIComponent(JSON.stringify({ resolution, filters }))}`);
      }
    }

    // Ingest: unique ids per batch; one batch in ten repeats an earlier one on purpose.
    let batchSeq = 0;
    const sentBatches: string[] = [];
    const uniqueIds = new Set<string>();
    let acceptedInserted = 0;
    let acceptedDuplicates = 0;
    const makeBatch = (): string => {
      if (sentBatches.length > 5 && batchSeq % 10 === 9) {
        batchSeq++;
        return sentBatches[Math.floor(Math.random() * sentBatches.length)]!;
      }
      const n = batchSeq++;
      const incidents = Array.from({ length: BATCH }, (_, k) => {
        const store = stores[(n * BATCH + k) % stores.length]!;
        return {
          source: 'ai_vision',
          externalId: `load-${n}-${k}`,
          kind: 'exception',
          category: 'no_helmet',
          severity: 1 + (k % 4),
          occurredAt: new Date(Date.now() - k * 60_000).toISOString(),
          lat: store.lat + ((k % 7) - 3) * 0.001,
          lng: store.lng + ((k % 5) - 2) * 0.001,
          storeCode: store.code,
          ai: { label: 'no_helmet', confidence: 0.9 },
        };
      });
      const body = JSON.stringify({ incidents });
      sentBatches.push(body);
      return body;
    };

    const latencies = { hexbins: [] as number[], ingest: [] as number[] };
    const errors = { hexbins: 0, ingest: 0 };
    const statuses: Record<string, number> = {};

    const timed = (kind: 'hexbins' | 'ingest') => ({
      setupRequest: (req: autocannon.Request, context: object) => {
        (context as { t0?: number }).t0 = performance.now();
        if (kind === 'ingest') {
          const body = makeBatch();
          const ids = [...body.matchAll(/"externalId":"(load-[\d-]+)"/g)].map((m) => m[1]!);
          (context as { ids?: string[] }).ids = ids;
          live?.sent(ids);
          return { ...req, body };
        }
        return { ...req, path: hexbinPaths[Math.floor(Math.random() * hexbinPaths.length)]! };
      },
      onResponse: (status: number, body: string, context: object) => {
        latencies[kind].push(performance.now() - (context as { t0: number }).t0);
        statuses[`${kind} ${status}`] = (statuses[`${kind} ${status}`] ?? 0) + 1;
        if (status !== 200) {
          errors[kind]++;
          if (errors[kind] <= 3) console.error(`${kind} ${status}: ${body.slice(0, 300)}`);
          return;
        }
        if (kind === 'ingest') {
          const r = JSON.parse(body) as { inserted: number; duplicates: number };
          acceptedInserted += r.inserted;
          acceptedDuplicates += r.duplicates;
          for (const id of (context as { ids: string[] }).ids) uniqueIds.add(id);
          live?.acknowledged((context as { ids: string[] }).ids);
        }
      },
    });

    const run = (opts: autocannon.Options) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(opts, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
      });
    const [hexRun, ingestRun] = await Promise.all([
      run({
        url: server.url,
        connections: CONNECTIONS - INGEST_CONNECTIONS,
        duration: DURATION_S,
        timeout: 30,
        headers: { cookie, 'accept-encoding': 'gzip' },
        requests: [{ method: 'GET', path: hexbinPaths[0]!, ...timed('hexbins') }],
      }),
      run({
        url: server.url,
        connections: INGEST_CONNECTIONS,
        duration: DURATION_S,
        timeout: 30,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        requests: [{ method: 'POST', path: '/api/v1/incidents', ...timed('ingest') }],
      }),
    ]);
    // autocannon's own count of socket errors and timeouts (no response at all)
    const transport = hexRun.errors + hexRun.timeouts + ingestRun.errors + ingestRun.timeouts;

    console.log(summary('hexbins', latencies.hexbins, errors.hexbins, `  (${(latencies.hexbins.length / DURATION_S).toFixed(0)} req/s)`));
    console.log(summary('ingest', latencies.ingest, errors.ingest, `  (${((acceptedInserted) / DURATION_S).toFixed(0)} records/s stored)`));
    const sortedIngest = [...latencies.ingest].sort((a, b) => a - b);
    const sortedHex = [...latencies.hexbins].sort((a, b) => a - b);
    figures = {
      engine,
      ingestRecordsPerS: acceptedInserted / DURATION_S,
      ingest: { p50: percentile(sortedIngest, 50), p95: percentile(sortedIngest, 95), n: sortedIngest.length },
      hexbins: { p50: percentile(sortedHex, 50), p95: percentile(sortedHex, 95), n: sortedHex.length },
    };
    console.log(`statuses: ${JSON.stringify(statuses)}; socket errors and timeouts: ${transport}`);
    if (live) {
      const l = await live.stop();
      console.log(summary('delivery', l.latencies, l.errors, `  (ingest request sent to SSE delivery; ${l.subscriptions} subscriptions, ${l.stillOpen} open at the end)`));
      console.log(summary('post-ack', l.fromAck, 0, '  (SSE delivery after the ingest response arrived; negative: before it)'));
      if (l.errors || l.stillOpen < l.subscriptions || !l.latencies.length) {
        console.error(`FAIL: live subscriptions: ${l.errors} errors, ${l.subscriptions - l.stillOpen} dropped, ${l.latencies.length} deliveries`);
        failed = true;
      }
    }

    // autocannon drops its sockets at the deadline while the server may still be committing a
    // batch; give those a moment, since stopping now would close the database under them
    // (server/index.ts closes the store without draining in-flight handlers).
    await new Promise((r) => setTimeout(r, 3000));
    await server.stop();
    const store: IncidentStore = databaseUrl ? await PostgresStore.open(databaseUrl) : await DuckDbStore.open(join(dataDir, DUCKDB_FILE));
    let stored: number;
    try {
      // the demo has ai_vision detections of its own; the load test's all start with `load-`
      const totals = await store.incidentTotals({ all: true }, { source: 'ai_vision' });
      const before = (await readDemoMarker(store)) ? totals.total - acceptedInserted : 0;
      stored = acceptedInserted;
      let missing = 0;
      for (const id of uniqueIds) if (!(await store.incidentBySourceKey('ai_vision', id, { all: true }))) missing++;
      console.log(
        `records: ${uniqueIds.size} distinct accepted, ${acceptedInserted} inserted + ${acceptedDuplicates} duplicates reported; ` +
          `missing after the run ${missing}; ai_vision rows ${totals.total} (demo ${before})`,
      );
      const lost = missing;
      const duplicated = acceptedInserted - uniqueIds.size;
      if (lost || duplicated) {
        console.error(`FAIL: ${lost} accepted records lost, ${duplicated} inserted more than once`);
        failed = true;
      }
    } finally {
      await store.close();
    }
    const totalErrors = errors.hexbins + errors.ingest + transport;
    if (totalErrors) {
      console.error(`FAIL: ${totalErrors} errors`);
      failed = true;
    }
    if (!failed) console.log(`OK: no errors, ${stored} records stored once each`);
  } finally {
    await server.stop();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (!figures) throw new Error(`no figures for ${engine}`);
  return { ...figures, failed };
}

async function main() {
  const engines = args.engine === 'both' ? ['duckdb', 'postgres'] : [args.engine];
  const watchdog = setTimeout(() => {
    console.error(`load test exceeded ${(HARD_LIMIT_MS * engines.length) / 1000} s: aborting`);
    process.exit(2);
  }, HARD_LIMIT_MS * engines.length);
  watchdog.unref();
  const all: EngineFigures[] = [];
  for (const engine of engines) all.push(await runEngine(engine));
  clearTimeout(watchdog);
  const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(9);
  console.log(`\nsame run, same load (${CONNECTIONS - INGEST_CONNECTIONS} map readers, ${INGEST_CONNECTIONS} writers of ${BATCH} records, ${DURATION_S} s each):`);
  console.log(`engine     ingest records/s  ingest p50  ingest p95  map p50  map p95`);
  for (const f of all) {
    console.log(`${f.engine.padEnd(10)} ${f.ingestRecordsPerS.toFixed(0).padStart(16)} ${ms(f.ingest.p50)}   ${ms(f.ingest.p95)} ${ms(f.hexbins.p50)} ${ms(f.hexbins.p95)}`);
  }
  const duck = all.find((f) => f.engine === 'duckdb');
  const pgf = all.find((f) => f.engine === 'postgres');
  if (duck && pgf) {
    console.log(
      `duckdb/postgres: ingest p95 x${(duck.ingest.p95 / pgf.ingest.p95).toFixed(2)} (target <= 1), ` +
        `records/s x${(duck.ingestRecordsPerS / pgf.ingestRecordsPerS).toFixed(2)}, map p95 x${(duck.hexbins.p95 / pgf.hexbins.p95).toFixed(2)}`,
    );
  }
  const failed = all.some((f) => f.failed);
  // stdout to a pipe is asynchronous: exit once the last lines are out
  process.stdout.write('', () => process.exit(failed ? 1 : 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
