/**
 * A local fake of the Feishu open platform's sign-in endpoints (node http on port 0), answering
 * with the shapes of ../../../shared/reference/feishu-api.md §0-1: app/tenant tokens, the v2 code
 * exchange (single-use codes that expire), user info, and the browser authorize page (which
 * "consents" at once for the user the test picked). Bot messages have their own fake (fake-feishu.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeFeishuUser {
  openId: string;
  name: string;
  /** Feishu refuses codes of this user with 20010 (the app is not available to them). */
  noAccess?: boolean;
}

interface CodeGrant {
  openId: string;
  expiresAt: number;
  used: boolean;
  redirectUri: string | null;
}

export interface FakeFeishuAuth {
  url: string;
  appId: string;
  appSecret: string;
  /** Every request the fake got, in order: `METHOD /path`. */
  requests: string[];
  addUser(user: FakeFeishuUser): void;
  /** A code for the user, as tt.requestAccess gives one (valid 3 minutes unless ttlMs says otherwise). */
  issueCode(openId: string, opts?: { ttlMs?: number; redirectUri?: string }): string;
  /** Who the browser authorize page signs in next (the person at the keyboard). */
  setBrowserUser(openId: string): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export async function startFakeFeishuAuth(opts: { appId?: string; appSecret?: string } = {}): Promise<FakeFeishuAuth> {
  const appId = opts.appId ?? 'cli_fake_app';
  const appSecret = opts.appSecret ?? 'fake-secret';
  const users = new Map<string, FakeFeishuUser>();
  const codes = new Map<string, CodeGrant>();
  const userTokens = new Map<string, string>();
  const requests: string[] = [];
  let browserUser: string | null = null;

  const issueCode = (openId: string, o: { ttlMs?: number; redirectUri?: string } = {}) => {
    const code = randomBytes(12).toString('hex');
    codes.set(code, { openId, expiresAt: Date.now() + (o.ttlMs ?? 180_000), used: false, redirectUri: o.redirectUri ?? null });
    return code;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /open-apis/auth/v3/tenant_access_token/internal' || route === 'POST /open-apis/auth/v3/app_access_token/internal') {
      const body = await readBody(req);
      if (body.app_id !== appId || body.app_secret !== appSecret) return send(res, 200, { code: 10014, msg: 'app secret invalid' });
      const kind = url.pathname.includes('tenant') ? 'tenant' : 'app';
      return send(res, 200, { code: 0, msg: 'ok', [`${kind}_access_token`]: `${kind[0]}-${randomBytes(8).toString('hex')}`, expire: 7200 });
    }

    if (route === 'POST /open-apis/authen/v2/oauth/token') {
      const body = await readBody(req);
      const fail = (code: number, description: string) => send(res, 400, { code, error: 'invalid_grant', error_description: description });
      if (body.grant_type !== 'authorization_code') return fail(20001, 'unsupported grant_type');
      if (body.client_id !== appId || body.client_secret !== appSecret) return fail(20002, 'client secret invalid');
      const grant = typeof body.code === 'string' ? codes.get(body.code) : undefined;
      if (!grant) return fail(20003, 'code not found');
      if (grant.used) return fail(20065, 'code already used');
      grant.used = true; // single use, even when the exchange fails below
      if (grant.expiresAt < Date.now()) return fail(20004, 'code expired');
      if (grant.redirectUri !== null && grant.redirectUri !== body.redirect_uri) return fail(20071, 'redirect_uri mismatch');
      if (users.get(grant.openId)?.noAccess) return fail(20010, 'user has no app access');
      const token = `u-${randomBytes(12).toString('hex')}`;
      userTokens.set(token, grant.openId);
      return send(res, 200, {
        code: 0,
        access_token: token,
        expires_in: 7200,
        refresh_token: `ur-${randomBytes(8).toString('hex')}`,
        refresh_token_expires_in: 604800,
        scope: '',
        token_type: 'Bearer',
      });
    }

    if (route === 'GET /open-apis/authen/v1/user_info') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const openId = token ? userTokens.get(token) : undefined;
      const user = openId ? users.get(openId) : undefined;
      if (!user) return send(res, 401, { code: 20005, msg: 'invalid access token' });
      return send(res, 200, {
        code: 0,
        msg: 'success',
        data: { name: user.name, en_name: user.name, avatar_url: '', open_id: user.openId, union_id: `on_${user.openId.slice(3)}`, tenant_key: 'tk_fake' },
      });
    }

    if (route === 'GET /open-apis/authen/v1/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri');
      const state = url.searchParams.get('state') ?? '';
      if (url.searchParams.get('client_id') !== appId || !redirectUri) return send(res, 400, { code: 20002, msg: 'bad client_id or redirect_uri' });
      const back = new URL(redirectUri);
      if (browserUser) back.searchParams.set('code', issueCode(browserUser, { redirectUri }));
      else back.searchParams.set('error', 'access_denied');
      back.searchParams.set('state', state);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }

    send(res, 404, { code: 404, msg: `no such fake endpoint ${route}` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    requests,
    addUser: (user) => users.set(user.openId, user),
    issueCode,
    setBrowserUser: (openId) => {
      browserUser = openId;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
