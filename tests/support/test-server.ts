/**
 * The real server (Express + tRPC over HTTP) on a free port with a fresh DuckDB in a temporary
 * folder, for HTTP and browser tests. Its clock starts at TEST_NOW (override with
 * `env: { HEXWATCH_NOW: ... }`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../server/env.js';
import type { Env } from '../../server/env.js';
import { startServer } from '../../server/index.js';
import type { RunningServer } from '../../server/index.js';
import { TEST_DEMO_SEED, TEST_NOW } from './test-clock.js';

export { TEST_DEMO_SEED, TEST_NOW } from './test-clock.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The configuration the server was started with. */
  env: Env;
  /** Closes the server but keeps its data folder (close() removes it). */
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: { demo?: 'small' | 'none'; env?: Record<string, string>; waitReady?: boolean } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hexwatch-test-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_DATA: opts.demo ?? 'small',
    AUTH_MODE: 'dev',
    HEXWATCH_NOW: TEST_NOW,
    DEMO_SEED: TEST_DEMO_SEED,
    ...opts.env,
  });
  const lines: string[] = [];
  const server = await startServer(env, (line) => lines.push(line));
  if (opts.waitReady !== false) await server.whenReady;
  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= server.whenReady.catch(() => undefined).then(() => server.close()));
  return {
    ...server,
    dataDir,
    env,
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tiny cookie-keeping tRPC-over-HTTP client: what a browser does, without one. */
export function httpClient(baseUrl: string) {
  let cookie = '';
  async function call(path: string, init: RequestInit = {}) {
    const res = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return res;
  }
  return {
    call,
    query: (proc: string, input?: unknown) =>
      call(`/trpc/${proc}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`),
    mutate: (proc: string, input: unknown) =>
      call(`/trpc/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) }),
    get cookie() {
      return cookie;
    },
  };
}
