/** `npm run scan`: one hot-spot alert scan now, then deliver the notifications that are due. */
import { deliverDue, notifierFactory } from '../feishu/delivery.js';
import { runAlertScan } from '../jobs/alert-scan.js';
import { appBotConfig } from '../jobs/scheduler.js';
import { webhookPolicy } from '../security/policy.js';
import type { IncidentStore } from '../store/types.js';
import type { JobArgs, JobProgress } from './job.js';

export async function runScanJob(store: IncidentStore, args: JobArgs, progress: JobProgress): Promise<number> {
  if (args.argv.length) {
    progress.err(`scan takes no arguments (got ${args.argv.join(' ')})\nusage: npm run scan`);
    return 2;
  }
  const env = args.env;
  const report = await runAlertScan(store, { publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`, feishuApp: appBotConfig(env), now: env.clock.now() });
  const delivered = await deliverDue(store.alerts, notifierFactory(appBotConfig(env), webhookPolicy(env)));
  progress.out(
    `scan: ${report.cells} cells in ${report.cities} city(ies), ${report.candidates} emerging, ${report.created.length} new alert(s); ` +
      `delivered ${delivered.sent}, retry ${delivered.retried + delivered.rateLimited}, failed ${delivered.failed}`,
  );
  return 0;
}
