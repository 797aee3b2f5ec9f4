/**
 * Group notifications (../../../shared/reference/feishu-api.md §2), one interface with the two
 * ways a store's Feishu group can be reached: a custom bot webhook (signed when it has a secret)
 * and the app bot (`im/v1/messages` with a tenant token and a dedupe `uuid`). A send never
 * throws: it says whether the message went out, should be retried (later, or after a rate
 * limit), or can never go out as configured (permanent: shown to admins).
 */
import { classifyFeishuAnswer } from './answers.js';
import type { FeishuAnswer, FeishuOutcome } from './answers.js';
import { webhookSign } from './signature.js';
import type { OutboxReceiver } from '../store/work-loop.js';

export type SendResult =
  | { outcome: 'sent'; messageId: string | null }
  | { outcome: 'retry'; code: number | null; error: string; ambiguous: boolean }
  | { outcome: 'rate_limited'; code: number | null; error: string; waitMs: number }
  | { outcome: 'permanent'; code: number | null; error: string };

export interface Notifier {
  /**
   * Sends one card. `dedupeKey` (<= 50 characters) is the same on every attempt of one delivery;
   * the app bot passes it to Feishu as `uuid`, which drops repeats within an hour.
   */
  send(card: Record<string, unknown>, dedupeKey: string): Promise<SendResult>;
  /** Deliveries through one key (a webhook URL, a chat) share Feishu's rate limits. */
  readonly paceKey: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<FeishuAnswer> {
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
      // a proxy's HTML error page: judged by the HTTP status
    }
    return { status: res.status, json, headers: res.headers };
  } catch (error) {
    const e = error as Error;
    // a timeout fires after the request went out: Feishu may have acted on it
    return { unreachable: e.message, timedOut: e.name === 'TimeoutError' || e.name === 'AbortError' };
  }
}

/** A classified answer as the delivery worker's result. */
function toSendResult(outcome: FeishuOutcome, messageId: string | null = null): SendResult {
  switch (outcome.kind) {
    case 'ok':
      return { outcome: 'sent', messageId };
    case 'rate_limited':
      return { outcome: 'rate_limited', code: outcome.code, error: outcome.error, waitMs: outcome.waitMs };
    case 'retry':
      return { outcome: 'retry', code: outcome.code, error: outcome.error, ambiguous: outcome.ambiguous };
    case 'permanent':
      return { outcome: 'permanent', code: outcome.code, error: outcome.error };
  }
}

export interface WebhookTarget {
  /** https://open.feishu.cn/open-apis/bot/v2/hook/<token> (or a fake's). */
  url: string;
  /** The bot's signing secret, when signature checking is on. */
  secret: string | null;
}

export class WebhookNotifier implements Notifier {
  readonly paceKey: string;

  constructor(
    private readonly target: WebhookTarget,
    /** Unix seconds; injectable so that a test can sign at a fixed time. */
    private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.paceKey = `webhook:${target.url}`;
  }

  async send(card: Record<string, unknown>): Promise<SendResult> {
    const body: Record<string, unknown> = { msg_type: 'interactive', card };
    if (this.target.secret) {
      const ts = this.nowSec();
      body.timestamp = String(ts);
      body.sign = webhookSign(ts, this.target.secret);
    }
    return toSendResult(classifyFeishuAnswer('webhook', await post(this.target.url, body)));
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
  readonly paceKey: string;
  private readonly receiver: OutboxReceiver;

  constructor(
    private readonly config: AppBotConfig,
    /** A group's chat id (`oc_...`), or a person (open_id) or a message thread (reply). */
    receiver: string | OutboxReceiver,
  ) {
    this.receiver = typeof receiver === 'string' ? { type: 'chat_id', id: receiver } : receiver;
    this.paceKey = `${this.receiver.type}:${this.receiver.id}`;
  }

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
    const outcome = classifyFeishuAnswer('token', answer);
    const token = 'json' in answer ? answer.json?.tenant_access_token : undefined;
    if (outcome.kind === 'ok' && typeof token === 'string') {
      const expireSec = Number((answer as { json: Record<string, unknown> }).json.expire) || 7200;
      tokens.set(this.cacheKey, { token, expiresAt: Date.now() + expireSec * 1000 - TOKEN_MARGIN_MS });
      return { token };
    }
    // a token answer that is "ok" without a token is Feishu misbehaving: try again later
    return outcome.kind === 'ok' ? { outcome: 'retry', code: null, error: 'tenant token: no token in the answer', ambiguous: false } : toSendResult(outcome);
  }

  async send(card: Record<string, unknown>, dedupeKey: string): Promise<SendResult> {
    const token = await this.token();
    if (!('token' in token)) return token;
    const content = JSON.stringify(card);
    const uuid = dedupeKey.slice(0, 50);
    const { type, id } = this.receiver;
    // a reply goes into the message's thread (im/v1/messages/:message_id/reply); the rest by receive id
    const answer =
      type === 'reply'
        ? await post(
            `${this.config.baseUrl}/open-apis/im/v1/messages/${encodeURIComponent(id)}/reply`,
            { msg_type: 'interactive', content, uuid, reply_in_thread: true },
            { authorization: `Bearer ${token.token}` },
          )
        : await post(
            `${this.config.baseUrl}/open-apis/im/v1/messages?receive_id_type=${type}`,
            { receive_id: id, msg_type: 'interactive', content, uuid },
            { authorization: `Bearer ${token.token}` },
          );
    const outcome = classifyFeishuAnswer('app', answer);
    if (outcome.kind === 'retry' && outcome.tokenInvalid) tokens.delete(this.cacheKey); // the next attempt fetches a new one
    const data = 'json' in answer ? (answer.json?.data as { message_id?: unknown } | undefined) : undefined;
    return toSendResult(outcome, typeof data?.message_id === 'string' ? data.message_id : null);
  }
}
