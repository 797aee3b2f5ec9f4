/**
 * `npm run backup -- --out <file>` and `npm run restore -- <file>`, working directly on the
 * database of DATA_DIR / DATABASE_URL (the same configuration as the server).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseEnv } from '../env.js';
import { DUCKDB_FILE, openStore } from '../store/index.js';
import { runBackup } from './backup.js';
import type { BackupProgress, ProgressFn } from './backup.js';
import { runRestore } from './restore.js';

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

export async function runBackupCommand(args: string[]): Promise<number> {
  let out: string | undefined;
  try {
    out = parseArgs({ args, options: { out: { type: 'string' } }, strict: true }).values.out;
  } catch (error) {
    console.error(`${(error as Error).message}\n${BACKUP_USAGE}`);
    return 2;
  }
  if (!out) {
    console.error(`--out is required\n${BACKUP_USAGE}`);
    return 2;
  }
  const env = parseEnv(process.env);
  if (!env.DATABASE_URL && !existsSync(join(env.DATA_DIR, DUCKDB_FILE))) {
    console.error(`backup: there is no database at ${join(env.DATA_DIR, DUCKDB_FILE)} (check DATA_DIR)`);
    return 1;
  }
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    const result = await runBackup(store, { out }, throttledProgress((line) => console.error(line)));
    console.log(`backup: ${result.file}: ${result.rows} rows in ${result.tables.length} tables, schema ${result.schemaVersion}, ${result.bytes} bytes`);
    return 0;
  } finally {
    await store.close();
  }
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
