/**
 * Start: parse the configuration, listen at once (so /healthz answers), open the database,
 * migrate, seed the demo on first start, then report ready.
 */
import { createServer } from 'node:http';
import { readDemoMarker, seedDemo } from '../data/demo/seed.js';
import { createApp } from './app.js';
import { importJobsFor } from './ingest/import-jobs.js';
import type { Readiness } from './app.js';
import { envWarnings, parseEnv } from './env.js';
import type { Env } from './env.js';
import { appBotConfig, startAlertScheduler } from './jobs/scheduler.js';
import { startJobChannel } from './ops/channel.js';
import { startLongConnection } from './feishu/events/long-connection.js';
import { webhookPolicy } from './security/policy.js';
import { openStore, secretKeyConfig } from './store/index.js';
import type { IncidentStore } from './store/types.js';

/** Minutes between prunes of the change feed (live updates keep 24 h or 100,000 changes). */
const FEED_PRUNE_MINUTES = 10;

/** How long a shutdown waits for requests in flight before cutting them off. */
const SHUTDOWN_GRACE_MS = 10_000;


export interface RunningServer {
  url: string;
  store: IncidentStore;
  readiness: Readiness;
  /** Resolves when the database is migrated and seeded (rejects when that fails). */
  whenReady: Promise<void>;
  close(): Promise<void>;
}

async function prepareDatabase(
  store: IncidentStore,
  env: Env,
  readiness: Readiness,
  log: (line: string) => void,
  signal: AbortSignal,
  publicUrl: string,
) {
  readiness.phase = 'migrating';
  await store.migrate({ log });
  // secrets stored in plain text before encryption, or under SECRET_KEY_PREVIOUS: sealed anew
  const sealed = await store.alerts.resealSecrets();
  if (sealed.resealed) log(`sealed ${sealed.resealed} stored secret(s) with the current secret key`);
  if (env.DEMO_DATA === 'none') return;
  const marker = await readDemoMarker(store);
  if (marker?.state === 'started') {
    log(`warning: an earlier demo seed (${marker.size}) was interrupted; the demo data is incomplete. Remove ${env.DATABASE_URL ? 'the database' : env.DATA_DIR} to seed again.`);
    return;
  }
  if (marker || (await store.incidentTotals({ all: true })).total > 0) return;
  readiness.phase = `seeding ${env.DEMO_DATA} demo data`;
  // one alert scan after seeding: a fresh demo has alerts to show
  await seedDemo(store, { size: env.DEMO_DATA, seed: env.DEMO_SEED, now: env.clock.now(), log, signal, alertScan: { publicUrl } });
  // the seed into the database file: a WAL DuckDB cannot replay would otherwise take it along
  await store.checkpoint();
}

export async function startServer(env: Env, log: (line: string) => void = console.log): Promise<RunningServer> {
  const store = await openStore({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    duckdbMemoryLimit: env.DUCKDB_MEMORY_LIMIT,
    duckdbJournalCheckpointMb: env.DUCKDB_JOURNAL_CHECKPOINT_MB,
    log,
    ...secretKeyConfig(env),
  });
  const readiness: Readiness = { ready: false, phase: 'starting' };
  const app = createApp({ env, store, readiness, clientDir: env.CLIENT_DIR });
  const server = createServer(app);
  // Idle keep-alive connections outlive the clients' own timeouts (undici: 4 s, proxies: 60 s),
  // so that a client never reuses a socket the server is just closing (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject).listen(env.PORT, env.HOST, () => resolveListen());
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  const started = Date.now();
  let scheduler: { stop(): void } | null = null;
  let longConnection: { close(): void } | null = null;
  let feedPrune: NodeJS.Timeout | null = null;
  const starting = new AbortController(); // a shutdown during seeding stops it after the chunk in flight
  const whenReady = prepareDatabase(store, env, readiness, log, starting.signal, env.PUBLIC_URL ?? url).then(() => {
    readiness.ready = true;
    readiness.phase = 'ready';
    const app = appBotConfig(env);
    if (env.FEISHU_EVENT_MODE === 'long_connection') {
      if (!app) throw new Error('FEISHU_EVENT_MODE=long_connection needs FEISHU_APP_ID and FEISHU_APP_SECRET');
      longConnection = startLongConnection({ env, store, links: { publicUrl: env.PUBLIC_URL ?? url, app }, log }, app);
    }
    scheduler = startAlertScheduler(store, {
      scanMinutes: env.ALERT_SCAN_MINUTES,
      publicUrl: env.PUBLIC_URL ?? url,
      app,
      webhooks: webhookPolicy(env),
      log,
      clock: env.clock,
    });
    feedPrune = setInterval(() => {
      store.changeFeed.prune(env.clock.now()).catch((error: unknown) => log(`change feed prune failed: ${String(error)}`));
    }, FEED_PRUNE_MINUTES * 60_000);
    feedPrune.unref();
    log(`Hexwatch ready at ${url} (${store.engine}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
  // Commands beside this server (`npm run import`, `scan`, `users`...) hand their jobs over a
  // Unix socket in DATA_DIR/run; they wait there until the database is ready.
  const channel = await startJobChannel({ store, env, ready: whenReady, log }).catch((error: Error) => {
    log(`warning: job channel not started: ${error.message}`);
    return null;
  });
  return {
    url,
    store,
    readiness,
    whenReady,
    async close() {
      scheduler?.stop();
      longConnection?.close();
      if (feedPrune) clearInterval(feedPrune);
      store.changeFeed.close(); // live streams end, so that their connections can close
      await channel?.close();
      // Stop accepting, let requests in flight finish (an ingest commit, say) and only then
      // close the database: closing under a running write has left DuckDB a WAL it could not
      // replay. Requests still running after the grace period are cut off.
      const drained = new Promise<void>((r) => server.close(() => r()));
      // keep-alive sockets turn idle as their last response ends: close them as they do
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await drained;
      clearInterval(sweep);
      clearTimeout(grace);
      await importJobsFor(store).close(); // a browser import rolls back before the database closes
      starting.abort(new Error('shutting down'));
      await whenReady.catch(() => undefined);
      await store.close();
    },
  };
}

async function main() {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  for (const warning of envWarnings(env)) console.warn(`warning: ${warning}`);
  const running = await startServer(env);
  console.log(`Hexwatch listening at ${running.url} (${running.store.engine}); /readyz turns 200 when ready`);
  running.whenReady.catch((error) => {
    console.error('Start failed:', error);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: closing`);
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error('Start failed:', message, /EADDRINUSE/.test(message) ? '(set PORT to a free port)' : '');
    process.exit(1);
  });
}
