/**
 * Through real HTTP: probes, plain-JSON tRPC (curl-able), dev sign-in with a session cookie,
 * store scoping of stores.list, compression, security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

describe('HTTP API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: 'small' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers the probes and frames only inside Feishu', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(health.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/\*\.feishu\.cn/);
  });

  it('serves auth.me as plain JSON, null when signed out', async () => {
    const res = await fetch(`${server.url}/trpc/auth.me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: { data: null } });
  });

  it('refuses data procedures when signed out', async () => {
    const res = await fetch(`${server.url}/trpc/stores.list`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.data.code).toBe('UNAUTHORIZED');
  });

  it('signs a demo analyst in with an HttpOnly cookie and lists every demo store', async () => {
    const client = httpClient(server.url);
    const users = (await (await client.query('auth.demoUsers')).json()).result.data as Array<{ id: string; role: string }>;
    expect(users.map((u) => u.role)).toEqual(expect.arrayContaining(['admin', 'analyst', 'store_manager']));
    const login = await client.mutate('auth.devLogin', { userId: 'demo-analyst' });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/hexwatch_session=.*HttpOnly/i);
    const me = (await (await client.query('auth.me')).json()).result.data;
    expect(me).toMatchObject({ id: 'demo-analyst', role: 'analyst' });
    const stores = (await (await client.query('stores.list')).json()).result.data as Array<{ code: string; city: string }>;
    const all = await server.store.listStores({ all: true });
    expect(stores.length).toBe(all.length);
    expect(new Set(stores.map((s) => s.city))).toEqual(new Set(['Fuzhou', 'Xiamen']));
  });

  it("shows a store manager only their own stores, and another manager's theirs", async () => {
    const seen: string[][] = [];
    for (const userId of ['demo-manager-fz', 'demo-manager-xm']) {
      const client = httpClient(server.url);
      await client.mutate('auth.devLogin', { userId });
      const stores = (await (await client.query('stores.list')).json()).result.data as Array<{ id: number; code: string }>;
      const user = (await server.store.getUser(userId))!;
      expect(stores.map((s) => s.id).sort()).toEqual([...user.storeIds].sort());
      seen.push(stores.map((s) => s.code));
    }
    expect(seen[0]!.some((c) => seen[1]!.includes(c))).toBe(false);
  });

  it('signs out: the session no longer works', async () => {
    const client = httpClient(server.url);
    await client.mutate('auth.devLogin', { userId: 'demo-admin' });
    const stolen = client.cookie;
    await client.mutate('auth.logout', {});
    const res = await fetch(`${server.url}/trpc/stores.list`, { headers: { cookie: stolen } });
    expect(res.status).toBe(401);
  });

  it('refuses an unknown demo user with a message naming the field', async () => {
    const res = await httpClient(server.url).mutate('auth.devLogin', { userId: 'nobody' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/userId: no active user "nobody"/);
  });

  it('compresses hexbins and names the bad field in a 400', async () => {
    const client = httpClient(server.url);
    await client.mutate('auth.devLogin', { userId: 'demo-analyst' });
    const res = await client.call(`/trpc/map.hexbins?input=${encodeURIComponent(JSON.stringify({ resolution: 8 }))}`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toMatch(/br|gzip/);
    const body = (await res.json()).result.data;
    expect(body.cells.length).toBeGreaterThan(0);
    expect(body.total).toBe(body.count.reduce((a: number, b: number) => a + b, 0));
    const bad = await client.query('map.hexbins', { resolution: 8, bbox: [120, 26, 119, 27] });
    expect(bad.status).toBe(400);
    const error = (await bad.json()).error;
    expect(error.message).toMatch(/^bbox: west must be less than east/);
    expect(error.data.issues[0].path).toBe('bbox');
  });
});

describe('HTTP API while starting', () => {
  it('answers /healthz at once and /readyz 503 until seeding is done', async () => {
    const server = await startTestServer({ demo: 'small', waitReady: false });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const early = await fetch(`${server.url}/readyz`);
      expect(early.status).toBe(503);
      expect((await fetch(`${server.url}/trpc/auth.me`)).status).toBe(503);
      await server.whenReady;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});


describe('HTTP API shutting down', () => {
  it('finishes a download in flight before closing the database, which then reopens', async () => {
    const server = await startTestServer({ demo: 'small' });
    try {
      const client = httpClient(server.url);
      await client.mutate('auth.devLogin', { userId: 'demo-analyst' });
      // the CSV export streams page after page: stop the server once the first bytes are here
      const res = await client.call(`/api/v1/export/incidents.csv?filters=${encodeURIComponent('{}')}`);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const chunks: Uint8Array[] = [(await reader.read()).value!];
      const stopped = server.stop();
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
      await stopped;
      const rows = Buffer.concat(chunks).toString('utf8').trim().split('\r\n').length - 1;
      const total = 10_000 - (await countRejected(server.dataDir));
      expect(rows).toBe(total);
    } finally {
      await server.close();
    }
  });
});

/** Rejected AI detections, which an export without a review filter leaves out; read after the server stopped. */
async function countRejected(dataDir: string): Promise<number> {
  const store = await DuckDbStore.open(join(dataDir, DUCKDB_FILE));
  try {
    const page = await store.listIncidents({ filters: { review: ['rejected'] }, sort: 'newest', limit: 1, now: new Date() }, { all: true });
    return page.total;
  } finally {
    await store.close();
  }
}
