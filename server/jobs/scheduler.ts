/**
 * Runs the alert scan and the outbox delivery on timers. Every instance runs the timers; a job
 * runs only when `claimJobRun` grants this interval's slot (PostgreSQL: one instance among many;
 * DuckDB serves one process anyway), so each job runs once per interval across instances.
 */
import { deliverDue, notifierFactory } from '../feishu/delivery.js';
import type { AppBotConfig } from '../feishu/notifier.js';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import type { Env } from '../env.js';
import type { WebhookPolicy } from '../security/hosts.js';
import type { IncidentStore } from '../store/types.js';
import { runAlertScan } from './alert-scan.js';
import { runDueDigests, runEscalations } from './work-loop.js';

/** Retries are due every 30 s at the earliest (BASE_BACKOFF_MS): look that often. */
export const DELIVERY_SECONDS = 30;
/** Morning cards and escalations are looked for this often. */
export const WORK_LOOP_MINUTES = 5;
/** Timers drift: a slot opens a little before the full interval so that none is skipped. */
const SLOT_SLACK = 0.9;

export interface SchedulerOptions {
  scanMinutes: number;
  publicUrl: string;
  app: AppBotConfig | null;
  /** Where webhooks may go (server/security/hosts.ts); unset: anywhere (tests of delivery alone). */
  webhooks?: WebhookPolicy;
  log?: (line: string) => void;
  /** The server's clock (env.clock); default the system's. */
  clock?: Clock;
}

/** The Feishu app bot when the app's credentials are configured (else webhook targets only). */
export function appBotConfig(env: Env): AppBotConfig | null {
  return env.FEISHU_APP_ID && env.FEISHU_APP_SECRET
    ? { baseUrl: env.FEISHU_BASE_URL, appId: env.FEISHU_APP_ID, appSecret: env.FEISHU_APP_SECRET }
    : null;
}

export function startAlertScheduler(store: IncidentStore, opts: SchedulerOptions): { stop(): void } {
  const log = opts.log ?? console.log;
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const notifiers = notifierFactory(opts.app, opts.webhooks);
  let running = false;
  const tick = async (job: 'alert-scan' | 'alert-delivery', intervalMs: number) => {
    if (running) return; // one job at a time in this process; the next tick catches up
    running = true;
    try {
      if (!(await store.alerts.claimJobRun(job, now(), intervalMs * SLOT_SLACK))) return;
      if (job === 'alert-scan') {
        const report = await runAlertScan(store, { publicUrl: opts.publicUrl, feishuApp: opts.app, now: now() });
        if (report.created.length) log(`alert scan: ${report.created.length} new alert(s) in ${report.cities} city(ies)`);
      }
      const delivered = await deliverDue(store.alerts, notifiers, { now });
      if (delivered.failed) log(`alert delivery: ${delivered.failed} permanent failure(s); see alerts.deliveries`);
    } catch (error) {
      log(`${job} failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const scanMs = opts.scanMinutes * 60_000;
  const links = { publicUrl: opts.publicUrl, app: opts.app };
  // the work loop in Feishu: morning cards (each city at its own time) and escalations
  const workLoop = async () => {
    if (running) return;
    running = true;
    try {
      for (const report of await runDueDigests(store, { links, now: now() })) {
        if (report.cards.length) log(`morning cards: ${report.cards.filter((c) => c.queued).length} queued`);
      }
      if (await store.alerts.claimJobRun('escalation', now(), WORK_LOOP_MINUTES * 60_000 * SLOT_SLACK)) {
        const escalated = await runEscalations(store, { links, now: now() });
        if (escalated.escalated.length) log(`escalation: ${escalated.escalated.length} overdue incident(s) escalated to analysts`);
      }
    } catch (error) {
      log(`work loop failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timers = [
    setInterval(() => void tick('alert-scan', scanMs), scanMs),
    setInterval(() => void tick('alert-delivery', DELIVERY_SECONDS * 1000), DELIVERY_SECONDS * 1000),
    setInterval(() => void workLoop(), WORK_LOOP_MINUTES * 60_000),
  ];
  for (const t of timers) t.unref();
  return {
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
