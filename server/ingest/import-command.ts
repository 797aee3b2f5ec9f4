/**
 * `npm run import -- --profile <name> [--coords wgs84|gcj02] [--assign nearest] <file.csv|file.csv.gz>`
 * Exit codes: 0 imported (rejected rows are reported, not fatal), 1 file refused or import
 * aborted (nothing stored), 2 usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CANCELLED_EXIT_CODE } from '../ops/job.js';
import type { JobArgs, JobProgress } from '../ops/job.js';
import type { IncidentStore } from '../store/types.js';
import { COORD_SYSTEMS } from './coords.js';
import type { CoordSystem } from './coords.js';
import { ImportError, importFile } from './import-file.js';
import { PROFILES } from './profiles/index.js';
import { formatReport } from './report.js';

export const IMPORT_USAGE = `usage: npm run import -- --profile ${Object.keys(PROFILES).join('|')} [--coords wgs84|gcj02] [--assign nearest] <file.csv|file.csv.gz>
  --profile  columns of the file (docs/import.md)
  --coords   coordinate system of the file, converted to WGS-84 (default wgs84)
  --assign   nearest: attach each incident to the nearest store whose delivery radius covers it`;

export interface ImportCommandDeps {
  /** Opens and migrates the store; default: from DATABASE_URL / DATA_DIR. */
  openStore?: () => Promise<IncidentStore>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

interface ParsedArgs {
  profile: string;
  file: string;
  coords: CoordSystem;
  assign: 'nearest' | null;
}

/** argv -> options, or a usage message. */
export function parseImportArgs(argv: readonly string[]): ParsedArgs | { usage: string } {
  let values: { profile?: string; coords?: string; assign?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string', short: 'p' },
        coords: { type: 'string' },
        assign: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return { usage: `${(error as Error).message}\n${IMPORT_USAGE}` };
  }
  if (values.help) return { usage: IMPORT_USAGE };
  if (!values.profile) return { usage: `--profile is required\n${IMPORT_USAGE}` };
  if (!Object.hasOwn(PROFILES, values.profile)) {
    return { usage: `unknown profile "${values.profile}" (profiles: ${Object.keys(PROFILES).join(', ')})\n${IMPORT_USAGE}` };
  }
  const coords = values.coords ?? 'wgs84';
  if (!(COORD_SYSTEMS as readonly string[]).includes(coords)) return { usage: `--coords must be wgs84 or gcj02, not "${coords}"\n${IMPORT_USAGE}` };
  if (values.assign !== undefined && values.assign !== 'nearest') return { usage: `--assign must be nearest, not "${values.assign}"\n${IMPORT_USAGE}` };
  if (positionals.length !== 1) return { usage: `expected one file, got ${positionals.length}\n${IMPORT_USAGE}` };
  return { profile: values.profile, file: positionals[0]!, coords: coords as CoordSystem, assign: values.assign === 'nearest' ? 'nearest' : null };
}

async function openDefaultStore(): Promise<IncidentStore> {
  const { parseEnv } = await import('../env.js');
  const { openStore, secretKeyConfig } = await import('../store/index.js');
  const env = parseEnv(process.env);
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, ...secretKeyConfig(env) });
  await store.migrate();
  return store;
}

/**
 * The import as a job (server/ops/jobs.ts): runs directly or inside a running server. A relative
 * file is resolved against the caller's folder. Cancelled (signal) before the commit, nothing is stored.
 */
export async function runImportJob(store: IncidentStore, job: JobArgs, progress: JobProgress, signal?: AbortSignal): Promise<number> {
  const args = parseImportArgs(job.argv);
  if ('usage' in args) {
    progress.err(args.usage);
    return 2;
  }
  const file = resolve(job.cwd, args.file);
  try {
    progress.out(`importing ${file} (profile ${args.profile}, coordinates ${args.coords}${args.assign ? ', assign nearest store' : ''}) into ${store.engine}`);
    const report = await importFile(store, { ...args, file, log: (line) => progress.out(line), signal });
    for (const line of formatReport(report)) progress.out(line);
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      progress.err(`import ${error.code}: ${error.message}`);
      return signal?.aborted ? CANCELLED_EXIT_CODE : 1;
    }
    throw error;
  }
}

export async function runImportCommand(argv: string[], deps: ImportCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const err = deps.err ?? ((line: string) => console.error(line));
  const args = parseImportArgs(argv);
  if ('usage' in args) {
    err(args.usage);
    return 2;
  }
  const store = await (deps.openStore ?? openDefaultStore)();
  try {
    const { parseEnv } = await import('../env.js');
    return await runImportJob(store, { argv, cwd: process.cwd(), env: parseEnv(process.env) }, { out, err });
  } finally {
    await store.close();
  }
}
