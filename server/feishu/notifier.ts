/**
 * Group notifications (../../../shared/reference/feishu-api.md §2), one interface with the two
 * ways a store's Feishu group can be reached: a custom bot webhook (signed when it has a secret)
 * and the app bot (`im/v1/messages` with a tenant token and a dedupe `uuid`). A send never
 * throws: it says whether the message went out, should be retried (later, or after a rate
 * limit), or can never go out as configured (permanent: shown to admins).
 */
import { webhookSign } from './signature.js';

export type SendResult =
  | { outcome: 'sent'; messageId: string | null }
  | { outcome: 'retry' | 'rate_limited' | 'permanent'; code: number | null; error: string };

export interface Notifier {
  /**
   * Sends one card. `dedupeKey` (<= 50 characters) is the same on every attempt of one delivery;
   * the app bot passes it to Feishu as `uuid`, which drops repeats within an hour.
   */
  send(card: Record<string, unknown>, dedupeKey: string): Promise<SendResult>;
}

/** Custom bot errors that a retry cannot fix (bad token, signature, IP allow-list, keyword, bad request). */
const WEBHOOK_PERMANENT = new Set([9499, 19001, 19021, 19022, 19024]);
const WEBHOOK_RATE_LIMIT = 11232;
/** App bot errors that a retry cannot fix (invalid param, bot not in group, chat dissolved). */
const APP_PERMANENT = new Set([230001, 230002, 232009]);
const APP_RATE_LIMIT = 230020;
/** Token endpoint: bad app id or secret. */
const TOKEN_PERMANENT = new Set([10003, 10014]);
/** im/v1 rejects the tenant token: fetch a new one and retry. */
const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);

const REQUEST_TIMEOUT_MS = 10_000;

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer | { unreachable: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) json = value as Record<string, unknown>;
    } catch {
      // a proxy's HTML error page: judged by the HTTP status below
    }
    return { status: res.status, json };
  } catch (error) {
    return { unreachable: (error as Error).message };
  }
}

/** Feishu's `code` (number or string; old webhook answers only have StatusCode). */
function codeOf(json: Record<string, unknown> | null): number | null {
  if (!json) return null;
  const raw = json.code ?? json.StatusCode;
  const n = Number(raw);
  return raw === undefined || !Number.isFinite(n) ? null : n;
}

function messageOf(json: Record<string, unknown> | null, status: number): string {
  return String(json?.msg ?? json?.StatusMessage ?? `HTTP ${status}`);
}

export interface WebhookTarget {
  /** https://open.feishu.cn/open-apis/bot/v2/hook/<token> (or a fake's). */
  url: string;
  /** The bot's signing secret, when signature checking is on. */
  secret: string | null;
}

export class WebhookNotifier implements Notifier {
  constructor(
    private readonly target: WebhookTarget,
    /** Unix seconds; injectable so that a test can sign at a fixed time. */
    private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async send(card: Record<string, unknown>): Promise<SendResult> {
    const body: Record<string, unknown> = { msg_type: 'interactive', card };
    if (this.target.secret) {
      const ts = this.nowSec();
      body.timestamp = String(ts);
      body.sign = webhookSign(ts, this.target.secret);
    }
    const answer = await post(this.target.url, body);
    if ('unreachable' in answer) return { outcome: 'retry', code: null, error: `Feishu unreachable: ${answer.unreachable}` };
    const code = codeOf(answer.json);
    const error = messageOf(answer.json, answer.status);
    if (answer.status === 200 && code === 0) return { outcome: 'sent', messageId: null };
    if (code === WEBHOOK_RATE_LIMIT || answer.status === 429) return { outcome: 'rate_limited', code, error };
    if (code !== null && WEBHOOK_PERMANENT.has(code)) return { outcome: 'permanent', code, error };
    // 404: the hook token does not exist (bot removed); other 4xx: the request itself is wrong
    if (answer.status >= 400 && answer.status < 500) return { outcome: 'permanent', code, error };
    return { outcome: 'retry', code, error };
  }
}

export interface AppBotConfig {
  /** https://open.feishu.cn (or Lark's, or a fake's), no trailing slash. */
  baseUrl: string;
  appId: string;
  appSecret: string;
}

/** Tenant tokens per base URL and app, renewed 3 minutes before Feishu's `expire`. */
const TOKEN_MARGIN_MS = 3 * 60_000;
const tokens = new Map<string, { token: string; expiresAt: number }>();

/** Forgets cached tenant tokens (tests against several fakes). */
export function clearTenantTokens(): void {
  tokens.clear();
}

export class AppBotNotifier implements Notifier {
  constructor(
    private readonly config: AppBotConfig,
    /** The group's chat id (`oc_...`). */
    private readonly chatId: string,
  ) {}

  private get cacheKey(): string {
    return `${this.config.baseUrl}|${this.config.appId}`;
  }

  private async token(): Promise<{ token: string } | SendResult> {
    const cached = tokens.get(this.cacheKey);
    if (cached && cached.expiresAt > Date.now()) return { token: cached.token };
    const answer = await post(`${this.config.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      app_id: this.config.appId,
      app_secret: this.config.appSecret,
    });
    if ('unreachable' in answer) return { outcome: 'retry', code: null, error: `Feishu unreachable: ${answer.unreachable}` };
    const code = codeOf(answer.json);
    const token = answer.json?.tenant_access_token;
    if (code === 0 && typeof token === 'string') {
      const expireSec = Number(answer.json?.expire) || 7200;
      tokens.set(this.cacheKey, { token, expiresAt: Date.now() + expireSec * 1000 - TOKEN_MARGIN_MS });
      return { token };
    }
    const error = `tenant token: ${messageOf(answer.json, answer.status)}`;
    if (code !== null && TOKEN_PERMANENT.has(code)) return { outcome: 'permanent', code, error };
    return { outcome: 'retry', code, error };
  }

  async send(card: Record<string, unknown>, dedupeKey: string): Promise<SendResult> {
    const token = await this.token();
    if (!('token' in token)) return token;
    const answer = await post(
      `${this.config.baseUrl}/open-apis/im/v1/messages?receive_id_type=chat_id`,
      { receive_id: this.chatId, msg_type: 'interactive', content: JSON.stringify(card), uuid: dedupeKey.slice(0, 50) },
      { authorization: `Bearer ${token.token}` },
    );
    if ('unreachable' in answer) return { outcome: 'retry', code: null, error: `Feishu unreachable: ${answer.unreachable}` };
    const code = codeOf(answer.json);
    const error = messageOf(answer.json, answer.status);
    if (code === 0 && answer.status === 200) {
      const data = answer.json?.data as { message_id?: unknown } | undefined;
      return { outcome: 'sent', messageId: typeof data?.message_id === 'string' ? data.message_id : null };
    }
    if (code === APP_RATE_LIMIT || answer.status === 429) return { outcome: 'rate_limited', code, error };
    if (code !== null && APP_PERMANENT.has(code)) return { outcome: 'permanent', code, error };
    if (code !== null && TOKEN_INVALID.has(code)) tokens.delete(this.cacheKey); // the next attempt fetches a new one
    return { outcome: 'retry', code, error };
  }
}
