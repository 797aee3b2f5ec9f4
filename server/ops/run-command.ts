/**
 * Runs a registered job (./jobs.ts) from the command line: handed to the running server when one
 * holds the DuckDB file of DATA_DIR, directly on the database otherwise. On PostgreSQL the job
 * always runs directly (several processes may share the database) and then tells a server on the
 * same DATA_DIR, if any, that data changed, so that it drops what it keeps in memory.
 */
import { parseEnv } from '../env.js';
import { openStore, secretKeyConfig } from '../store/index.js';
import { handOff } from './channel.js';
import { CANCELLED_EXIT_CODE } from './job.js';
import type { JobProgress } from './job.js';
import { JOBS } from './jobs.js';
import type { JobName } from './jobs.js';

const consoleProgress: JobProgress = { out: (line) => console.log(line), err: (line) => console.error(line) };

export interface RunJobOptions {
  progress?: JobProgress;
  /** The process environment to read the configuration from (default process.env). */
  environment?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
}

export async function runJobCommand(name: JobName, argv: readonly string[], opts: RunJobOptions = {}): Promise<number> {
  const progress = opts.progress ?? consoleProgress;
  const env = parseEnv(opts.environment ?? process.env);
  const cwd = opts.cwd ?? process.cwd();
  const signal = opts.signal ?? new AbortController().signal;
  if (!env.DATABASE_URL) {
    const code = await handOff(env.DATA_DIR, { job: name, argv, cwd }, progress, signal);
    if (code !== null) return code;
  }
  const entry = JOBS[name];
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, ...secretKeyConfig(env) });
  let code: number;
  try {
    await store.migrate();
    code = await entry.run(store, { argv, cwd, env }, progress, signal);
  } finally {
    await store.close();
  }
  if (code === 0 && entry.changesData && env.DATABASE_URL) {
    // best effort: a server may run on another DATA_DIR, or none at all
    await handOff(env.DATA_DIR, { job: name, changed: true }, { out: () => undefined, err: () => undefined }).catch(() => null);
  }
  return code;
}

/** `tsx server/cli.ts <job> ...`: runs the job and exits with its code. Ctrl-C cancels, twice quits. */
export function runCliJob(name: JobName, argv: readonly string[]): void {
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (abort.signal.aborted) process.exit(CANCELLED_EXIT_CODE);
    console.error('cancelling (Ctrl-C again to quit at once)');
    abort.abort(new Error('cancelled'));
  });
  runJobCommand(name, argv, { signal: abort.signal }).then(
    (code) => process.exit(code),
    (error) => {
      const message = error instanceof Error ? error.message : String(error);
      // DuckDB allows one writing process per file: a server holds it, but no job channel answered
      if (/Could not set lock|Conflicting lock/.test(message)) {
        console.error('The database file is in use by another process, and no Hexwatch server answered on DATA_DIR/run/hexwatch.sock (an older server, or another DATA_DIR?). Stop it first.');
      } else {
        console.error(`${name} failed: ${message}`);
      }
      process.exit(1);
    },
  );
}
