/**
 * What a command-line job is, wherever it runs: directly on the database (no server holds it) or
 * inside the running server, handed over the local job channel (./channel.ts). A job only talks
 * through `progress` and returns its exit code, so the terminal output is the same either way.
 */
import type { Env } from '../env.js';
import type { IncidentStore } from '../store/types.js';

/** Where a job's lines go: the terminal's stdout and stderr (streamed over the channel when handed off). */
export interface JobProgress {
  out(line: string): void;
  err(line: string): void;
}

export interface JobArgs {
  /** The command's own arguments (after `npm run <name> --`). */
  argv: readonly string[];
  /** The caller's working folder: relative file arguments are resolved against it. */
  cwd: string;
  /** The configuration of the process the job runs in (the server's when handed off). */
  env: Env;
}

/**
 * A job: exit code 0 done, 1 failed (nothing changed), 2 usage error. It stops at the next safe
 * point when `signal` aborts (the terminal went away or pressed Ctrl-C) and then exits 130.
 */
export type Job = (store: IncidentStore, args: JobArgs, progress: JobProgress, signal: AbortSignal) => Promise<number>;

/** Exit code of a job stopped by its signal (as a shell reports SIGINT). */
export const CANCELLED_EXIT_CODE = 130;
