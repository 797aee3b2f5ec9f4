/**
 * The outbox delivery worker: leases due rows, sends each through its store's notifier, and
 * records the outcome. Transient failures (Feishu down, 5xx, timeouts) back off exponentially
 * and are retried without limit, so nothing is lost; rate limits wait a fixed pause; permanent
 * errors are marked `failed` with Feishu's code for admins. A row is marked sent once, and the
 * lease keeps two workers off the same row.
 */
import type { AlertStore, AlertTarget, OutboxItem } from '../store/alerts.js';
import type { AppBotConfig, Notifier } from './notifier.js';
import { AppBotNotifier, WebhookNotifier } from './notifier.js';
import { recordDeliveries } from '../observability/metrics.js';

/** First retry after this long, doubling per attempt up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 60 * 60_000;
/** After a rate limit (webhook: 100/min and 5/s per bot; app bot: 5 QPS per group). */
export const RATE_LIMIT_PAUSE_MS = 60_000;
/** A worker's lease on a row; longer than a send with its 10 s timeout, by far. */
export const LEASE_MS = 2 * 60_000;

/** Delay before the next attempt after `attempts` failed ones (1-based). */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/** The notifier for a target, or why there is none (a permanent error). */
export type NotifierFactory = (target: AlertTarget) => Notifier | string;

/** Webhook targets need nothing else; app targets need the app's credentials. */
export function notifierFactory(app: AppBotConfig | null): NotifierFactory {
  return (target) => {
    if (target.channel === 'webhook') {
      return target.webhookUrl ? new WebhookNotifier({ url: target.webhookUrl, secret: target.webhookSecret }) : 'no webhook URL is set';
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

/** Delivers what is due now, in batches, until nothing due is left. */
export async function deliverDue(
  alerts: AlertStore,
  notifierFor: NotifierFactory,
  opts: { now?: () => Date; batch?: number } = {},
): Promise<DeliveryReport> {
  const now = opts.now ?? (() => new Date());
  const report: DeliveryReport = { sent: 0, retried: 0, rateLimited: 0, failed: 0 };
  try {
    for (;;) {
      const items = await alerts.claimOutbox(now(), LEASE_MS, opts.batch ?? 20);
      if (!items.length) return report;
      for (const item of items) await deliverOne(alerts, notifierFor, item, now, report);
    }
  } finally {
    recordDeliveries(report);
  }
}

async function deliverOne(
  alerts: AlertStore,
  notifierFor: NotifierFactory,
  item: OutboxItem,
  now: () => Date,
  report: DeliveryReport,
): Promise<void> {
  if (!item.target || !item.target.enabled) {
    report.failed++;
    return alerts.markFailed(item, null, item.target ? 'the store’s Feishu target is disabled' : 'the store has no Feishu target');
  }
  const notifier = notifierFor(item.target);
  if (typeof notifier === 'string') {
    report.failed++;
    return alerts.markFailed(item, null, notifier);
  }
  let result;
  try {
    result = await notifier.send(item.payload, item.dedupeKey);
  } catch (error) {
    // a notifier bug must not lose the row: retry it like a transient failure
    result = { outcome: 'retry' as const, code: null, error: (error as Error).message };
  }
  switch (result.outcome) {
    case 'sent':
      report.sent++;
      return alerts.markSent(item, now(), result.messageId);
    case 'permanent':
      report.failed++;
      return alerts.markFailed(item, result.code, result.error);
    case 'rate_limited':
      report.rateLimited++;
      return alerts.markRetry(item, new Date(now().getTime() + RATE_LIMIT_PAUSE_MS), result.code, result.error);
    case 'retry':
      report.retried++;
      return alerts.markRetry(item, new Date(now().getTime() + backoffMs(item.attempts)), result.code, result.error);
  }
}
