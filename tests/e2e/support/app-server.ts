/**
 * The real server for browser tests: the project's test server (Express + tRPC, DuckDB in a
 * throw-away folder, the small demo, dev sign-in) in this process on a free port.
 * Its clock starts at TEST_NOW with the demo seed TEST_DEMO_SEED, so every run sees the same
 * demo. `HEXWATCH_E2E_URL` points the tests at an already running server instead (start it with
 * the same HEXWATCH_NOW and DEMO_SEED=1, DEMO_DATA=small for the same data).
 */
import { TEST_DEMO_SEED, TEST_NOW } from '../../support/test-clock.js';

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

/** `env`: extra server configuration (e.g. an unreachable basemap); never sent to an external server. */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const external = process.env.HEXWATCH_E2E_URL;
  if (external && Object.keys(env).length === 0) return { url: external.replace(/\/$/, ''), close: async () => {} };
  // Imported only when needed: against an external server no server code is loaded.
  const { startTestServer } = await import('../../support/test-server.js');
  const server = await startTestServer({ demo: 'small', env: { HEXWATCH_NOW: TEST_NOW, DEMO_SEED: TEST_DEMO_SEED, ...env } });
  return { url: server.url, close: () => server.close() };
}
