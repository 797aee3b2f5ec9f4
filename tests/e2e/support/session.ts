/**
 * One server and one browser per spec file (hooks), a fresh browser context per test.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, openPage } from './browser.js';
import type { Browser, BrowserContext, Page, PageOptions } from './browser.js';
import { ensureClientBuild } from './client-build.js';
import { startAppServer } from './app-server.js';
import type { AppServer } from './app-server.js';

export interface E2eSession {
  /** A new page in its own context (own cookies), on the app server. */
  newPage(opts?: PageOptions): Promise<{ page: Page; consoleErrors: string[] }>;
  readonly url: string;
}

/**
 * `serverEnv`: configuration of this file's server (e.g. `BASEMAP`), or a function that works it
 * out when the server starts (e.g. a port chosen then, and PUBLIC_URL on it).
 */
export function useE2eSession(serverEnv: Record<string, string> | (() => Promise<Record<string, string>>) = {}): E2eSession {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[][] = []; // one list per page of the running test

  beforeAll(async () => {
    ensureClientBuild();
    [server, browser] = await Promise.all([startAppServer(typeof serverEnv === 'function' ? await serverEnv() : serverEnv), launchBrowser()]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    // the app must work under its own CSP: anything the browser refused fails the test
    expect(cspViolations.splice(0).flat(), 'Content-Security-Policy violations').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    get url() {
      if (!server) throw new Error('server not started');
      return server.url;
    },
    async newPage(opts) {
      if (!browser || !server) throw new Error('session not started');
      const { context, page, consoleErrors, cspViolations: refused } = await openPage(browser, server.url, opts);
      contexts.push(context);
      cspViolations.push(refused);
      return { page, consoleErrors };
    },
  };
}
