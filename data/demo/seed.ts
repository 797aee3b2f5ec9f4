/**
 * Seeding the demo into a store: `seedDemo` (used by the server on an empty database and by
 * tests) and `runSeedCommand` (`npm run seed -- --size small`).
 */
import { parseArgs } from 'node:util';
import { runAlertScan } from '../../server/jobs/alert-scan.js';
import { openStore } from '../../server/store/index.js';
import type { City, IncidentInput, IncidentStore, IncidentWriter } from '../../server/store/types.js';
import type { ExposureInput } from '../../server/ingest/profiles/deliveries.js';
import { generateExposure } from './exposure.js';
import { generateIncidents } from './incidents.js';
import { buildDemoPlan, DEMO_SIZES, isDemoSize, type DemoSize } from './plan.js';
import { Rng } from './random.js';
import { demoUsers } from './users.js';

export { DEMO_SIZES, type DemoSize } from './plan.js';

/** Rows per `writer.write`: large enough to amortise a round trip, small enough to stay cheap in memory. */
const BATCH_ROWS = 10_000;
/** Rows per committed writer, so that 10M rows are never staged in one transaction. */
const COMMIT_ROWS = 250_000;
const PROGRESS_INTERVAL_MS = 1000;

/**
 * The one meta key recording the demo a database holds, as JSON (`DemoMarker`): `started` while
 * a seed runs (an interrupted one stays so), `done` after. The server and `npm run seed` both
 * write it through seedDemo.
 */
export const DEMO_META_KEY = 'demo';
/** The server's key before issue 20 (`started:<size>` / `done:<size>`); read, never written. */
export const LEGACY_DEMO_META_KEY = 'demo.seed';

export interface DemoMarker {
  state: 'started' | 'done';
  size: string;
  seed: number;
  /** ISO time: the end of the demo's history. */
  now: string;
}

/** The demo marker of a store, from the key or from the legacy one; null: no demo was seeded. */
export async function readDemoMarker(store: Pick<IncidentStore, 'getMeta'>): Promise<DemoMarker | null> {
  const value = await store.getMeta(DEMO_META_KEY);
  if (value) {
    const parsed = JSON.parse(value) as Partial<DemoMarker>;
    // before issue 20 the key was written only at the end, without a state
    return { state: parsed.state ?? 'done', size: String(parsed.size), seed: parsed.seed ?? 1, now: parsed.now ?? '' };
  }
  const legacy = await store.getMeta(LEGACY_DEMO_META_KEY);
  if (!legacy) return null;
  const [state, size] = legacy.split(':') as [string, string];
  return { state: state === 'started' ? 'started' : 'done', size: size ?? '', seed: 1, now: '' };
}

