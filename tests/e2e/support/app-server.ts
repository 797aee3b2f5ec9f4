/**
 * The real server for browser tests: the project's test server (Express + tRPC, DuckDB in a
 * throw-away folder, the small demo, dev sign-in) in this process on a free port.
 * `HEXWATCH_E2E_URL` points the tests at an already running server instead.
 */
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
  const server = await startTestServer({ demo: 'small', env });
  return { url: server.url, close: () => server.close() };
}
