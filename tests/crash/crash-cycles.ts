/**
 * Kill cycles for one engine (issue 11): the real server runs as a child process on a fresh
 * data folder (or PostgreSQL database) with the small demo; clients post ingest batches through
 * the HTTP API while the server is killed with SIGKILL at a random moment; it is started again
 * on the same data. After each restart:
 *   - the server starts (the database opens, migrations and recovery succeed);
 *   - re-posting every batch acknowledged before the kill inserts nothing;
 *   - re-posting each batch that was in flight at the kill inserts all of it or none;
 * and at the end, the rows stored equal the distinct records sent, each once.
 * Used by `npm run test:crash` (tests/crash/run.ts) and, briefly, by tests/integration/crash.test.ts.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { devLogin } from '../bench/http-timing.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CrashRunOptions {
  engine: 'duckdb' | 'postgres';
  /** PostgreSQL only: the database the server uses (fresh). */
  databaseUrl?: string;
  cycles: number;
  /** The kill comes this long after the clients start posting, uniformly at random. */
  killAfterMs: readonly [min: number, max: number];
  clients: number;
  /** Records per batch, uniformly at random. */
  batchSize: readonly [min: number, max: number];
  log: (line: string) => void;
  /** A fixed seed makes the batch sizes and kill moments repeatable. */
  seed?: number;
}

export interface CycleReport {
  cycle: number;
  killedAfterMs: number;
  acknowledged: { batches: number; records: number };
  inFlight: { batches: number; wereStored: number; wereNot: number };
  restartMs: number;
  /** Re-posts of acknowledged batches that inserted anything (must be 0). */
  reinsertedAfterAck: number;
}

export interface CrashRunResult {
  cycles: CycleReport[];
  distinctRecordsSent: number;
  storedRows: number;
  storedDistinct: number;
  /** Everything that went against the rules; empty when the run passed. */
  problems: string[];
  /** DuckDB: WAL files set aside as unreplayable during the run. */
  walsSetAside: number;
}

interface Batch {
  records: Array<Record<string, unknown>>;
  state: 'in-flight' | 'acknowledged' | 'refused';
}