export interface SeedOptions {
  size: DemoSize;
  /** Default 1. */
  seed?: number;
  /** End of the two-year history. Default: the current time. */
  now?: Date;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Run one hot-spot alert scan at `now` once the incidents are in, so that a fresh demo shows
   * alerts at once (the scheduler's first run is an interval away). `publicUrl`: the cards' links.
   */
  alertScan?: { publicUrl: string } | null;
}

export interface SeedSummary {
  cities: number;
  stores: number;
  users: number;
  incidents: number;
  events: number;
  seconds: number;
  /** Alerts raised by the scan after seeding (`alertScan`). */
  alerts: number;
}

function formatCount(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Writes cities, stores, users and the incident history of a demo. Deterministic: the same
 * size, seed and `now` write exactly the same rows. Incidents go in committed chunks of
 * COMMIT_ROWS; when aborted, the chunk in flight is rolled back and earlier chunks stay.
 * @throws the signal's reason when aborted, or the store's error.
 */
export async function seedDemo(store: IncidentStore, opts: SeedOptions): Promise<SeedSummary> {
  const startedMs = performance.now();
  const seed = opts.seed ?? 1;
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  const signal = opts.signal;
  const plan = buildDemoPlan(opts.size, seed, now);
  signal?.throwIfAborted();

  // Only what is missing is written: cities, stores and users an admin has since edited stay as
  // they are, and (on DuckDB) rows referenced by others cannot be updated in place anyway.
  const knownCities = new Map((await store.listCities()).map((c) => [c.key, c]));
  const cities: City[] = [];
  for (const c of plan.cities) {
    cities.push(
      knownCities.get(c.key) ??
        (await store.upsertCity({ key: c.key, name: c.name, nameZh: c.nameZh, tz: c.tz, centerLat: c.centerLat, centerLng: c.centerLng })),
    );
  }
  const knownStores = new Map((await store.listStores({ all: true })).map((s) => [s.code, s]));
  const missingStores = plan.stores.filter((s) => !knownStores.has(s.code));
  if (missingStores.length > 0) {
    const added = await store.upsertStores(
      missingStores.map((s) => ({ code: s.code, name: s.name, cityId: cities[s.cityIndex]!.id, lat: s.lat, lng: s.lng, radiusM: s.radiusM })),
    );
    for (const s of added) knownStores.set(s.code, s);
  }
  const stores = plan.stores.map((s) => knownStores.get(s.code)!);
  const users = demoUsers(new Rng(seed, 'users'), stores);
  const knownUsers = new Set((await store.listUsers()).map((u) => u.id));
  await store.upsertUsers(users.filter((u) => !knownUsers.has(u.id)));
  log(`demo ${opts.size} (seed ${seed}, now ${now.toISOString()}): ${cities.length} cities, ${stores.length} stores, ${users.length} users; writing ${formatCount(plan.total)} incidents`);

  const ids = { cityIds: cities.map((c) => c.id), storeIds: stores.map((s) => s.id) };
  const { slaHours } = await store.security.settings();
  const marker = (state: DemoMarker['state']): string => JSON.stringify({ state, size: opts.size, seed, now: now.toISOString() } satisfies DemoMarker);
  await store.setMeta(DEMO_META_KEY, marker('started'));
  let writer: IncidentWriter | null = null;
  let staged = 0;
  let written = 0;
  let inserted = 0;
  let duplicates = 0;
  let events = 0;
  let lastLogMs = performance.now();
  // The write of one batch overlaps with generating the next (the engine works off the JS thread).
  let inFlight: Promise<Error | null> | null = null;

  const settle = async (): Promise<void> => {
    if (!inFlight) return;
    const error = await inFlight;
    inFlight = null;
    if (error) throw error;
  };
  const commit = async (): Promise<void> => {
    await settle();
    if (!writer) return;
    signal?.throwIfAborted();
    const w = writer;
    writer = null;
    const summary = await w.commit();
    inserted += summary.inserted;
    duplicates += summary.duplicates;
    staged = 0;
  };
  const send = async (batch: IncidentInput[]): Promise<void> => {
    await settle();
    signal?.throwIfAborted();
    if (staged >= COMMIT_ROWS) await commit();
    writer ??= await store.openIncidentWriter({ changeFeed: false });
    const w = writer;
    inFlight = w.write(batch).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e : new Error(`incident write failed: ${String(e)}`)),
    );
    staged += batch.length;
    written += batch.length;
    const nowMs = performance.now();
    if (nowMs - lastLogMs >= PROGRESS_INTERVAL_MS) {
      lastLogMs = nowMs;
      const rate = written / ((nowMs - startedMs) / 1000);
      const pct = ((100 * written) / plan.total).toFixed(0);
      log(`  ${formatCount(written)}/${formatCount(plan.total)} incidents (${pct} %), ${formatCount(rate)} rows/s, ~${formatDuration((plan.total - written) / rate)} left`);
    }
  };

