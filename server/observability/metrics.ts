/**
 * Prometheus metrics (prom-client) and `GET /metrics`. One registry per process: the metrics
 * are module singletons, so several apps in one process (the tests) share them. Label values
 * come from fixed sets (route patterns, procedure names, outcomes), never from raw URLs, so that
 * a client cannot grow the series without bound.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DuckDbStore } from '../store/duckdb.js';
import { PostgresStore } from '../store/postgres.js';
import type { IncidentStore, WriteSummary } from '../store/types.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'hexwatch_' });

/** Request latencies from 5 ms to 30 s (seconds). */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const httpDuration = new Histogram({
  name: 'hexwatch_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS_S,
  registers: [registry],
});

const trpcDuration = new Histogram({
  name: 'hexwatch_trpc_procedure_duration_seconds',
  help: 'tRPC procedure duration by procedure, type and result (ok or the error code)',
  labelNames: ['procedure', 'type', 'result'] as const,
  buckets: LATENCY_BUCKETS_S,
  registers: [registry],
});

const ingestBatches = new Counter({
  name: 'hexwatch_ingest_batches_total',
  help: 'Ingest batches by source (api, import, bitable) and outcome (committed, rejected)',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

const ingestRecords = new Counter({
  name: 'hexwatch_ingest_records_total',
  help: 'Ingested records by source and outcome (inserted, duplicate, rejected)',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

const alertScanDuration = new Histogram({
  name: 'hexwatch_alert_scan_duration_seconds',
  help: 'Hot-spot alert scan duration by outcome (ok, error)',
  labelNames: ['outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

// Read from the database at scrape time: the outbox is shared by every instance.
const outboxMessages = new Gauge({
  name: 'hexwatch_outbox_messages',
  help: 'Notification outbox rows by status (pending and sending are the backlog; failed gave up)',
  labelNames: ['status'] as const,
  registers: [registry],
});
const outboxOldestPending = new Gauge({
  name: 'hexwatch_outbox_oldest_pending_seconds',
  help: 'Age of the oldest undelivered (pending or sending) outbox row, 0 when none',
  registers: [registry],
});
const deliveries = new Counter({
  name: 'hexwatch_outbox_deliveries_total',
  help: 'Notification delivery attempts from this process by result (sent, retry, rate_limited, failed: given up)',
  labelNames: ['result'] as const,
  registers: [registry],
});
const dbPool = new Gauge({
  name: 'hexwatch_db_pool_connections',
  help: 'PostgreSQL connection pool: open (total), idle, and requests waiting for a connection (waiting); max is the pool size',
  labelNames: ['state'] as const,
  registers: [registry],
});
const duckdbBytes = new Gauge({
  name: 'hexwatch_duckdb_bytes',
  help: 'DuckDB (no pool): buffer memory in use, its limit, database file and WAL sizes',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** Times one tRPC call (from the middleware in server/trpc.ts). */
export function observeProcedure(procedure: string, type: string, result: string, seconds: number): void {
  trpcDuration.observe({ procedure, type, result }, seconds);
}

/** Counts a committed ingest batch (API request, file import, Bitable sync). */
export function recordIngestCommitted(source: string, summary: WriteSummary): void {
  ingestBatches.inc({ source, outcome: 'committed' });
  ingestRecords.inc({ source, outcome: 'inserted' }, summary.inserted);
  ingestRecords.inc({ source, outcome: 'duplicate' }, summary.duplicates);
}

/** Counts a batch refused whole (nothing stored) with the records it held. */
export function recordIngestRejected(source: string, records: number): void {
  ingestBatches.inc({ source, outcome: 'rejected' });
  ingestRecords.inc({ source, outcome: 'rejected' }, records);
}

/** Counts one delivery run's attempts (server/feishu/delivery.ts). */
export function recordDeliveries(report: { sent: number; retried: number; rateLimited: number; failed: number }): void {
  deliveries.inc({ result: 'sent' }, report.sent);
  deliveries.inc({ result: 'retry' }, report.retried);
  deliveries.inc({ result: 'rate_limited' }, report.rateLimited);
  deliveries.inc({ result: 'failed' }, report.failed);
}

/** Runs and times an alert scan. */
export async function timeAlertScan<T>(scan: () => Promise<T>): Promise<T> {
  const end = alertScanDuration.startTimer();
  try {
    const result = await scan();
    end({ outcome: 'ok' });
    return result;
  } catch (error) {
    end({ outcome: 'error' });
    throw error;
  }
}

/**
 * The route label: the matched Express route pattern (`/api/v1/incidents`) when there is one,
 * else the router's mount point (`/trpc`: procedures have their own metric), else a fixed word.
 */
function routeLabel(req: Request): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}` || '/';
  if (req.baseUrl) return req.baseUrl;
  return req.method === 'GET' || req.method === 'HEAD' ? 'static' : 'unmatched';
}

/** Observes every request's duration when its response finishes (or the client goes away). */
export function requestMetrics(): RequestHandler {
  return (req, res, next) => {
    const end = httpDuration.startTimer();
    // Read the route while the response is being written: Express resets req.baseUrl as the
    // request leaves each router, before 'close'.
    let route: string | null = null;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with apply(this): the wrapper keeps the response as `this`
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      route ??= routeLabel(req);
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    res.once('close', () => end({ method: req.method, route: route ?? routeLabel(req), status: String(res.statusCode) }));
    next();
  };
}

async function refreshStoreGauges(store: IncidentStore): Promise<void> {
  const db = store.sqlForTools();
  const rows = await db.query(
    `SELECT status, count(*) AS n, min(created_at) FILTER (WHERE status IN ('pending', 'sending')) AS oldest FROM outbox GROUP BY status`,
  );
  outboxMessages.reset();
  for (const status of ['pending', 'sending', 'sent', 'failed']) outboxMessages.set({ status }, 0);
  let oldest: number | null = null;
  for (const r of rows) {
    outboxMessages.set({ status: String(r.status) }, Number(r.n));
    if (r.oldest) {
      const t = new Date(r.oldest as Date | string).getTime();
      oldest = oldest === null ? t : Math.min(oldest, t);
    }
  }
  outboxOldestPending.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
  if (store instanceof PostgresStore) {
    const pool = store.poolStats();
    for (const state of ['total', 'idle', 'waiting', 'max'] as const) dbPool.set({ state }, pool[state]);
  } else if (store instanceof DuckDbStore) {
    const s = await store.memoryStats();
    duckdbBytes.set({ kind: 'memory' }, s.memoryBytes);
    duckdbBytes.set({ kind: 'memory_limit' }, s.memoryLimitBytes);
    duckdbBytes.set({ kind: 'database' }, s.databaseBytes);
    duckdbBytes.set({ kind: 'wal' }, s.walBytes);
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

function sameSecret(given: string, expected: string): boolean {
  // compare digests: equal length, and the comparison takes the same time wherever they differ
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * May this request read /metrics? With the bearer token when METRICS_TOKEN is set; without it
 * only from this machine: the TCP peer is loopback and so is the client address Express derives
 * from X-Forwarded-For (`trust proxy` trusts loopback proxies only, so a remote client's own
 * X-Forwarded-For: 127.0.0.1 is ignored, and a local proxy's appended remote address counts).
 */
export function metricsAccess(req: Request, token: string | undefined): 'ok' | 'unauthorized' | 'forbidden' {
  const auth = /^Bearer\s+(\S{1,500})\s*$/i.exec(req.headers.authorization ?? '');
  if (token && auth) return sameSecret(auth[1]!, token) ? 'ok' : 'unauthorized';
  const peer = req.socket.remoteAddress ?? '';
  if (LOOPBACK.test(peer) && LOOPBACK.test(req.ip ?? '')) return 'ok';
  return token ? 'unauthorized' : 'forbidden';
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoute(store: IncidentStore, token: string | undefined): RequestHandler {
  return async (req, res, next) => {
    const access = metricsAccess(req, token);
    if (access !== 'ok') {
      if (access === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer realm="hexwatch-metrics"');
      res.status(access === 'unauthorized' ? 401 : 403).json({
        error: token
          ? 'Metrics need Authorization: Bearer <METRICS_TOKEN>, or a request from this machine.'
          : 'Metrics answer only on this machine (set METRICS_TOKEN to scrape from elsewhere).',
      });
      return;
    }
    try {
      await refreshStoreGauges(store).catch(() => undefined); // a database hiccup must not hide the process metrics
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