/** mulberry32: a small seeded generator, so that a failing run can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Server {
  url: string;
  child: ChildProcess;
  output(): string;
}

function startServer(env: Record<string, string>, timeoutMs = 180_000): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH_MODE: 'dev', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server not ready within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Hexwatch ready at (http:\/\/\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolveStart({ url: ready[1]!, child, output: () => output });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

async function post(url: string, key: string, records: unknown[]): Promise<{ status: number; inserted?: number; duplicates?: number; text: string }> {
  const res = await fetch(`${url}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ incidents: records }),
  });
  const text = await res.text();
  if (!res.ok) return { status: res.status, text };
  const body = JSON.parse(text) as { inserted: number; duplicates: number };
  return { status: res.status, inserted: body.inserted, duplicates: body.duplicates, text };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function countStored(opts: CrashRunOptions, dataDir: string, prefix: string): Promise<{ rows: number; distinct: number }> {
  const sql = `SELECT count(*) AS n, count(DISTINCT external_id) AS d FROM incident WHERE source = 'ai_vision' AND external_id LIKE '${prefix}%'`;
  if (opts.engine === 'postgres') {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    try {
      const r = (await client.query(sql)).rows[0] as { n: string; d: string };
      return { rows: Number(r.n), distinct: Number(r.d) };
    } finally {
      await client.end();
    }
  }
  const store = await DuckDbStore.open(join(dataDir, DUCKDB_FILE));
  try {
    const r = (await store.sqlForBench().query(sql))[0]!;
    return { rows: Number(r.n), distinct: Number(r.d) };
  } finally {
    await store.close();
  }
}

export async function runCrashCycles(opts: CrashRunOptions): Promise<CrashRunResult> {
  const random = rng(opts.seed ?? Date.now());
  const between = ([lo, hi]: readonly [number, number]) => Math.floor(lo + random() * (hi - lo + 1));
  const dataDir = mkdtempSync(join(tmpdir(), `hexwatch-crash-${opts.engine}-`));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DEMO_DATA: 'small',
    INGEST_RATE_PER_MINUTE: '100000',
    // a small journal threshold, so that checkpoints and journal resets happen between kills too
    DUCKDB_JOURNAL_CHECKPOINT_MB: '0.25',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  };
  const prefix = `crash-${Date.now().toString(36)}-`;
  const problems: string[] = [];
  const reports: CycleReport[] = [];
  let distinctRecordsSent = 0;
  let server: Server | null = null;
  try {
    // Fresh data folder: migrations and the demo seed, then at once an API key and the kills.
    const started = performance.now();
    server = await startServer(env);
    opts.log(`${opts.engine}: fresh database with the small demo ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const cookie = await devLogin(server.url, 'demo-admin');
    const trpc = async (path: string, input?: unknown, method: 'GET' | 'POST' = 'GET') => {
      const url = new URL(`/trpc/${path}${method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`, server!.url);
      const res = await fetch(url, { method, headers: { cookie, 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(input) : undefined });
      if (!res.ok) throw new Error(`${path} -> ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { result: { data: unknown } }).result.data;
    };
    const { key } = (await trpc('admin.apiKeys.create', { name: 'crash test' }, 'POST')) as { key: string };
    const stores = (await trpc('stores.list')) as Array<{ code: string; lat: number; lng: number }>;

    let batchNo = 0;
    const makeBatch = (cycle: number, client: number): Batch => {
      const n = batchNo++;
      const size = between(opts.batchSize);
      const records = Array.from({ length: size }, (_, k) => {
        const store = stores[(n * 7 + k) % stores.length]!;
        return {
          source: 'ai_vision',
          externalId: `${prefix}${cycle}-${client}-${n}-${k}`,
          kind: 'exception',
          category: 'no_helmet',
          severity: 1 + (k % 4),
          occurredAt: new Date(Date.now() - k * 60_000).toISOString(),
          lat: store.lat + ((k % 7) - 3) * 0.0005,
          lng: store.lng + ((k % 5) - 2) * 0.0005,
          storeCode: store.code,
          ai: { label: 'no_helmet', confidence: 0.9 },
        };
      });
      distinctRecordsSent += size;
      return { records, state: 'in-flight' };
    };

    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      const batches: Batch[] = [];
      let stop = false;
      const clientLoop = async (client: number) => {
        while (!stop) {
          const batch = makeBatch(cycle, client);
          batches.push(batch);
          try {
            const r = await post(server!.url, key, batch.records);
            if (r.status === 200) {
              batch.state = 'acknowledged';
              if (r.inserted !== batch.records.length) problems.push(`cycle ${cycle}: a new batch of ${batch.records.length} inserted ${r.inserted}`);
            } else {
              batch.state = 'refused';
              problems.push(`cycle ${cycle}: a valid batch was refused: ${r.status} ${r.text.slice(0, 200)}`);
            }
          } catch {
            return; // the connection died with the server: this batch stays in flight
          }
        }
      };
      const clients = Array.from({ length: opts.clients }, (_, c) => clientLoop(c));
      const killAfter = between(opts.killAfterMs);
      await new Promise((r) => setTimeout(r, killAfter));
      server.child.kill('SIGKILL');
      await exited(server.child);
      stop = true;
      await Promise.all(clients);

      const restartStarted = performance.now();
      try {
        server = await startServer(env);
      } catch (error) {
        // the lines that say why, without the engine's stack trace
        const why = (error as Error).message.split('\n').filter((l) => /error|failed|exited/i.test(l) && !l.includes('.so(')).slice(0, 3);
        problems.push(`cycle ${cycle}: the server did not start again after SIGKILL: ${why.join(' | ')}`);
        server = null;
        break;
      }
      const restartMs = performance.now() - restartStarted;
      const acked = batches.filter((b) => b.state === 'acknowledged');
      const inFlight = batches.filter((b) => b.state === 'in-flight');
      let reinserted = 0;
      let wereStored = 0;
      let wereNot = 0;
      await eachLimited(acked, 4, async (b) => {
        const r = await post(server!.url, key, b.records);
        if (r.status !== 200) problems.push(`cycle ${cycle}: re-post of an acknowledged batch answered ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.inserted !== 0) {
          reinserted++;
          problems.push(`cycle ${cycle}: an acknowledged batch of ${b.records.length} was missing ${r.inserted} records after the restart`);
        }
      });
      for (const b of inFlight) {
        const r = await post(server.url, key, b.records);
        if (r.status !== 200) problems.push(`cycle ${cycle}: re-post of an in-flight batch answered ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.inserted === 0) wereStored++;
        else if (r.inserted === b.records.length) wereNot++;
        else problems.push(`cycle ${cycle}: a batch in flight was stored in part: ${b.records.length - r.inserted!} of ${b.records.length}`);
      }
      const report: CycleReport = {
        cycle,
        killedAfterMs: killAfter,
        acknowledged: { batches: acked.length, records: acked.reduce((n, b) => n + b.records.length, 0) },
        inFlight: { batches: inFlight.length, wereStored, wereNot },
        restartMs,
        reinsertedAfterAck: reinserted,
      };
      reports.push(report);
      opts.log(
        `${opts.engine} cycle ${String(cycle).padStart(2)}: SIGKILL after ${killAfter} ms; ` +
          `${report.acknowledged.batches} batches (${report.acknowledged.records} records) acknowledged, all there after restart: ${reinserted === 0 ? 'yes' : `NO (${reinserted} batches short)`}; ` +
          `${inFlight.length} in flight (${wereStored} stored whole, ${wereNot} not at all); restart ${(restartMs / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }
  let storedRows = -1;
  let storedDistinct = -1;
  let walsSetAside = 0;
  try {
    if (!problems.some((p) => p.includes('did not start again'))) {
      ({ rows: storedRows, distinct: storedDistinct } = await countStored(opts, dataDir, prefix));
      if (storedRows !== distinctRecordsSent || storedDistinct !== distinctRecordsSent) {
        problems.push(`stored ${storedRows} rows (${storedDistinct} distinct) for ${distinctRecordsSent} distinct records sent`);
      }
    }
    walsSetAside = opts.engine === 'duckdb' ? readdirSync(dataDir).filter((f) => f.includes('.wal.unreplayable-')).length : 0;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  opts.log(`${opts.engine}: ${distinctRecordsSent} distinct records sent, ${storedRows} rows stored (${storedDistinct} distinct); ${problems.length} problems`);
  return { cycles: reports, distinctRecordsSent, storedRows, storedDistinct, problems, walsSetAside };
}
