/**
 * A local fake of the Feishu open platform for notification tests, speaking the documented shapes
 * (../../../shared/reference/feishu-api.md §0 and §2): custom bot webhooks (with signature check),
 * the tenant token, and app bot messages with `uuid` dedupe. Like the real one, it throttles a
 * custom bot past 5 messages a second or 100 a minute (HTTP 400, code 9499 "too many request").
 * It can be "down" (connections are dropped without an answer), rate-limit, hang (a timeout),
 * answer 5xx, or refuse with any code and HTTP status (the codes Feishu really sends, listed or
 * not in our tables).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FakeMode =
  | 'up'
  | 'down'
  /** 11232 (custom bot, HTTP 200) and 230020 (app bot, HTTP 400), as before Feishu said 9499. */
  | 'rate_limit'
  /** Every custom bot message: HTTP 400 {code: 9499, msg: "too many request"}, with x-ogw-ratelimit-reset. */
  | 'throttle_9499'
  /** Never answers: the client's timeout fires. */
  | 'hang'
  /** HTTP 502 from Feishu's gateway, with an HTML body. */
  | 'server_error'
  | { permanent: number }
  /** Any refusal: HTTP status and Feishu code (e.g. 400 + 99991672 missing scope). */
  | { status: number; code: number; msg?: string };

/** Feishu's documented custom bot limits (reference §2). */
export const HOOK_LIMITS = { perSecond: 5, perMinute: 100 };

export interface DeliveredMessage {
  via: 'webhook' | 'app' | 'reply';
  /** Hook token, chat id, open id, or (reply) the message replied to. */
  to: string;
  card: Record<string, unknown>;
  uuid: string | null;
  /** When it reached the group (ms). */
  at: number;
}

export interface FakeFeishu {
  url: string;
  /** What reaches the group: a uuid seen before (within the hour) is not delivered again. */
  delivered: DeliveredMessage[];
  /** Every request that got an answer, for assertions on what was attempted. */
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  mode: FakeMode;
  /** Unix seconds of the fake's clock, for the signature window. */
  nowSec: () => number;
  addHook(token: string, secret?: string): string;
  addChat(chatId: string, opts?: { botInGroup?: boolean }): void;
  close(): Promise<void>;
}

