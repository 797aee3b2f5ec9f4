/**
 * The real server for browser tests: the project's test server (Express + tRPC, DuckDB in a
 * throw-away folder, the small demo, dev sign-in) in this process on a free port.
 * `HEXWATCH_E2E_URL` points the tests at an already running server instead.
 */
export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const external = process.env.HEXWATCH_E2E_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {} };
  // Imported only when needed: against an external server no server code is loaded.
  const { startTestServer } = await import('../../support/test-server.js');
  const server = await startTestServer({ demo: 'small' });
  return { url: server.url, close: () => server.close() };
}