  try {
    let batch: IncidentInput[] = [];
    for (const row of generateIncidents(plan, ids, slaHours)) {
      batch.push(row);
      events += row.events.length;
      if (batch.length === BATCH_ROWS) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
    await commit();
  } catch (error) {
    await settle().catch(() => {});
    const w = writer as IncidentWriter | null;
    if (w) await w.rollback().catch(() => {});
    throw error;
  }

  // deliveries per store and day (upserts: seeding again rewrites the same values)
  let exposureRows = 0;
  let exposureBatch: ExposureInput[] = [];
  for (const row of generateExposure(plan, ids.storeIds)) {
    exposureBatch.push(row);
    if (exposureBatch.length === BATCH_ROWS) {
      signal?.throwIfAborted();
      exposureRows += await store.exposure.write(exposureBatch, now);
      exposureBatch = [];
    }
  }
  exposureRows += await store.exposure.write(exposureBatch, now);
  log(`  ${formatCount(exposureRows)} store days of deliveries`);

  if (store.sortIncidents) {
    const sortStarted = performance.now();
    await store.sortIncidents();
    log(`  incidents sorted by city, store and cell in ${formatDuration(Math.round((performance.now() - sortStarted) / 100) / 10)}`);
  }
  await store.setMeta(DEMO_META_KEY, marker('done'));
  let alerts = 0;
  if (opts.alertScan) {
    const scan = await runAlertScan(store, { publicUrl: opts.alertScan.publicUrl, now });
    alerts = scan.created.length;
    log(`alert scan: ${scan.candidates} hot cells, ${alerts} alerts`);
  }
  const seconds = Math.round((performance.now() - startedMs) / 100) / 10;
  log(
    `demo seeded in ${formatDuration(seconds)}: ${formatCount(inserted)} incidents, ${formatCount(events)} events` +
      (duplicates > 0 ? ` (${formatCount(duplicates)} already present, skipped)` : ''),
  );
  return { cities: cities.length, stores: stores.length, users: users.length, incidents: inserted, events, seconds, alerts };
}

export interface SeedArgs {
  size: DemoSize;
  seed: number;
  now: Date | undefined;
  force: boolean;
}

export const SEED_USAGE = 'usage: npm run seed -- --size small|default|large|huge [--seed N] [--now ISO-8601] [--force]';

/**
 * Parses the seed command's arguments.
 * @throws Error with a message for the user when an argument is unknown or invalid.
 */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: 'default' },
      seed: { type: 'string', default: '1' },
      now: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const size = values.size;
  if (!isDemoSize(size)) throw new Error(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}, not "${size}"`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, not "${values.seed}"`);
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO-8601 time such as 2025-06-01T12:00:00+08:00, not "${values.now}"`);
  }
  return { size, seed, now, force: values.force ?? false };
}

/**
 * `npm run seed -- --size small [--seed N] [--now ISO] [--force]`: seeds the configured database.
 * Refuses a database that already holds incidents unless `--force` (then rows with the same
 * external ids are skipped, other demo rows are added). Sets process.exitCode on failure.
 */
export async function runSeedCommand(argv: string[]): Promise<void> {
  let args: SeedArgs;
  try {
    args = parseSeedArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${SEED_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const store = await openStore({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.DATA_DIR ?? './var',
    secretKey: process.env.SECRET_KEY ?? null,
    secretKeyPrevious: process.env.SECRET_KEY_PREVIOUS ?? null,
    production: process.env.NODE_ENV === 'production',
  });
  const aborter = new AbortController();
  const onInterrupt = (): void => aborter.abort(new Error('seeding interrupted; the chunk in progress was rolled back'));
  process.once('SIGINT', onInterrupt);
  try {
    await store.migrate();
    const existing = (await store.incidentTotals({ all: true })).total;
    if (existing > 0 && !args.force) {
      console.error(
        `The ${store.engine} database already holds ${formatCount(existing)} incidents; not seeding the demo on top of them.\n` +
          `Use an empty database (another DATA_DIR or DATABASE_URL), or pass --force to add the demo anyway.`,
      );
      process.exitCode = 1;
      return;
    }
    const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
    const summary = await seedDemo(store, { size: args.size, seed: args.seed, now: args.now, log: (line) => console.log(line), signal: aborter.signal, alertScan: { publicUrl } });
    console.log(
      `Seeded ${store.engine}: ${summary.cities} cities, ${summary.stores} stores, ${summary.users} users, ` +
        `${formatCount(summary.incidents)} incidents, ${formatCount(summary.events)} events in ${summary.seconds} s.`,
    );
  } catch (error) {
    console.error(`Seeding failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    await store.close();
  }
}
