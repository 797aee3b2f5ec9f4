/**
 * The outbox delivery worker: leases due rows, sends each through its store's notifier, and
 * records the outcome (classified once, in answers.ts). Transient failures (Feishu down, 5xx,
 * timeouts) back off exponentially, up to MAX_ATTEMPTS; rate limits wait what Feishu asks (or a
 * minute) without counting as a failure; permanent errors are marked `failed` with Feishu's code
 * for admins. Sends to one webhook or group are paced under Feishu's limits, so that a burst of
 * alerts is delivered rather than throttled. A row is marked sent once, and the lease keeps two
 * workers off the same row.
 */
import type { AlertStore, AlertTarget, OutboxItem } from '../store/alerts.js';
import type { OutboxReceiver } from '../store/work-loop.js';
import type { AppBotConfig, Notifier } from './notifier.js';
import { AppBotNotifier, WebhookNotifier } from './notifier.js';
import { SendPacer } from './pacing.js';
import { webhookUrlRefusal } from '../security/hosts.js';
import type { WebhookPolicy } from '../security/hosts.js';
import { recordDeliveries } from '../observability/metrics.js';

/** First retry after this long, doubling per attempt up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 60 * 60_000;
/** Attempts after which a delivery that keeps failing transiently is marked failed: ~6 h of backoff. */
export const MAX_ATTEMPTS = 12;
/** Rate-limited attempts do not count as failures, but a delivery throttled this often is stuck. */
export const MAX_RATE_LIMITED_ATTEMPTS = 60;
/**
 * The app bot's `uuid` drops repeats for one hour (reference §2). A delivery whose attempt may
 * have reached Feishu unanswered is not re-sent once that window could have closed: a little
 * less than the hour, for clocks and time in flight.
 */
export const UUID_WINDOW_MS = 55 * 60_000;
/** A worker's lease on a row; longer than a send with its 10 s timeout, by far. */
export const LEASE_MS = 2 * 60_000;

/** Delay before the next attempt after `attempts` failed ones (1-based). */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/** The notifier for a store's target or a row's own receiver, or why there is none (a permanent error). */
export type NotifierFactory = (target: AlertTarget, receiver?: OutboxReceiver | null) => Notifier | string;

/**
 * Webhook targets need nothing else; app targets and cards to people need the app's credentials.
 * With a webhook policy, a URL it refuses (one saved before the policy, or since taken off
 * WEBHOOK_HOSTS) is a permanent error: the server never posts to it.
 */
export function notifierFactory(app: AppBotConfig | null, webhooks?: WebhookPolicy): NotifierFactory {
  return (target, receiver) => {
    if (receiver) return app ? new AppBotNotifier(app, receiver) : 'cards to people need the app bot (FEISHU_APP_ID and FEISHU_APP_SECRET)';
    if (target.channel === 'webhook') {
      if (!target.webhookUrl) return 'no webhook URL is set';
      const refusal = webhooks ? webhookUrlRefusal(target.webhookUrl, webhooks) : null;
      if (refusal) return `webhook URL ${refusal}`;
      return new WebhookNotifier({ url: target.webhookUrl, secret: target.webhookSecret });
    }
    if (!target.chatId) return 'no chat id is set';
    if (!app) return 'the app bot needs FEISHU_APP_ID and FEISHU_APP_SECRET';
    return new AppBotNotifier(app, target.chatId);
  };
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  rateLimited: number;
  failed: number;
}

/** One pacer for the process: every delivery run shares Feishu's per-bot and per-group limits. */
const processPacer = new SendPacer();

/** Delivers what is due now, in batches, until nothing due is left. */
export async function deliverDue(
  alerts: AlertStore,
  notifierFor: NotifierFactory,
  opts: { now?: () => Date; batch?: number; pacer?: SendPacer } = {},
): Promise<DeliveryReport> {
  const now = opts.now ?? (() => new Date());
  const ctx = { alerts, notifierFor, now, pacer: opts.pacer ?? processPacer };
  const report: DeliveryReport = { sent: 0, retried: 0, rateLimited: 0, failed: 0 };
  try {
    for (;;) {
      const items = await alerts.claimOutbox(now(), LEASE_MS, opts.batch ?? 20);
      if (!items.length) return report;
      for (const item of items) await deliverOne(ctx, item, report);
    }
  } finally {
    recordDeliveries(report);
  }
}

interface DeliveryContext {
  alerts: AlertStore;
  notifierFor: NotifierFactory;
  now: () => Date;
  pacer: SendPacer;
}

async function deliverOne({ alerts, notifierFor, now, pacer }: DeliveryContext, item: OutboxItem, report: DeliveryReport): Promise<void> {
  // a row for a person or a thread goes through the app bot, whatever the store's group target
  const target: AlertTarget = item.target ?? { storeId: item.storeId, channel: 'app', webhookUrl: null, webhookSecret: null, chatId: null, enabled: true };
  if (!item.receiver && (!item.target || !item.target.enabled)) {
    report.failed++;
    return alerts.markFailed(item, null, item.target ? 'the store’s Feishu target is disabled' : 'the store has no Feishu target');
  }
  const notifier = notifierFor(target, item.receiver);
  if (typeof notifier === 'string') {
    report.failed++;
    return alerts.markFailed(item, null, notifier);
  }
  // only the app bot dedupes (by uuid, for an hour); a custom bot has no dedupe to outlive
  if ((item.receiver || target.channel === 'app') && item.ambiguousAt && now().getTime() - item.ambiguousAt.getTime() >= UUID_WINDOW_MS) {
    report.failed++;
    const at = item.ambiguousAt.toISOString().slice(0, 16).replace('T', ' ');
    return alerts.markFailed(
      item,
      null,
      `ambiguous: the attempt at ${at} UTC got no answer and may have been posted; not sent again after Feishu's one-hour uuid window, so that the group does not get it twice. Check the group, then re-send if it is missing.`,
    );
  }
  await pacer.take(notifier.paceKey);
  let result;
  try {
    result = await notifier.send(item.payload, item.dedupeKey);
  } catch (error) {
    // a notifier bug must not lose the row: retry it like a transient failure
    result = { outcome: 'retry' as const, code: null, error: (error as Error).message, ambiguous: false };
  }
  switch (result.outcome) {
    case 'sent':
      report.sent++;
      return alerts.markSent(item, now(), result.messageId);
    case 'permanent':
      report.failed++;
      return alerts.markFailed(item, result.code, result.error);
    case 'rate_limited':
      if (item.attempts >= MAX_RATE_LIMITED_ATTEMPTS) {
        report.failed++;
        return alerts.markFailed(item, result.code, `gave up after ${item.attempts} attempts, throttled each time: ${result.error}`);
      }
      report.rateLimited++;
      return alerts.markRetry(item, new Date(now().getTime() + result.waitMs), result.code, result.error);
    case 'retry': {
      if (item.attempts >= MAX_ATTEMPTS) {
        report.failed++;
        return alerts.markFailed(item, result.code, `gave up after ${item.attempts} attempts: ${result.error}`);
      }
      report.retried++;
      const ambiguousAt = result.ambiguous ? now() : null;
      return alerts.markRetry(item, new Date(now().getTime() + backoffMs(item.attempts)), result.code, result.error, ambiguousAt);
    }
  }
}
