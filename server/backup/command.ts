/**
 * `npm run restore -- <file>`, working directly on the (empty) database of DATA_DIR /
 * DATABASE_URL, and `npm run backup -- --out <file>` as a registered job: directly, or inside a
 * running server over the job channel (server/ops/).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseEnv } from '../env.js';
import { openStore } from '../store/index.js';
import { runBackup } from './backup.js';
import type { BackupProgress, ProgressFn } from './backup.js';
import { runRestore } from './restore.js';
import type { IncidentStore } from '../store/types.js';
import type { JobArgs, JobProgress } from '../ops/job.js';

export const BACKUP_USAGE = 'usage: npm run backup -- --out <file.jsonl.gz>';
export const RESTORE_USAGE = 'usage: npm run restore -- <file.jsonl.gz>   (into an empty DATA_DIR or database)';

/** Progress on stderr, at most about once a second, and always the first and last line. */
export function throttledProgress(write: (line: string) => void, everyMs = 1000): ProgressFn {
  let last = 0;
  return (p: BackupProgress) => {
    const now = Date.now();
    if (now - last < everyMs && p.done !== 0 && p.done !== p.total) return;
    last = now;
    const pct = p.total ? ` (${Math.floor((100 * p.done) / p.total)} %)` : '';
    write(`${p.message}${pct}`);
  };
}

export async function runRestoreCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  try {
    const parsed = parseArgs({ args, options: { file: { type: 'string' } }, allowPositionals: true, strict: true });
    file = parsed.values.file ?? parsed.positionals[0];
    if (parsed.positionals.length > (parsed.values.file ? 0 : 1)) throw new Error('restore takes one file');
  } catch (error) {
    console.error(`${(error as Error).message}\n${RESTORE_USAGE}`);
    return 2;
  }
  if (!file) {
    console.error(`the backup file is required\n${RESTORE_USAGE}`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`restore: ${file} does not exist`);
    return 1;
  }
  const env = parseEnv(process.env);
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    const result = await runRestore(store, { file }, throttledProgress((line) => console.error(line)));
    console.log(`restore: ${result.rows} rows in ${result.tables.length} tables restored into ${store.engine} (schema ${result.schemaVersion})`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `npm run backup` as a registered job (server/ops/jobs.ts): beside a running DuckDB server it
 * runs inside the server, on the database it holds, reading one consistent snapshot while the
 * server keeps serving. `--out` is resolved against the command's own folder.
 */
export async function runBackupJob(store: IncidentStore, args: JobArgs, progress: JobProgress, signal: AbortSignal): Promise<number> {
  let out: string | undefined;
  try {
    out = parseArgs({ args: [...args.argv], options: { out: { type: 'string' } }, strict: true }).values.out;
  } catch (error) {
    progress.err(`${(error as Error).message}\n${BACKUP_USAGE}`);
    return 2;
  }
  if (!out) {
    progress.err(`--out is required\n${BACKUP_USAGE}`);
    return 2;
  }
  const result = await runBackup(store, { out: resolve(args.cwd, out), signal }, throttledProgress((line) => progress.err(line)));
  progress.out(`backup: ${result.file}: ${result.rows} rows in ${result.tables.length} tables, schema ${result.schemaVersion}, ${result.bytes} bytes`);
  return 0;
}
