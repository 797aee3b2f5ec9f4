/**
 * `npm run digest [-- --store FZ-001] [--dry-run]`: the store managers' morning cards now,
 * whatever the cities' digest times (server/jobs/work-loop.ts), then the deliveries due; with
 * --dry-run the cards are printed and nothing is queued.
 */
import { parseArgs } from 'node:util';
import { deliverDue, notifierFactory } from '../feishu/delivery.js';
import { appBotConfig } from '../jobs/scheduler.js';
import { webhookPolicy } from '../security/policy.js';
import { runMorningDigest } from '../jobs/work-loop.js';
import type { IncidentStore } from '../store/types.js';
import type { JobArgs, JobProgress } from './job.js';

const USAGE = 'usage: npm run digest -- [--store FZ-001] [--dry-run]';

export async function runDigestJob(store: IncidentStore, args: JobArgs, progress: JobProgress): Promise<number> {
  let values: { store?: string; 'dry-run'?: boolean };
  try {
    values = parseArgs({ args: [...args.argv], options: { store: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    progress.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const env = args.env;
  if (values.store && !(await store.listStores({ all: true })).some((s) => s.code === values.store)) {
    progress.err(`--store: no store with code ${values.store}`);
    return 2;
  }
  const links = { publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`, app: appBotConfig(env) };
  const dryRun = values['dry-run'] ?? false;
  const report = await runMorningDigest(store, { links, storeCode: values.store, force: true, dryRun, now: env.clock.now() });
  for (const c of report.cards) {
    progress.out(`${c.store} -> ${c.manager}: ${c.hasWork ? 'work to do' : 'daily summary'}${dryRun ? '' : c.queued ? ', queued' : ', already sent today'}`);
    if (dryRun) progress.out(JSON.stringify(c.card, null, 2));
  }
  for (const s of report.skipped) progress.out(`${s.store} -> ${s.manager}: skipped (${s.reason})`);
  if (!dryRun) {
    const delivered = await deliverDue(store.alerts, notifierFactory(appBotConfig(env), webhookPolicy(env)), { now: () => env.clock.now() });
    progress.out(`digest: ${report.cards.filter((c) => c.queued).length} card(s) queued; delivered ${delivered.sent}, retry ${delivered.retried + delivered.rateLimited}, failed ${delivered.failed}`);
  }
  return 0;
}
