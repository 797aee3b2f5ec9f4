/**
 * Feishu sign-in against a local fake Feishu (tests/support/fake-feishu-auth.ts), over real HTTP:
 * the in-client code exchange, the browser OAuth redirect with its state check, replayed and
 * expired codes, unknown users, users without access, first sign-ins as viewers, token caching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFeishuTokenCache, tenantAccessToken } from '../../server/feishu/auth/client.js';
import { seedPlaces } from '../support/fixtures.js';
import { startFakeFeishuAuth } from '../support/fake-feishu-auth.js';
import type { FakeFeishuAuth } from '../support/fake-feishu-auth.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const MANAGER = { openId: 'ou_manager1', name: '林店长' };
const STRANGER = { openId: 'ou_stranger', name: 'Stranger' };
const LOCKED = { openId: 'ou_locked', name: 'Locked Out' };
const NEWCOMER = { openId: 'ou_newcomer', name: 'Newcomer' };

/** The session cookie of a response, from its Set-Cookie headers (there may be several). */
function sessionCookie(res: Response): string | null {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('hexwatch_session=') && !c.startsWith('hexwatch_session=;'));
  return line ? line.split(';')[0]! : null;
}

describe('Feishu sign-in', () => {
  let fake: FakeFeishuAuth;
  let server: TestServer;
  let storeId: number;

  beforeAll(async () => {
    fake = await startFakeFeishuAuth();
    for (const u of [MANAGER, STRANGER, NEWCOMER, { ...LOCKED, noAccess: true }]) fake.addUser(u);
    server = await startTestServer({
      demo: 'none',
      env: {
        AUTH_MODE: 'feishu',
        FEISHU_APP_ID: fake.appId,
        FEISHU_APP_SECRET: fake.appSecret,
        FEISHU_BASE_URL: fake.url,
        FEISHU_ACCOUNTS_URL: fake.url,
      },
    });
    storeId = (await seedPlaces(server.store)).fz1.id;
    await server.store.upsertUsers([
      { id: 'lin', name: 'Lin', role: 'store_manager', storeIds: [storeId], feishuOpenId: MANAGER.openId },
      { id: 'locked', name: 'Locked', role: 'analyst', storeIds: [], feishuOpenId: LOCKED.openId },
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('tells the client how to sign in', async () => {
    const config = (await (await httpClient(server.url).query('auth.config')).json()).result.data;
    expect(config).toEqual({ mode: 'feishu', feishu: { appId: fake.appId, jsSdkUrl: expect.stringMatching(/^https:\/\//), oauthStartPath: '/auth/feishu/start' } });
  });

  it('exchanges an in-client code for a session of the matching user', async () => {
    const client = httpClient(server.url);
    const res = await client.mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
    expect(res.status).toBe(200);
    expect((await res.json()).result.data).toMatchObject({ id: 'lin', role: 'store_manager', storeIds: [storeId] });
    expect(res.headers.get('set-cookie')).toMatch(/hexwatch_session=[^;]+;.*HttpOnly/i);
    const me = (await (await client.query('auth.me')).json()).result.data;
    expect(me).toMatchObject({ id: 'lin' });
    const stores = (await (await client.query('stores.list')).json()).result.data as Array<{ id: number }>;
    expect(stores.map((s) => s.id)).toEqual([storeId]);
  });

  it("signing in again revokes the browser's earlier token; other devices stay signed in (issue 11)", async () => {
    const me = async (cookie: string) => (await (await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } })).json()).result.data;
    const phone = httpClient(server.url);
    const desktop = httpClient(server.url);
    expect((await phone.mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) })).status).toBe(200);
    expect((await desktop.mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) })).status).toBe(200);
    const oldPhone = phone.cookie;
    expect((await phone.mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) })).status).toBe(200);
    expect(phone.cookie).not.toBe(oldPhone);
    expect(await me(oldPhone)).toBeNull();
    expect(await me(phone.cookie)).toMatchObject({ id: 'lin' });
    expect(await me(desktop.cookie)).toMatchObject({ id: 'lin' });
  });

  it('sets Secure; SameSite=None cookies when served over HTTPS (Feishu frames the app)', async () => {
    const res = await httpClient(server.url).mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
    expect(res.headers.get('set-cookie')).not.toMatch(/SameSite=None/i);
    const https = await fetch(`${server.url}/trpc/auth.feishuLogin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ code: fake.issueCode(MANAGER.openId) }),
    });
    expect(https.status).toBe(200);
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
    expect(https.headers.get('set-cookie')).toMatch(/SameSite=None/i);
  });

  it('refuses a replayed code', async () => {
    const code = fake.issueCode(MANAGER.openId);
    expect((await httpClient(server.url).mutate('auth.feishuLogin', { code })).status).toBe(200);
    const replay = await httpClient(server.url).mutate('auth.feishuLogin', { code });
    expect(replay.status).toBe(401);
    expect(sessionCookie(replay)).toBeNull();
    expect((await replay.json()).error.message).toMatch(/invalid, used or expired/);
  });

  it('refuses an expired code and an unknown one', async () => {
    for (const code of [fake.issueCode(MANAGER.openId, { ttlMs: -1 }), 'not-a-code']) {
      const res = await httpClient(server.url).mutate('auth.feishuLogin', { code });
      expect(res.status).toBe(401);
      expect(sessionCookie(res)).toBeNull();
    }
  });

  it('refuses a Feishu user unknown to Hexwatch with "ask your admin"', async () => {
    const client = httpClient(server.url);
    const res = await client.mutate('auth.feishuLogin', { code: fake.issueCode(STRANGER.openId) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/not a Hexwatch user yet: ask your admin/);
    expect(sessionCookie(res)).toBeNull();
    expect(await server.store.security.userIdByFeishuOpenId(STRANGER.openId)).toBeNull();
  });

  it('refuses a user Feishu gives no access to the app', async () => {
    const res = await httpClient(server.url).mutate('auth.feishuLogin', { code: fake.issueCode(LOCKED.openId) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/may not use Hexwatch/);
    expect(sessionCookie(res)).toBeNull();
  });

  it('tells the user Feishu is unavailable (not "sign in again") on 20050, a 5xx or a gateway page', async () => {
    try {
      for (const failure of [{ status: 500, code: 20050 }, { status: 200, code: 20050 }, { status: 502 }]) {
        fake.failCodeExchange(failure);
        const res = await httpClient(server.url).mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
        expect(res.status, JSON.stringify(failure)).toBe(502);
        const message = (await res.json()).error.message as string;
        expect(message).toBe('Feishu is unavailable, try again in a minute.');
        expect(message).not.toMatch(/sign in again/);
        expect(sessionCookie(res)).toBeNull();
      }
    } finally {
      fake.failCodeExchange(null);
    }
  });

  it('treats a wrong app secret (20002) as set-up work for the operator, not the user', async () => {
    const logged: string[] = [];
    const misconfigured = await startTestServer({
      demo: 'none',
      env: { AUTH_MODE: 'feishu', FEISHU_APP_ID: fake.appId, FEISHU_APP_SECRET: 'not-the-secret', FEISHU_BASE_URL: fake.url, FEISHU_ACCOUNTS_URL: fake.url },
    });
    const errors = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      const res = await httpClient(misconfigured.url).mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
      expect(res.status).toBe(412);
      expect((await res.json()).error.message).toBe('Hexwatch is not set up for Feishu sign-in yet: ask your admin.');
      expect(logged.some((l) => /misconfigured.*20002.*FEISHU_APP_SECRET/.test(l))).toBe(true);
      // the browser flow shows the same words, and no retry loop
      const page = await fetch(`${misconfigured.url}/auth/feishu/callback?code=${fake.issueCode(MANAGER.openId)}&state=x`, { redirect: 'manual' });
      expect(page.status).toBeGreaterThanOrEqual(400);
    } finally {
      console.error = errors;
      await misconfigured.close();
    }
  });

  it('lets first sign-ins in as viewers of no store once an admin allows it', async () => {
    const settings = await server.store.security.settings();
    await server.store.security.saveSettings({ ...settings, autoViewer: true });
    try {
      const client = httpClient(server.url);
      const res = await client.mutate('auth.feishuLogin', { code: fake.issueCode(STRANGER.openId) });
      expect(res.status).toBe(200);
      expect((await res.json()).result.data).toMatchObject({ role: 'viewer', storeIds: [], name: STRANGER.name });
      const stores = (await (await client.query('stores.list')).json()).result.data;
      expect(stores).toEqual([]);
    } finally {
      await server.store.security.saveSettings(settings);
    }
  });

  it('honours session expiry', async () => {
    const live = await server.store.createSession('lin', 60_000);
    const expired = await server.store.createSession('lin', -1);
    const me = async (token: string) => (await (await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: `hexwatch_session=${token}` } })).json()).result.data;
    expect(await me(live)).toMatchObject({ id: 'lin' });
    expect(await me(expired)).toBeNull();
  });

  it('refuses a user disabled with `npm run users -- disable`, and lets them in again once enabled', async () => {
    await server.store.security.setUserDisabled('lin', true);
    try {
      const res = await httpClient(server.url).mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/disabled: ask your admin/);
      expect(sessionCookie(res)).toBeNull();
    } finally {
      await server.store.security.setUserDisabled('lin', false);
    }
    const res = await httpClient(server.url).mutate('auth.feishuLogin', { code: fake.issueCode(MANAGER.openId) });
    expect(res.status).toBe(200);
  });

  it('refuses the demo sign-in in Feishu mode', async () => {
    const res = await httpClient(server.url).mutate('auth.devLogin', { userId: 'lin' });
    expect(res.status).toBe(403);
  });

  describe('browser OAuth', () => {
    /** start -> fake authorize -> back to the callback, keeping the cookies a browser would. */
    async function browserSignIn(next = '/incidents/42') {
      const start = await fetch(`${server.url}/auth/feishu/start?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.origin + authorize.pathname).toBe(`${fake.url}/open-apis/authen/v1/authorize`);
      expect(authorize.searchParams.get('client_id')).toBe(fake.appId);
      const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith('hexwatch_oauth_state='))!.split(';')[0]!;
      const consent = await fetch(authorize, { redirect: 'manual' });
      const callback = new URL(consent.headers.get('location')!);
      return { stateCookie, callback, authorize };
    }

    it('signs in through the redirect, checks state, and returns to the page asked for', async () => {
      fake.setBrowserUser(MANAGER.openId);
      const { stateCookie, callback, authorize } = await browserSignIn('/incidents/42');
      expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
      const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('/incidents/42');
      const session = sessionCookie(done);
      expect(session).not.toBeNull();
      const me = await (await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: session! } })).json();
      expect(me.result.data).toMatchObject({ id: 'lin' });
    });

    it("revokes the session the browser held when it signs in through the redirect again (issue 11)", async () => {
      fake.setBrowserUser(MANAGER.openId);
      const first = await browserSignIn('/');
      const old = sessionCookie(await fetch(first.callback, { redirect: 'manual', headers: { cookie: first.stateCookie } }))!;
      const again = await browserSignIn('/');
      const done = await fetch(again.callback, { redirect: 'manual', headers: { cookie: `${again.stateCookie}; ${old}` } });
      const fresh = sessionCookie(done)!;
      expect(fresh).not.toBe(old);
      const me = async (cookie: string) => (await (await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } })).json()).result.data;
      expect(await me(old)).toBeNull();
      expect(await me(fresh)).toMatchObject({ id: 'lin' });
    });

    it('refuses a callback whose state does not match the cookie (login CSRF)', async () => {
      fake.setBrowserUser(MANAGER.openId);
      const { callback } = await browserSignIn();
      // the attacker's own callback URL, opened in the victim's browser with the victim's state cookie
      const { stateCookie: victimState } = await browserSignIn();
      const res = await fetch(callback, { redirect: 'manual', headers: { cookie: victimState } });
      expect(res.status).toBe(400);
      expect(sessionCookie(res)).toBeNull();
      expect(await res.text()).toMatch(/stale or was not started here/);
      const noCookie = await fetch(callback, { redirect: 'manual' });
      expect(noCookie.status).toBe(400);
      expect(sessionCookie(noCookie)).toBeNull();
    });

    it('shows the "ask your admin" page to an unknown user, and never redirects off-site', async () => {
      fake.setBrowserUser(NEWCOMER.openId);
      const { stateCookie, callback } = await browserSignIn('//evil.example.com/x');
      const res = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/ask your admin/);

      fake.setBrowserUser(MANAGER.openId);
      const second = await browserSignIn('//evil.example.com/x');
      const ok = await fetch(second.callback, { redirect: 'manual', headers: { cookie: second.stateCookie } });
      expect(ok.headers.get('location')).toBe('/');
    });
  });

  it('caches the tenant token until shortly before it expires', async () => {
    clearFeishuTokenCache();
    const config = { baseUrl: fake.url, appId: fake.appId, appSecret: fake.appSecret };
    const before = fake.requests.filter((r) => r.includes('tenant_access_token')).length;
    const first = await tenantAccessToken(config);
    const second = await tenantAccessToken(config);
    expect(second).toBe(first);
    expect(fake.requests.filter((r) => r.includes('tenant_access_token')).length).toBe(before + 1);
    await expect(tenantAccessToken({ ...config, appSecret: 'wrong' })).rejects.toThrow(/tenant token/);
  });
});
