/**
 * Pacing of sends per webhook or group, under Feishu's limits (reference §2: a custom bot takes 5
 * messages a second and 100 a minute; the app bot 5 a second per group). We stay below them, at
 * 4 a second and 90 a minute, so that a burst of alerts to one store's group arrives in full
 * instead of being throttled. In-process: several instances would each pace their own sends, and
 * a throttled answer then still waits what Feishu asks, as a retry of that row (delivery.ts).
 */

export interface PaceLimits {
  perSecond: number;
  perMinute: number;
}

/** Custom bot webhooks and app-bot groups: a margin under 5/s and 100/min. */
export const FEISHU_PACE: PaceLimits = { perSecond: 4, perMinute: 90 };

/** Feishu counts when a message arrives, not when we sent it: leave room for time in flight. */
const WINDOW_MARGIN_MS = 100;

export class SendPacer {
  /** Send times (ms) per key within the last minute, oldest first. */
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limits: PaceLimits = FEISHU_PACE,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Milliseconds until `key` may send at `at` (0: now). */
  delayFor(key: string, at: number): number {
    const times = (this.sent.get(key) ?? []).filter((t) => t > at - 60_000);
    this.sent.set(key, times);
    let ready = at;
    const inLastSecond = times.filter((t) => t > at - 1_000 - WINDOW_MARGIN_MS);
    if (inLastSecond.length >= this.limits.perSecond) {
      ready = Math.max(ready, inLastSecond[inLastSecond.length - this.limits.perSecond]! + 1_000 + WINDOW_MARGIN_MS);
    }
    if (times.length >= this.limits.perMinute) {
      ready = Math.max(ready, times[times.length - this.limits.perMinute]! + 60_000 + WINDOW_MARGIN_MS);
    }
    return ready - at;
  }

  /** Waits until `key` may send, then counts the send. */
  async take(key: string): Promise<void> {
    for (;;) {
      const delay = this.delayFor(key, this.clock());
      if (delay <= 0) break;
      await this.sleep(delay);
    }
    this.sent.get(key)!.push(this.clock());
  }
}
