/**
 * A local fake of the Feishu open platform's sign-in endpoints (node http on port 0), answering
 * with the shapes of ../../../shared/reference/feishu-api.md §0-1: app/tenant tokens, the v2 code
 * exchange (single-use codes that expire), user info, and the browser authorize page (which
 * "consents" at once for the user the test picked), and the Bitable record search (§3) with
 * paging, a modified-time filter and a switchable 429. Bot messages have their own fake (fake-feishu.ts).
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

export interface FakeBitableRecord {
  record_id: string;
  created_time: number;
  last_modified_time: number;
  fields: Record<string, unknown>;
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
  /** The records a Bitable table holds (as the search API returns them). */
  setBitableTable(appToken: string, tableId: string, records: FakeBitableRecord[]): void;
  /** The next `times` searches answer HTTP 429 with `x-ogw-ratelimit-reset: 1`. */
  rateLimitBitable(times: number): void;
  /**
   * How the code exchange answers from now on, as Feishu does when it is down or misconfigured:
   * `{status: 500, code: 20050}` (Feishu's server error), `{status: 502}` (a gateway page), or
   * null to answer normally. A wrong app secret (20002) needs no mode: start the server with one.
   */
  failCodeExchange(failure: { status: number; code?: number } | null): void;
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

/** Days since the epoch in UTC+8, as Feishu's day-precision date filters count them. */
function chinaDay(ms: number): number {
  return Math.floor((ms + 8 * 3_600_000) / 86_400_000);
}

/** A tiny PNG (1x1): what an attachment download answers. */
export const FAKE_ATTACHMENT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

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
  const tables = new Map<string, FakeBitableRecord[]>();
  const tenantTokens = new Set<string>();
  let rateLimited = 0;
  let exchangeFailure: { status: number; code?: number } | null = null;

  const issueCode = (openId: string, o: { ttlMs?: number; redirectUri?: string } = {}) => {
    const code = randomBytes(12).toString('hex');
    codes.set(code, { openId, expiresAt: Date.now() + (o.ttlMs ?? 180_000), used: false, redirectUri: o.redirectUri ?? null });
    return code;
  };

  // a request handler's promise: void so that node:http does not receive it (no-misused-promises);
  // a throw still fails the test through the client's missing answer
  const server = createServer((req, res) => void (async () => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /open-apis/auth/v3/tenant_access_token/internal' || route === 'POST /open-apis/auth/v3/app_access_token/internal') {
      const body = await readBody(req);
      if (body.app_id !== appId || body.app_secret !== appSecret) return send(res, 200, { code: 10014, msg: 'app secret invalid' });
      const kind = url.pathname.includes('tenant') ? 'tenant' : 'app';
      const token = `${kind[0]}-${randomBytes(8).toString('hex')}`;
      if (kind === 'tenant') tenantTokens.add(token);
      return send(res, 200, { code: 0, msg: 'ok', [`${kind}_access_token`]: token, expire: 7200 });
    }

    const search = /^\/open-apis\/bitable\/v1\/apps\/([^/]+)\/tables\/([^/]+)\/records\/search$/.exec(url.pathname);
    if (req.method === 'POST' && search) {
      const body = await readBody(req);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tenantTokens.has(token)) return send(res, 400, { code: 99991663, msg: 'invalid tenant access token' });
      if (rateLimited > 0) {
        rateLimited--;
        res.writeHead(429, { 'content-type': 'application/json', 'x-ogw-ratelimit-reset': '1' }).end(JSON.stringify({ code: 99991400, msg: 'too many requests' }));
        return;
      }
      const records = tables.get(`${search[1]}/${search[2]}`);
      if (!records) return send(res, 400, { code: 1254004, msg: 'table id not found' });
      const pageSize = Math.min(500, Number(url.searchParams.get('page_size') ?? 20));
      const start = Number(url.searchParams.get('page_token') ?? 0);
      if (!Number.isInteger(start) || start < 0) return send(res, 400, { code: 1254002, msg: 'bad page_token' });
      // only the modified-time filter the sync sends: isGreater ["ExactDate", ms]. Like Feishu,
      // date conditions compare whole days (in the tenant's zone, here China's): a record modified
      // later on the value's own day is not "greater".
      const cond = (body.filter as { conditions?: Array<{ operator: string; value: string[] }> } | undefined)?.conditions?.[0];
      const matching = cond?.operator === 'isGreater' ? records.filter((r) => chinaDay(r.last_modified_time) > chinaDay(Number(cond.value[1]))) : records;
      // created_time / last_modified_time come only when asked for (automatic_fields)
      const shown = body.automatic_fields === true ? matching : matching.map(({ record_id, fields }) => ({ record_id, fields }));
      const items = shown.slice(start, start + pageSize);
      const more = start + pageSize < matching.length;
      return send(res, 200, { code: 0, msg: 'success', data: { has_more: more, page_token: more ? String(start + pageSize) : '', total: matching.length, items } });
    }

    // Bitable attachments: the file only with the tenant token (the record's `url` is this endpoint)
    const media = /^\/open-apis\/drive\/v1\/medias\/([\w-]+)\/download$/.exec(url.pathname);
    if (req.method === 'GET' && media) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tenantTokens.has(token)) return send(res, 400, { code: 99991661, msg: 'Missing access token for authorization.' });
      if (!media[1]!.startsWith('box')) return send(res, 404, { code: 1061044, msg: 'file not exist' });
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(FAKE_ATTACHMENT_PNG.length) });
      return res.end(FAKE_ATTACHMENT_PNG);
    }

    if (route === 'POST /open-apis/authen/v2/oauth/token') {
      const body = await readBody(req);
      if (exchangeFailure) {
        if (exchangeFailure.code === undefined) {
          res.writeHead(exchangeFailure.status, { 'content-type': 'text/html' });
          return res.end('<html><body>Bad Gateway</body></html>');
        }
        return send(res, exchangeFailure.status, { code: exchangeFailure.code, error: 'server_error', error_description: 'internal server error' });
      }
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
  })());

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
    setBitableTable: (appToken, tableId, records) => tables.set(`${appToken}/${tableId}`, records),
    rateLimitBitable: (times) => {
      rateLimited = times;
    },
    failCodeExchange: (failure) => {
      exchangeFailure = failure;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
