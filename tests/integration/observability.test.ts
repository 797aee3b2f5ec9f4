/**
 * /metrics (Prometheus text, loopback or bearer token only) and the JSON request log with request
 * ids, over real HTTP on both engines. Remote clients are simulated as a loopback proxy would
 * forward them (X-Forwarded-For), since tests only talk to loopback.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Request } from 'express';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { parseEnv } from '../../server/env.js';
import { deliverDue, notifierFactory } from '../../server/feishu/delivery.js';
import { runAlertScan } from '../../server/jobs/alert-scan.js';
import { metricsAccess } from '../../server/observability/metrics.js';
import { createLogger } from '../../server/observability/request-log.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents } from '../support/ingest-client.js';

const TOKEN = 'metrics-token-0123456789abcdef';

interface LogLine {
  level: number;
  time: string;
  msg: string;
  responseTime: number;
  req: { id: string; method: string; path: string };
  res: { statusCode: number };
}

/** The Prometheus text as {name, labels, value} samples (a parser written for the test). */
function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const hit = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit.reduce((sum, s) => sum + s.value, 0);
}

async function startApp(store: IncidentStore, env: Record<string, string> = {}) {
  const lines: LogLine[] = [];
  const parsed = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DEMO_DATA: 'none', ...env });
  const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s)) });
  const app = createApp({ env: parsed, store, readiness: { ready: true, phase: 'ready' }, clientDir: '/nonexistent', logger });
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    lines,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.each(engines())('metrics and request logs on $engine', ({ engine, open }) => {
  let store: IncidentStore;
  let plain: Awaited<ReturnType<typeof startApp>>;
  let guarded: Awaited<ReturnType<typeof startApp>>;
  let key: string;

  beforeAll(async () => {
    store = await open();
    await seedPlaces(store);
    key = (await store.security.createApiKey('vision', 'test-admin')).key;
    plain = await startApp(store);
    guarded = await startApp(store, { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await plain?.close();
    await guarded?.close();
    await store?.close();
  });

  it('answers /metrics on loopback in the Prometheus text format', async () => {
    const res = await fetch(`${plain.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP hexwatch_http_request_duration_seconds /m);
    expect(samples(text).length).toBeGreaterThan(20);
  });

  it('refuses /metrics to a remote client without the token, also one that claims to be loopback', async () => {
    for (const forwardedFor of ['203.0.113.9', '127.0.0.1, 203.0.113.9', '::1, 198.51.100.4']) {
      const res = await fetch(`${plain.url}/metrics`, { headers: { 'x-forwarded-for': forwardedFor } });
      expect(res.status, forwardedFor).toBe(403);
      const body = await res.json();
      expect(body.error).toMatch(/only on this machine.*METRICS_TOKEN/);
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    }
    // a client connected from elsewhere is not loopback whatever address Express derives
    const direct = { headers: {}, socket: { remoteAddress: '203.0.113.9' }, ip: '127.0.0.1' } as unknown as Request;
    expect(metricsAccess(direct, undefined)).toBe('forbidden');
    expect(metricsAccess(direct, TOKEN)).toBe('unauthorized');
    const local = { headers: {}, socket: { remoteAddress: '::ffff:127.0.0.1' }, ip: '::ffff:127.0.0.1' } as unknown as Request;
    expect(metricsAccess(local, undefined)).toBe('ok');
  });

  it('lets a remote scraper in with METRICS_TOKEN as a bearer token, and only with it', async () => {
    const remote = { 'x-forwarded-for': '203.0.113.9' };
    const none = await fetch(`${guarded.url}/metrics`, { headers: remote });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${guarded.url}/metrics`, { headers: { ...remote, authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${guarded.url}/metrics`, { headers: { ...remote, authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/hexwatch_http_request_duration_seconds_bucket/);
  });

  it('counts requests by route and status, procedures, ingest, scans, the outbox and the database', async () => {
    const before = await (await fetch(`${plain.url}/metrics`)).text();
    await fetch(`${plain.url}/healthz`);
    await fetch(`${plain.url}/trpc/auth.me`);
    expect((await fetch(`${plain.url}/trpc/stores.list`)).status).toBe(401);
    const ok = await postIncidents(plain.url, key, { incidents: [apiRecord({ externalId: `m-${engine}-1` }), apiRecord({ externalId: `m-${engine}-2` })] });
    expect(ok.status).toBe(200);
    const bad = await postIncidents(plain.url, key, { incidents: [apiRecord({ externalId: 'x', severity: 9 }), apiRecord({ externalId: 'y' }), apiRecord({ externalId: 'z' })] });
    expect(bad.status).toBe(422);
    await runAlertScan(store, { publicUrl: 'https://hexwatch.example.com' });
    // two notifications in the outbox, one of them given up
    const fz = (await store.listStores({ all: true })).find((s) => s.code === 'FZ-001')!;
    await store.alerts.setTarget({ storeId: fz.id, channel: 'webhook', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', webhookSecret: null, chatId: null, enabled: true }, new Date());
    const alert = (episode: string) => ({ storeId: fz.id, cityId: fz.cityId, cell: latLngToCell(fz.lat, fz.lng, 8), resolution: 8, episode, week: episode, class: 'new_hot' as const, z: 3, weekCount: 5, totalCount: 6, weeks: 8 });
    const created = new Date(Date.now() - 120_000);
    await store.alerts.recordAlerts([alert('2025-01-06'), alert('2025-01-13')], () => ({}), created);
    const [first] = await store.alerts.claimOutbox(new Date(), 60_000, 1);
    await store.alerts.markFailed(first!, 19001, 'bad webhook');
    // the other one meets a webhook nobody listens on (a closed loopback port): retried later
    await store.alerts.setTarget({ storeId: fz.id, channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: null, chatId: null, enabled: true }, new Date());
    expect(await deliverDue(store.alerts, notifierFactory(null))).toMatchObject({ retried: 1, sent: 0 });

    const after = await (await fetch(`${plain.url}/metrics`)).text();
    const delta = (name: string, labels: Record<string, string>) => value(after, `${name}`, labels) - value(before, name, labels);
    expect(delta('hexwatch_http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status: '200' })).toBe(1);
    expect(delta('hexwatch_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/incidents', status: '200' })).toBe(1);
    expect(delta('hexwatch_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/incidents', status: '422' })).toBe(1);
    expect(delta('hexwatch_http_request_duration_seconds_count', { route: '/trpc', status: '401' })).toBe(1);
    expect(delta('hexwatch_trpc_procedure_duration_seconds_count', { procedure: 'auth.me', type: 'query', result: 'ok' })).toBe(1);
    expect(delta('hexwatch_trpc_procedure_duration_seconds_count', { procedure: 'stores.list', type: 'query', result: 'UNAUTHORIZED' })).toBe(1);
    expect(delta('hexwatch_ingest_batches_total', { source: 'api', outcome: 'committed' })).toBe(1);
    expect(delta('hexwatch_ingest_records_total', { source: 'api', outcome: 'inserted' })).toBe(2);
    expect(delta('hexwatch_ingest_batches_total', { source: 'api', outcome: 'rejected' })).toBe(1);
    expect(delta('hexwatch_ingest_records_total', { source: 'api', outcome: 'rejected' })).toBe(3);
    expect(delta('hexwatch_alert_scan_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(delta('hexwatch_outbox_deliveries_total', { result: 'retry' })).toBe(1);
    expect(value(after, 'hexwatch_outbox_messages', { status: 'pending' })).toBe(1);
    expect(value(after, 'hexwatch_outbox_messages', { status: 'failed' })).toBe(1);
    expect(value(after, 'hexwatch_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(119);
    if (engine === 'postgres') {
      expect(value(after, 'hexwatch_db_pool_connections', { state: 'max' })).toBe(4); // engines() opens pools of 4
      expect(value(after, 'hexwatch_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    } else {
      expect(value(after, 'hexwatch_duckdb_bytes', { kind: 'memory_limit' })).toBeGreaterThan(0);
      expect(value(after, 'hexwatch_duckdb_bytes', { kind: 'memory' })).toBeGreaterThan(0);
    }
  });

  it('logs one JSON line per request with its id, kept from a sane X-Request-Id and made otherwise', async () => {
    const sane = `req-${engine}-42`;
    const given = await fetch(`${plain.url}/trpc/auth.me?input=${encodeURIComponent('{"secret":"s3"}')}`, { headers: { 'x-request-id': sane } });
    expect(given.headers.get('x-request-id')).toBe(sane);
    const forged = await fetch(`${plain.url}/trpc/auth.me`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    const made = forged.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const long = await fetch(`${plain.url}/healthz`, { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(long.headers.get('x-request-id')).not.toBe('a'.repeat(129));
    await new Promise((r) => setTimeout(r, 50)); // the line is written when the response has finished
    const mine = plain.lines.filter((l) => l.req?.id === sane);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET', path: '/trpc/auth.me' }, res: { statusCode: 200 } });
    expect(mine[0]!.responseTime).toBeGreaterThanOrEqual(0);
    expect(Date.parse(mine[0]!.time)).not.toBeNaN();
    expect(JSON.stringify(mine[0])).not.toMatch(/s3|secret/); // no query strings in logs
    expect(plain.lines.filter((l) => l.req?.id === made)).toHaveLength(1);
    // probes, polled every few seconds, log at debug only
    expect(plain.lines.filter((l) => l.req?.path === '/healthz')).toEqual([]);
  });

  it('puts the request id into error responses: tRPC, the ingest API and /metrics', async () => {
    const trpc = await fetch(`${plain.url}/trpc/stores.list`, { headers: { 'x-request-id': 'trpc-err-1' } });
    expect(trpc.status).toBe(401);
    expect(trpc.headers.get('x-request-id')).toBe('trpc-err-1');
    expect((await trpc.json()).error.data.requestId).toBe('trpc-err-1');
    const ingest = await postIncidents(plain.url, null, { incidents: [] }, { 'x-request-id': 'ingest-err-1' });
    expect(ingest.status).toBe(401);
    expect(await ingest.json()).toMatchObject({ requestId: 'ingest-err-1' });
    const refused = await fetch(`${plain.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const id = refused.headers.get('x-request-id');
    expect(id).toBeTruthy();
    expect((await refused.json()).requestId).toBe(id);
    await new Promise((r) => setTimeout(r, 50));
    const line = plain.lines.find((l) => l.req?.id === 'ingest-err-1')!;
    expect(line).toMatchObject({ level: 40, res: { statusCode: 401 } }); // 4xx log as warnings
  });
});

describe('configuration of logs and metrics', () => {
  it('keeps test output quiet and production at info, and checks METRICS_TOKEN', () => {
    expect(parseEnv({ NODE_ENV: 'test' }).LOG_LEVEL).toBe('silent');
    expect(parseEnv({ NODE_ENV: 'development' }).LOG_LEVEL).toBe('info');
    expect(parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
    expect(() => parseEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
