/**
 * Group notifications (../../../shared/reference/feishu-api.md §2), one interface with the two
 * ways a store's Feishu group can be reached: a custom bot webhook (signed when it has a secret)
 * and the app bot (`im/v1/messages` with a tenant token and a dedupe `uuid`). A send never
 * throws: it says whether the message went out, should be retried (later, or after a rate
 * limit), or can never go out as configured (permanent: shown to admins). Requests, the
 * tenant token and the error mapping are the one Feishu client's (./http.ts).
 */
import { classifyFeishuAnswer } from './answers.js';
import type { FeishuOutcome } from './answers.js';
import { clearFeishuTokens, FeishuApiError, feishuFetch, forgetTenantToken, tenantAccessToken } from './http.js';
import type { FeishuAppConfig } from './http.js';
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
    return toSendResult(classifyFeishuAnswer('webhook', await feishuFetch(this.target.url, { body })));
  }
}

/** The app bot's credentials: the app's (./http.ts). */
export type AppBotConfig = FeishuAppConfig;

/** Forgets cached tenant tokens (tests against several fakes). */
export const clearTenantTokens = clearFeishuTokens;

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

  private async token(): Promise<{ token: string } | SendResult> {
    try {
      return { token: await tenantAccessToken(this.config) };
    } catch (error) {
      if (error instanceof FeishuApiError) return toSendResult(error.outcome);
      throw error;
    }
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
        ? await feishuFetch(`${this.config.baseUrl}/open-apis/im/v1/messages/${encodeURIComponent(id)}/reply`, {
            body: { msg_type: 'interactive', content, uuid, reply_in_thread: true },
            headers: { authorization: `Bearer ${token.token}` },
          })
        : await feishuFetch(`${this.config.baseUrl}/open-apis/im/v1/messages?receive_id_type=${type}`, {
            body: { receive_id: id, msg_type: 'interactive', content, uuid },
            headers: { authorization: `Bearer ${token.token}` },
          });
    const outcome = classifyFeishuAnswer('app', answer);
    if (outcome.kind === 'retry' && outcome.tokenInvalid) await forgetTenantToken(this.config, token.token); // the next attempt fetches a new one
    const data = 'json' in answer ? (answer.json?.data as { message_id?: unknown } | undefined) : undefined;
    return toSendResult(outcome, typeof data?.message_id === 'string' ? data.message_id : null);
  }
}
