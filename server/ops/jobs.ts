/**
 * The registry of command-line jobs: name -> function. The same entry runs directly on the
 * database (no server) or inside the running server over the job channel (./channel.ts).
 *
 * Adding a command is one line here, e.g. the backup:
 *   backup: { run: (store, args, progress, signal) => runBackupJob(store, args, progress, signal), changesData: false },
 * then `"backup": "tsx server/cli.ts backup"` in package.json (server/cli.ts routes every registered name).
 */
import { runBackupJob } from '../backup/command.js';
import { runBitableJob } from '../feishu/bitable/command.js';
import { runImportJob } from '../ingest/import-command.js';
import type { Job } from './job.js';
import { runDigestJob } from './digest-command.js';
import { runScanJob } from './scan-command.js';
import { runSecretsJob } from './secrets-command.js';
import { runUsersJob } from './users-command.js';

export interface JobEntry {
  run: Job;
  /** Whether a successful run may change what the app shows (in-process caches are then dropped). */
  changesData: boolean;
}

export const JOBS = {
  import: { run: (store, args, progress, signal) => runImportJob(store, args, progress, signal), changesData: true },
  scan: { run: (store, args, progress) => runScanJob(store, args, progress), changesData: true },
  digest: { run: (store, args, progress) => runDigestJob(store, args, progress), changesData: false },
  'sync:bitable': { run: (store, args, progress) => runBitableJob(store, args, progress), changesData: true },
  users: { run: (store, args, progress) => runUsersJob(store, args, progress), changesData: true },
  backup: { run: (store, args, progress, signal) => runBackupJob(store, args, progress, signal), changesData: false },
  secrets: { run: (store, args, progress) => runSecretsJob(store, args, progress), changesData: false },
} satisfies Record<string, JobEntry>;

export type JobName = keyof typeof JOBS;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
