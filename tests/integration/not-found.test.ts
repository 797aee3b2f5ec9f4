/**
 * A real 404 over HTTP: only the client's route (`/`) serves index.html; any other page path
 * answers 404 with the not-found page in the reader's language, and the API's prefixes keep
 * their own answers. The client build is a folder made here (index.html and one asset).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { parseEnv } from '../../server/env.js';
import { createLogger } from '../../server/observability/request-log.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const INDEX = '<!doctype html><html lang="zh-CN"><body><div id="root" data-app-shell></div></body></html>';

describe('unknown paths', () => {
  let store: IncidentStore;
  let server: Server;
  let url: string;
  let clientDir: string;

  beforeAll(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'hexwatch-client-'));
    writeFileSync(join(clientDir, 'index.html'), INDEX);
    mkdirSync(join(clientDir, 'assets'));
    writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log(1);');
    store = await engines().find((e) => e.engine === 'duckdb')!.open();
    const env = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DEMO_DATA: 'none' });
    const app = createApp({ env, store, readiness: { ready: true, phase: 'ready' }, clientDir, logger: createLogger('silent') });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await store?.close();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('serves the app at / (with its query string) and its assets', async () => {
    for (const path of ['/', '/?cell=8841b530adfffff', '/?incident=12&work=1']) {
      const res = await fetch(`${url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('data-app-shell');
    }
    const asset = await fetch(`${url}/assets/app.js`);
    expect(asset.status).toBe(200);
  });

  it('answers an unknown page path with 404 and the not-found page, not the app', async () => {
    for (const path of ['/nope', '/incidents/12', '/admin', '/assets/missing.js', '/index.htm', '/%E4%B8%AD']) {
      const res = await fetch(`${url}${path}`, { headers: { accept: 'text/html,*/*' } });
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body, path).not.toContain('data-app-shell');
      expect(body, path).toContain('页面不存在');
      expect(body, path).toContain('href="/"');
    }
  });

  it('speaks English to a browser that prefers it', async () => {
    const res = await fetch(`${url}/nope`, { headers: { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' } });
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('Page not found');
    expect(body).not.toContain('页面不存在');
    const zh = await fetch(`${url}/nope`, { headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(await zh.text()).toContain('页面不存在');
  });

  it('leaves the API its own answers', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/trpc/auth.me`)).status).toBe(200);
    const unknownApi = await fetch(`${url}/api/v1/nope`, { headers: { accept: 'text/html' } });
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.text()).not.toContain('页面不存在');
  });
});