export const FAKE_APP = { appId: 'cli_fake', appSecret: 'fake-secret' };

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startFakeFeishu(): Promise<FakeFeishu> {
  const hooks = new Map<string, string | null>();
  const chats = new Map<string, { botInGroup: boolean }>();
  const tokens = new Set<string>();
  const uuids = new Map<string, number>(); // uuid -> ms seen
  const hookSends = new Map<string, number[]>(); // hook token -> accepted message times (ms)
  /** True when one more message to `token` would break Feishu's limits (then nothing is posted). */
  const overLimit = (token: string) => {
    const now = Date.now();
    const times = (hookSends.get(token) ?? []).filter((t) => t > now - 60_000);
    hookSends.set(token, times);
    return times.filter((t) => t > now - 1000).length >= HOOK_LIMITS.perSecond || times.length >= HOOK_LIMITS.perMinute;
  };
  let tokenSeq = 0;
  const fake: FakeFeishu = {
    url: '',
    delivered: [],
    requests: [],
    mode: 'up',
    nowSec: () => Math.floor(Date.now() / 1000),
    addHook(token, secret) {
      hooks.set(token, secret ?? null);
      return `${fake.url}/open-apis/bot/v2/hook/${token}`;
    },
    addChat(chatId, opts = {}) {
      chats.set(chatId, { botInGroup: opts.botInGroup ?? true });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  // a request handler's promise: void so that node:http does not receive it (no-misused-promises);
  // a throw still fails the test through the client's missing answer
  const server = createServer((req, res) => void (async () => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    if (fake.mode === 'down') {
      req.socket.destroy(); // like an outage: the connection drops, no answer
      return;
    }
    if (fake.mode === 'hang') return; // no answer, ever: the client gives up
    fake.requests.push({ path: url.pathname, body });
    if (fake.mode === 'server_error') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (typeof fake.mode === 'object' && 'status' in fake.mode) {
      return send(res, fake.mode.status, { code: fake.mode.code, msg: fake.mode.msg ?? `refused (fake ${fake.mode.code})`, data: {} });
    }
    const hook = /^\/open-apis\/bot\/v2\/hook\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && hook) {
      if (fake.mode === 'rate_limit') return send(res, 200, { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]', data: {} });
      if (fake.mode === 'throttle_9499' || (hooks.has(hook[1]!) && overLimit(hook[1]!))) {
        res.setHeader('x-ogw-ratelimit-reset', '2');
        return send(res, 400, { code: 9499, msg: 'too many request', data: {} });
      }
      if (typeof fake.mode === 'object') return send(res, 200, { code: fake.mode.permanent, msg: 'permanent error (fake)', data: {} });
      if (!hooks.has(hook[1]!)) return send(res, 200, { code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} });
      const secret = hooks.get(hook[1]!);
      if (secret) {
        const ts = Number(body.timestamp);
        const expected = createHmac('sha256', `${body.timestamp}\n${secret}`).update('').digest('base64');
        if (!Number.isFinite(ts) || Math.abs(fake.nowSec() - ts) > 3600 || body.sign !== expected) {
          return send(res, 200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} });
        }
      }
      if (body.msg_type !== 'interactive' || typeof body.card !== 'object') return send(res, 200, { code: 9499, msg: 'Bad Request', data: {} });
      fake.delivered.push({ via: 'webhook', to: hook[1]!, card: body.card as Record<string, unknown>, uuid: null, at: Date.now() });
      hookSends.get(hook[1]!)!.push(Date.now());
      return send(res, 200, { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' });
    }
    if (req.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== FAKE_APP.appId || body.app_secret !== FAKE_APP.appSecret) {
        return send(res, 200, { code: 10014, msg: 'app secret invalid' });
      }
      const token = `t-fake-${++tokenSeq}`;
      tokens.add(token);
      return send(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return send(res, 400, { code: 99991663, msg: 'Invalid access token for authorization.' });
      const receiveType = url.searchParams.get('receive_id_type');
      if (receiveType !== 'chat_id' && receiveType !== 'open_id') return send(res, 400, { code: 230001, msg: 'invalid receive_id_type' });
      if (fake.mode === 'rate_limit') return send(res, 400, { code: 230020, msg: 'This operation triggers the frequency limit.' });
      if (typeof fake.mode === 'object') return send(res, 400, { code: fake.mode.permanent, msg: 'permanent error (fake)' });
      if (receiveType === 'open_id') {
        // a person: any open id the app can see (ou_...); others are refused as Feishu does
        if (!/^ou_\w+$/.test(String(body.receive_id))) return send(res, 400, { code: 230013, msg: 'Bot has NO availability to this user.' });
      } else {
        const chat = chats.get(String(body.receive_id));
        if (!chat || !chat.botInGroup) return send(res, 400, { code: 230002, msg: 'The bot can not be outside the group.' });
      }
      if (typeof body.content !== 'string') return send(res, 400, { code: 230001, msg: 'content must be a JSON string' });
      const uuid = typeof body.uuid === 'string' ? body.uuid : null;
      const seen = uuid ? uuids.get(uuid) : undefined;
      if (uuid && seen !== undefined && Date.now() - seen < 3_600_000) {
        return send(res, 200, { code: 0, msg: 'success', data: { message_id: `om_${uuid}` } }); // deduplicated: not posted again
      }
      if (uuid) uuids.set(uuid, Date.now());
      fake.delivered.push({ via: 'app', to: String(body.receive_id), card: JSON.parse(body.content) as Record<string, unknown>, uuid, at: Date.now() });
      return send(res, 200, { code: 0, msg: 'success', data: { message_id: `om_${uuid ?? fake.delivered.length}`, chat_id: body.receive_id } });
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([\w-]+)\/reply$/.exec(url.pathname);
    if (req.method === 'POST' && reply) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return send(res, 400, { code: 99991663, msg: 'Invalid access token for authorization.' });
      if (typeof body.content !== 'string') return send(res, 400, { code: 230001, msg: 'content must be a JSON string' });
      const uuid = typeof body.uuid === 'string' ? body.uuid : null;
      if (uuid && uuids.has(uuid)) return send(res, 200, { code: 0, msg: 'success', data: { message_id: `om_${uuid}` } });
      if (uuid) uuids.set(uuid, Date.now());
      fake.delivered.push({ via: 'reply', to: reply[1]!, card: JSON.parse(body.content) as Record<string, unknown>, uuid, at: Date.now() });
      return send(res, 200, { code: 0, msg: 'success', data: { message_id: `om_reply_${fake.delivered.length}` } });
    }
    send(res, 404, { code: 404, msg: `no such endpoint in the fake: ${req.method} ${url.pathname}` });
  })());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return fake;
}
