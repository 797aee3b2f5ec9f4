/**
 * Cross-site requests to mutations are refused (server/security/csrf.ts): an HTML form posted
 * from another origin carries the victim's SameSite=None cookie, but never reaches tRPC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

describe('cross-site requests', () => {
  let server: TestServer;
  let admin: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none', env: { ALLOWED_ORIGINS: 'https://hexwatch.example.com' } });
    await server.store.upsertUsers([{ id: 'demo-admin', name: 'Admin', role: 'admin', storeIds: [], feishuOpenId: null }]);
    admin = httpClient(server.url);
    expect((await admin.mutate('auth.devLogin', { userId: 'demo-admin' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  const keyCount = async () => (await server.store.security.listApiKeys()).length;
  const post = (path: string, headers: Record<string, string>, body: string) =>
    fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers: { cookie: admin.cookie, ...headers }, body });

  it('refuses a form POST from another site to a mutation, with the victim signed in', async () => {
    const before = await keyCount();
    // what <form method=post action=".../trpc/admin.apiKeys.create"> on evil.example sends
    const form = await post('admin.apiKeys.create', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'name=stolen');
    expect(form.status).toBe(403);
    expect((await form.json()).error.data.code).toBe('FORBIDDEN');
    // enctype=text/plain can smuggle a JSON-looking body; the content type still gives it away
    const plain = await post('admin.apiKeys.create', { 'content-type': 'text/plain', origin: 'https://evil.example' }, '{"name":"stolen"}');
    expect(plain.status).toBe(403);
    const multipart = await post('admin.apiKeys.create', { 'content-type': 'multipart/form-data; boundary=x', origin: 'https://evil.example' }, '--x--');
    expect(multipart.status).toBe(403);
    expect(await keyCount()).toBe(before);
  });

  it('refuses JSON from a foreign or opaque origin, or marked cross-site by the browser', async () => {
    const before = await keyCount();
    const json = { 'content-type': 'application/json' };
    const variants: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of variants) {
      const res = await post('admin.apiKeys.create', { ...json, ...headers }, '{"name":"stolen"}');
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await keyCount()).toBe(before);
  });

  it('lets the app itself, allowed origins and non-browser clients through', async () => {
    const json = { 'content-type': 'application/json' };
    const own = await post('admin.apiKeys.create', { ...json, origin: server.url, 'sec-fetch-site': 'same-origin' }, '{"name":"own"}');
    expect(own.status).toBe(200);
    const allowed = await post('admin.apiKeys.create', { ...json, origin: 'https://hexwatch.example.com' }, '{"name":"allowed"}');
    expect(allowed.status).toBe(200);
    const curl = await post('admin.apiKeys.create', json, '{"name":"curl"}');
    expect(curl.status).toBe(200);
  });

  it('may be framed by Feishu only: CSP frame-ancestors, and no X-Frame-Options that would forbid it', async () => {
    const res = await fetch(`${server.url}/trpc/auth.me`);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/\*\.feishu\.cn .*https:\/\/\*\.larksuite\.com/);
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('leaves queries alone (GET changes nothing)', async () => {
    const res = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: admin.cookie, origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
  });
});
